import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import redisProbe from '../../../probes/redis.js';
import { seedRedis, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';
import { isDeclared } from '../../../src/probe.js';

// Real redis-server 7 instances (Debian package) on 127.0.0.101–104; misbehaving peers on 127.0.0.105–109.
const harness = createHarness({ probes: [redisProbe] });
const servers: Record<string, ServerInstance> = {};
const fakes: Record<string, FakeServer> = {};
let closed = 0;

beforeAll(async () => {
  const [open, secured, protectedMode, limited] = await Promise.all([
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.101' }),
    startServer({ kind: 'redis', variant: 'protected', host: '127.0.0.102' }),
    startServer({ kind: 'redis', variant: 'protected-mode', host: '127.0.0.103' }),
    startServer({ kind: 'redis', variant: 'limited', host: '127.0.0.104' }),
  ]);
  Object.assign(servers, { open, secured, protectedMode, limited });
  await seedRedis(open, { 'session:9f2c': 'u1', 'session:77ab': 'u2', 'user:42:profile': '{}', 'cache:home': '<html>' });
  fakes.http = await startHttp('127.0.0.105', (_req, res) => res.end('<html>hello</html>'));
  fakes.garbage = await startRaw('127.0.0.106', { kind: 'reply', data: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]) });
  fakes.oversized = await startRaw('127.0.0.107', { kind: 'endless', chunk: '+' + 'A'.repeat(64 * 1024) });
  fakes.silent = await startRaw('127.0.0.108', { kind: 'silent' });
  fakes.memcached = await startRaw('127.0.0.109', { kind: 'reply', data: 'ERROR\r\n' });
  closed = await closedPort('127.0.0.101');
}, 60_000);

afterAll(async () => {
  await harness.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  await stopAll();
});

describe('redis probe', () => {
  it('open server: exposed, with version, role, keyspace and key-name prefixes', async () => {
    const { observation: o } = await harness.probe('redis', servers.open!.host, servers.open!.ports.redis!);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('Redis');
    expect(o.evidence.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(o.facts).toMatchObject({ mode: 'standalone', role: 'master', keyspace: { db0: { keys: 4 } } });
    expect(o.data?.totals.keys).toBe(4);
    // bytes: the data's estimate (keys × mean MEMORY USAGE of the sampled keys), never the server's used_memory.
    expect(o.data?.totals.bytes).toBeGreaterThan(0);
    expect(o.data!.totals.bytes!).toBeLessThan(Number(o.facts.serverMemoryBytes));
    expect(o.evidence.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^data size: about \d+ bytes, estimated as 4 keys × the mean MEMORY USAGE of 4 sampled keys/),
      ]),
    );
    expect(o.data?.items).toEqual(
      expect.arrayContaining([
        { kind: 'key', name: 'session:', rows: 2 },
        { kind: 'keyspace', name: 'db0', rows: 4 },
      ]),
    );
    expect(o.evidence.requests).toEqual([
      'PING',
      'INFO',
      'SCAN 0 COUNT 100',
      ...Array<unknown>(4).fill(expect.stringMatching(/^MEMORY USAGE \S+$/)),
      'QUIT',
    ]);
    // Issue 13, from the same INFO: keys kept until deleted (SET without a TTL), and connection counters (not who).
    expect(o.data?.expiry).toEqual({ keys: 4, expiring: 0 });
    expect(o.access).toMatchObject({ source: 'INFO stats', connectedClients: expect.any(Number) });
    expect(o.access!.connectionsReceived).toBeGreaterThanOrEqual(2); // the seeding client, then the probe
    expect(o.access!.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('declares every command it sends', async () => {
    const { observation: o } = await harness.probe('redis', servers.open!.host, servers.open!.ports.redis!);
    for (const r of o.evidence.requests) expect(isDeclared(redisProbe.meta.sends, r), r).toBe(true);
  });

  it.each([
    ['requirepass', 'secured', 'auth-required', /^-NOAUTH/],
    ['ACL without INFO', 'limited', 'exposed', /^\+PONG/],
  ] as const)('%s: %s', async (_name, key, status, reply) => {
    const s = servers[key]!;
    const { observation: o } = await harness.probe('redis', s.host, s.ports.redis!);
    expect(o.status).toBe(status);
    expect(o.evidence.reply).toMatch(reply);
    if (key === 'limited') expect(o.evidence.limited).toBe(true);
  });

  it('protected mode seen from another address: denied (no password set)', async () => {
    const s = servers.protectedMode!;
    const { observation: o } = await harness.probe('redis', s.host, s.ports.redis!, { sourceAddress: '127.0.0.9' });
    expect(o.status).toBe('denied');
    expect(o.evidence.reply).toMatch(/^-DENIED Redis is running in protected mode/);
    expect(o.facts).toMatchObject({ protectedMode: true, passwordSet: false });
  });

  it('protected mode seen from 127.0.0.1 looks open (why --source-address exists)', async () => {
    const s = servers.protectedMode!;
    const { observation: o } = await harness.probe('redis', s.host, s.ports.redis!);
    expect(o.status).toBe('exposed');
  });

  it.each([
    ['an HTTP server on the port', 'http', 'not-detected'],
    ['garbage bytes', 'garbage', 'not-detected'],
    ['memcached-style text reply', 'memcached', 'not-detected'],
  ] as const)('wrong service: %s → %s', async (_name, key, status) => {
    const f = fakes[key]!;
    const { observation: o } = await harness.probe('redis', f.host, f.port);
    expect(o.status).toBe(status);
  });

  it('oversized reply: stops at the byte cap, error with truncated evidence, no crash', async () => {
    const f = fakes.oversized!;
    const { observation: o } = await harness.probe('redis', f.host, f.port, { maxBytes: 32 * 1024 });
    expect(o.status).toBe('error');
    expect(o.error?.code).toBe('EA_TOO_LARGE');
    expect(o.evidence.truncated).toBe(true);
  });

  it('silent server: timeout within the deadline, never "safe"', async () => {
    const f = fakes.silent!;
    const { observation: o, ms } = await harness.probe('redis', f.host, f.port, { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(o.error?.code).toBe('EA_TIMEOUT');
    expect(ms).toBeLessThan(600 + 1500);
  });

  it('closed port: closed', async () => {
    const { observation: o } = await harness.probe('redis', '127.0.0.101', closed);
    expect(o.status).toBe('closed');
    expect(o.error?.code).toBe('EA_REFUSED');
  });
});
