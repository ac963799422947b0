// The MQTT probe against a real Mosquitto 2.0 (Debian package: anonymous allowed, and a password file), plain 1883
// and TLS 8883, on 127.0.4.10/11, and against scripted brokers on 127.0.4.20–27 that record every packet received.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqttProbe, { DISCONNECT, connectPacket, frameMqtt, subscribePacket, versionFromPublish } from '../../../probes/mqtt.js';
import { serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';

const harness = createHarness({ probes: [mqttProbe], timeoutMs: 5000 });
const real = serverAvailable('mosquitto');
const servers: Record<string, ServerInstance> = {};

interface Broker {
  host: string;
  port: number;
  /** Control packet types received (1 CONNECT, 8 SUBSCRIBE, 14 DISCONNECT, …) and the SUBSCRIBE topics. */
  types: number[];
  topics: string[];
  close(): Promise<void>;
}

const publish = (topic: string, payload: string): Buffer => {
  const t = Buffer.from(topic);
  const body = Buffer.concat([Buffer.from([t.length >> 8, t.length & 0xff]), t, Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
};

/** A scripted broker: CONNACK with `rc`; on SUBSCRIBE a SUBACK and, when given, the $SYS version PUBLISH. */
async function startBroker(host: string, rc: number, version?: string): Promise<Broker> {
  const types: number[] = [];
  const topics: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    let buf = Buffer.alloc(0);
    s.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (let n = frameMqtt(buf); n !== undefined; n = frameMqtt(buf)) {
        const p = buf.subarray(0, n);
        buf = buf.subarray(n);
        types.push(p[0]! >> 4);
        if (p[0]! >> 4 === 1) s.write(Buffer.from([0x20, 2, 0, rc]));
        if (p[0]! >> 4 === 8) {
          topics.push(p.toString('utf8', 6, 6 + p.readUInt16BE(4)));
          s.write(Buffer.from([0x90, 3, 0, 1, 0]));
          if (version) s.write(publish('$SYS/broker/version', version));
        }
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    types,
    topics,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const brokers: Record<string, Broker> = {};
const fakes: Record<string, FakeServer> = {};

beforeAll(async () => {
  if (real) {
    const [open, secured] = await Promise.all([
      startServer({ kind: 'mosquitto', variant: 'open', host: '127.0.4.10' }),
      startServer({ kind: 'mosquitto', variant: 'protected', host: '127.0.4.11' }),
    ]);
    Object.assign(servers, { open, secured });
  }
  brokers.open = await startBroker('127.0.4.20', 0, 'emqx 5.8.0');
  brokers.quiet = await startBroker('127.0.4.21', 0);
  brokers.notAuthorised = await startBroker('127.0.4.22', 5);
  brokers.badPassword = await startBroker('127.0.4.23', 4);
  brokers.busy = await startBroker('127.0.4.24', 3);
  brokers.oldProtocol = await startBroker('127.0.4.25', 1);
  fakes.http = await startHttp('127.0.4.26', (_req, res) => res.end('<html>hello</html>'));
  fakes.garbage = await startRaw('127.0.4.27', { kind: 'reply', data: Buffer.from([0x20, 0x02, 0x07, 0x09]) });
}, 60_000);

afterAll(async () => {
  await harness.close();
  await Promise.all([...Object.values(brokers), ...Object.values(fakes)].map((f) => f.close()));
  await stopAll();
});

describe('MQTT packets (MQTT 3.1.1 §3.1, §3.8, §3.14)', () => {
  it('CONNECT: level 4, clean session only (no user name, password or Will), keepalive 10, the client id', () => {
    expect(connectPacket('ea01234567').toString('hex')).toBe('101600044d5154540402000a000a' + Buffer.from('ea01234567').toString('hex'));
  });
  it('SUBSCRIBE: reserved flags 0010, packet id 1, one filter at QoS 0; DISCONNECT e0 00', () => {
    expect(subscribePacket('$SYS/broker/version').toString('hex')).toBe('8218000100132453595' + '32f62726f6b65722f76657273696f6e00');
    expect(DISCONNECT.toString('hex')).toBe('e000');
  });
  it('frames by the remaining length and reads the version only from a QoS 0 PUBLISH on $SYS/broker/version', () => {
    const p = publish('$SYS/broker/version', 'mosquitto version 2.0.11');
    expect(frameMqtt(Buffer.concat([p, Buffer.from([0xe0])]))).toBe(p.length);
    expect(frameMqtt(p.subarray(0, 5))).toBeUndefined();
    expect(versionFromPublish(p)).toBe('mosquitto version 2.0.11');
    expect(versionFromPublish(publish('sensors/temp', '21.5'))).toBeUndefined();
    expect(() => frameMqtt(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff]))).toThrow();
  });
});

describe.skipIf(!real)('real Mosquitto 2.0 (Debian)', () => {
  it('allow_anonymous true: exposed, product and version from $SYS/broker/version', async () => {
    const { observation: o } = await harness.probe('mqtt', servers.open!.host, servers.open!.ports.mqtt!);
    expect(o.status, JSON.stringify(o.evidence)).toBe('exposed');
    expect(o.evidence.product).toBe('Mosquitto');
    expect(o.evidence.version).toMatch(/^2\.0\.\d+$/);
    expect(o.evidence.reply).toBe('CONNACK 0 (connection accepted)');
    expect(o.evidence.requests).toHaveLength(3);
  });
  it('password file: auth-required (CONNACK 5), nothing sent after CONNECT', async () => {
    const { observation: o } = await harness.probe('mqtt', servers.secured!.host, servers.secured!.ports.mqtt!);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.reply).toBe('CONNACK 5 (not authorized)');
    expect(o.evidence.requests).toHaveLength(1);
  });
  it('the TLS listener (8883 is a TLS port of the service): exposed over TLS, and auth-required over TLS', async () => {
    const open = await harness.probe('mqtt', servers.open!.host, servers.open!.ports.mqtts!);
    expect(open.observation.status).toBe('exposed');
    expect(open.observation.evidence.tls).toBe(true);
    const secured = await harness.probe('mqtt', servers.secured!.host, servers.secured!.ports.mqtts!);
    expect(secured.observation.status).toBe('auth-required');
    expect(secured.observation.evidence.tls).toBe(true);
  });
});

describe('scripted brokers: verdicts, and what arrived', () => {
  it('CONNACK 0 with a $SYS version: exposed; the broker saw CONNECT, one SUBSCRIBE to $SYS/broker/version, DISCONNECT', async () => {
    const { observation: o } = await harness.probe('mqtt', brokers.open!.host, brokers.open!.port);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('Emqx');
    expect(o.evidence.version).toBe('5.8.0');
    await expect.poll(() => brokers.open!.types).toEqual([1, 8, 14]);
    expect(brokers.open!.topics).toEqual(['$SYS/broker/version']);
  });
  it('CONNACK 0 and no $SYS message: still exposed (the version wait is bounded), never a timeout', async () => {
    const { observation: o } = await harness.probe('mqtt', brokers.quiet!.host, brokers.quiet!.port);
    expect(o.status).toBe('exposed');
    expect(o.evidence.version).toBeUndefined();
    expect(o.evidence.product).toBe('MQTT broker');
  });
  it.each([
    ['notAuthorised', 'CONNACK 5 (not authorized)'],
    ['badPassword', 'CONNACK 4 (bad user name or password)'],
  ])('%s: auth-required, and only the CONNECT was sent', async (name, reply) => {
    const b = brokers[name]!;
    const { observation: o } = await harness.probe('mqtt', b.host, b.port);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.reply).toBe(reply);
    expect(b.types).toEqual([1]);
  });
  it('CONNACK 3 (server unavailable): error EA_BUSY, not a verdict', async () => {
    const { observation: o } = await harness.probe('mqtt', brokers.busy!.host, brokers.busy!.port);
    expect(o.status).toBe('error');
    expect(o.error?.code).toBe('EA_BUSY');
  });
  it('CONNACK 1 (a broker that refuses MQTT 3.1.1): not-detected with a note, never exposed', async () => {
    const { observation: o } = await harness.probe('mqtt', brokers.oldProtocol!.host, brokers.oldProtocol!.port);
    expect(o.status).toBe('not-detected');
    expect(o.evidence.notes?.join(' ')).toMatch(/unacceptable protocol version/);
  });
  it.each([
    ['an HTTP server', 'http'],
    ['a CONNACK-looking reply with reserved flags set', 'garbage'],
  ])('%s: not exposed', async (_label, name) => {
    const f = fakes[name]!;
    const { observation: o } = await harness.probe('mqtt', f.host, f.port);
    expect(['not-detected', 'error']).toContain(o.status);
    expect(o.status).not.toBe('exposed');
  });
  it('declares what it sends: three packets, never a PUBLISH', () => {
    expect(mqttProbe.meta.sends).toHaveLength(3);
    expect(mqttProbe.meta.sends.join(' ')).not.toMatch(/PUBLISH/);
    expect(mqttProbe.meta.defaultPorts).toEqual([1883, 8883]);
    expect(mqttProbe.meta.tlsPorts).toEqual([8883]);
  });
});
