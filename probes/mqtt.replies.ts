import type { ProbeReplies } from '../src/probe-replies.js';
import mqtt, { connectPacket, DISCONNECT, frameMqtt, subscribePacket } from './mqtt.js';

/**
 * MQTT 3.1.1 broker states as bytes (OASIS MQTT 3.1.1: CONNACK §3.2, SUBACK §3.9, PUBLISH §3.3). The packets are those
 * Debian's Mosquitto 2.0.11 sent here to this probe (test/integration/probes/mqtt.test.ts runs the real broker, plain and TLS):
 * `allow_anonymous true` → CONNACK 0 then the retained `$SYS/broker/version`; a password file → CONNACK 5.
 */
const [connect, subscribe, disconnect] = mqtt.meta.sends.map((s) => s.request) as [string, string, string];
/** CONNECT up to its client id (fixed header, protocol name and level, flags, keep-alive, id length). */
const fixedConnect = connectPacket('ea00000000').subarray(0, 14);
const connack = (rc: number) => Buffer.from([0x20, 0x02, 0x00, rc]);
const suback = Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00]);
function publish(topic: string, payload: string): Buffer {
  const t = Buffer.from(topic);
  const body = Buffer.concat([Buffer.from([t.length >> 8, t.length & 0xff]), t, Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0x31, body.length]), body]); // retained, QoS 0
}

export default {
  probe: 'mqtt',
  frameRequest: frameMqtt,
  // CONNECT carries a random client id `ea` + 8 hex digits, every other byte fixed: named by its declared form.
  describe(b) {
    if (b.equals(DISCONNECT)) return disconnect;
    if (b.equals(subscribePacket('$SYS/broker/version'))) return subscribe;
    const id = b.toString('latin1', 14);
    return b.length === 24 && b.subarray(0, 14).equals(fixedConnect) && /^ea[0-9a-f]{8}$/.test(id)
      ? connect.replace('<hex>', id.slice(2))
      : undefined;
  },
  endless: { prefix: Buffer.from([0x20, 0x7f]), source: 'a CONNACK announcing a remaining length of 127 (MQTT 3.1.1 §2.2.3)' },
  cases: {
    anonymous: {
      state: 'exposed',
      source: 'recorded from Debian mosquitto 2.0.11 here (allow_anonymous true): CONNACK 0, SUBACK, retained $SYS/broker/version',
      exchanges: [
        { request: /^CONNECT /, reply: connack(0) },
        { request: subscribe, reply: Buffer.concat([suback, publish('$SYS/broker/version', 'mosquitto version 2.0.11')]) },
        { request: disconnect, close: true },
      ],
      expect: { status: 'exposed', product: 'Mosquitto' },
    },
    'not-authorized': {
      state: 'secured',
      source: 'recorded from Debian mosquitto 2.0.11 here (password_file, allow_anonymous false): CONNACK return code 5, then close',
      exchanges: [{ request: /^CONNECT /, reply: connack(5), close: true }],
      expect: { status: 'auth-required', product: 'MQTT broker' },
    },
    'bad-credentials': {
      state: 'secured',
      source: 'MQTT 3.1.1 §3.2.2.3: return code 4 "bad user name or password" (brokers that treat an empty login as a bad one)',
      exchanges: [{ request: /^CONNECT /, reply: connack(4), close: true }],
      expect: { status: 'auth-required', product: 'MQTT broker' },
    },
    'server-unavailable': {
      state: 'busy',
      source: 'MQTT 3.1.1 §3.2.2.3: return code 3 "server unavailable" (the broker is up but the MQTT service is not)',
      exchanges: [{ request: /^CONNECT /, reply: connack(3), close: true }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'MQTT broker' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP server on the port (nginx 1.22 answers bytes it cannot parse with 400 Bad Request)',
      exchanges: [{ request: /^CONNECT /, reply: 'HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
