import { randomBytes } from 'node:crypto';
import { EaError, isEaError } from '../src/errors.js';
import { always, busyResult, defineProbe, type ProbeResult } from '../src/probe.js';
import type { Framer, TcpSession } from '../src/net/tcp.js';

/**
 * MQTT brokers (Mosquitto, EMQX, HiveMQ, VerneMQ, …), MQTT 3.1.1 (OASIS mqtt-v3.1.1-os §3.1-3.2, 3.8-3.9, 3.14).
 * One CONNECT without user name, password or Will, clean session 1 (the broker keeps nothing after we leave),
 * a random client id and keepalive 10 s. CONNACK return code 0 = accepted: anyone can subscribe to every topic and
 * publish to them. 4 (bad user name or password) and 5 (not authorised) = credentials demanded. 3 (server
 * unavailable) = busy, an error, never "safe". Only once accepted, the broker's version is read from
 * `$SYS/broker/version` with ONE plain SUBSCRIBE at QoS 0 (a read: Mosquitto publishes it retained, so it arrives at
 * once; a broker that does not is given 1.5 s), then DISCONNECT. Decision: the subscription is to that one system
 * topic only, in a clean session that ends with us, so it reads broker metadata and no application data.
 * Never sent: PUBLISH (any QoS or retain), SUBSCRIBE to `#` or to application topics, a Will, clean session 0,
 * a user name or password.
 */
const KEEPALIVE_S = 10;
const VERSION_TOPIC = '$SYS/broker/version';
const VERSION_WAIT_MS = 1500;
const MAX_PACKET = 4096;

const sends = always(
  `CONNECT MQTT 3.1.1, clean session, no user name/password/Will, keepalive ${KEEPALIVE_S}, client id ea<hex>`,
  `SUBSCRIBE ${VERSION_TOPIC} QoS 0 (only after CONNACK 0)`,
  'DISCONNECT (e0 00)',
);

/** Remaining Length (§2.2.3): 1-4 bytes, 7 bits each. Returns [value, bytes used] or undefined when incomplete. */
function remainingLength(buf: Buffer, from: number): [number, number] | undefined {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    if (from + i >= buf.length) return undefined;
    const b = buf[from + i]!;
    value += (b & 0x7f) * 128 ** i;
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new Error('remaining length longer than 4 bytes');
}

/** One MQTT control packet: fixed header + remaining length + that many bytes. */
export const frameMqtt: Framer = (buf) => {
  if (buf.length < 2) return undefined;
  const rl = remainingLength(buf, 1);
  if (!rl) return undefined;
  if (rl[0] > MAX_PACKET) throw new Error(`packet of ${rl[0]} bytes`);
  const total = 1 + rl[1] + rl[0];
  return buf.length >= total ? total : undefined;
};

const str = (s: string): Buffer => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
const packet = (first: number, body: Buffer): Buffer => {
  // Every packet built here is < 128 bytes: a one-byte remaining length.
  return Buffer.concat([Buffer.from([first, body.length]), body]);
};

/** CONNECT: protocol name "MQTT", level 4, flags 0x02 (clean session only), keepalive, client id. */
export function connectPacket(clientId: string): Buffer {
  return packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, KEEPALIVE_S]), str(clientId)]));
}

/** SUBSCRIBE (0x82: reserved flags 0010), packet id 1, one topic filter at QoS 0. */
export function subscribePacket(topic: string): Buffer {
  return packet(0x82, Buffer.concat([Buffer.from([0, 1]), str(topic), Buffer.from([0])]));
}

export const DISCONNECT = Buffer.from([0xe0, 0x00]);

/**
 * The first reply must be a CONNACK (0x20, remaining length 2): any other first byte is another protocol (an HTTP
 * 400, a banner), reported as such at once instead of waiting for a frame that never completes.
 */
const frameConnack: Framer = (buf) => {
  if (buf.length && buf[0] !== 0x20) throw new EaError('EA_PROTOCOL', 'the first reply is not a CONNACK', { partial: buf });
  return frameMqtt(buf);
};

/** CONNACK return codes (§3.2.2.3). */
const returnCodes: Record<number, string> = {
  0: 'connection accepted',
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** The version from a PUBLISH on VERSION_TOPIC (§3.3: topic name, then the payload at QoS 0), or undefined. */
export function versionFromPublish(p: Buffer): string | undefined {
  if (p[0] === undefined || p[0] >> 4 !== 3 || ((p[0] >> 1) & 3) !== 0) return undefined;
  const rl = remainingLength(p, 1);
  if (!rl) return undefined;
  const start = 1 + rl[1];
  const tlen = p.readUInt16BE(start);
  if (p.toString('utf8', start + 2, start + 2 + tlen) !== VERSION_TOPIC) return undefined;
  const payload = p.toString('utf8', start + 2 + tlen, start + 1 + rl[1] + rl[0]).trim();
  // "mosquitto version 2.0.11", "emqx 5.8.0", …: printable, short.
  return /^[\x20-\x7e]{1,80}$/.test(payload) ? payload : undefined;
}

/** Reads packets until the version PUBLISH arrives, for at most VERSION_WAIT_MS; undefined otherwise. */
async function readVersion(session: TcpSession): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expire = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), VERSION_WAIT_MS)));
  const read = (async () => {
    // SUBACK, then the retained PUBLISH (order is not guaranteed): a few packets at most.
    for (let i = 0; i < 4; i++) {
      const v = versionFromPublish(await session.read(frameMqtt));
      if (v) return v;
    }
    return undefined;
  })();
  try {
    // A failed read (closed, reset, deadline) just means no version.
    return await Promise.race([read.catch(() => undefined), expire]);
  } finally {
    clearTimeout(timer);
  }
}

const hex = (b: Buffer): string => b.subarray(0, 16).toString('hex');

export default defineProbe({
  meta: {
    id: 'mqtt',
    service: 'mqtt',
    title: 'MQTT broker accepting anonymous clients',
    description:
      'MQTT 3.1.1 CONNECT without credentials: CONNACK 0 = anonymous clients accepted; 4/5 = credentials demanded; then the broker version from $SYS/broker/version (one QoS 0 SUBSCRIBE) and DISCONNECT.',
    defaultPorts: [1883, 8883],
    tlsPorts: [8883],
    transport: 'tcp',
    tls: 'optional',
    sends,
    exposure:
      'anyone can subscribe to every topic (telemetry, personal data, credentials in payloads) and publish to them: commands to devices and services that act on messages',
    remediation:
      'Refuse anonymous clients (Mosquitto 2: allow_anonymous false with a password_file or an auth plugin; EMQX: enable an authenticator), add ACLs per user, serve 8883 with TLS only, and firewall 1883.',
    references: [
      'https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html',
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://mosquitto.org/documentation/migrating-to-2-0/',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const session = await ctx.tcp();
    try {
      const clientId = `ea${randomBytes(4).toString('hex')}`;
      await session.write(connectPacket(clientId));
      let ack: Buffer;
      try {
        ack = await session.read(frameConnack);
      } catch (err) {
        if (isEaError(err, 'EA_PROTOCOL'))
          return { status: 'not-detected', evidence: { proof: 'CONNECT', reply: hex(err.details.partial ?? Buffer.alloc(0)) }, facts: {} };
        throw err;
      }
      // CONNACK: 0x20, remaining length 2, acknowledge flags (bit 0 = session present), return code.
      if (ack.length !== 4 || ack[0] !== 0x20 || ack[1] !== 2 || (ack[2]! & 0xfe) !== 0 || ack[3]! > 5)
        return { status: 'not-detected', evidence: { proof: 'CONNECT', reply: hex(ack) }, facts: {} };
      const rc = ack[3]!;
      const reply = `CONNACK ${rc} (${returnCodes[rc]})`;
      const base = { product: 'MQTT broker', proof: 'CONNECT', reply };
      // CONNACK 3: the network connection is made but the MQTT service is unavailable: busy, not a verdict.
      if (rc === 3) return busyResult('MQTT broker', 'CONNECT', reply);
      if (rc === 4 || rc === 5) return { status: 'auth-required', evidence: base, facts: { returnCode: rc } };
      if (rc !== 0)
        return {
          status: 'not-detected',
          evidence: { ...base, notes: [`an MQTT broker refused an MQTT 3.1.1 client: ${reply}`] },
          facts: { returnCode: rc },
        };
      await session.write(subscribePacket(VERSION_TOPIC));
      const version = await readVersion(session);
      await session.write(DISCONNECT).catch(() => undefined);
      // "mosquitto version 2.0.11" → product Mosquitto, version 2.0.11.
      const name = version?.split(/\s/)[0];
      const product = name ? `${name.charAt(0).toUpperCase()}${name.slice(1)}` : base.product;
      const v = version ? (/(\d+\.\d+[\w.-]*)/.exec(version)?.[1] ?? version) : undefined;
      return {
        status: 'exposed',
        evidence: { ...base, product, ...(v ? { version: v } : {}) },
        facts: { returnCode: 0, ...(version ? { sysVersion: version } : {}) },
      };
    } finally {
      session.close();
    }
  },
});
