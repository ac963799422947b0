import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import memcachedProbe from '../../../probes/memcached.js';
import { startServer, stopAll, tcpExchange, type ServerInstance } from '../../support/servers/index.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';
import { isDeclared } from '../../../src/probe.js';

// Real memcached 1.6 (Debian package) on 127.0.1.11 (open) and 127.0.1.12 (-Y ASCII auth); fakes on 127.0.1.13–18.
const harness = createHarness({ probes: [memcachedProbe] });
const servers: Record<string, ServerInstance> = {};
const fakes: Record<string, FakeServer> = {};
let closed = 0;

beforeAll(async () => {
  const [open, secured] = await Promise.all([
    startServer({ kind: 'memcached', variant: 'open', host: '127.0.1.11' }),
    startServer({ kind: 'memcached', variant: 'protected', host: '127.0.1.12' }),
  ]);
  Object.assign(servers, { open, secured });
  // Test fixture only (the probe never writes): three items in one slab class.
  const sets = ['session:1', 'session:2', 'user:42'].map((k) => `set ${k} 0 0 2\r\nv1\r\n`).join('');
  const r = await tcpExchange({ host: open.host, port: open.ports.memcached!, send: sets, until: (t) => t.split('STORED').length === 4 });
  expect(r.split('STORED').length).toBe(4);
  fakes.http = await startHttp('127.0.1.13', (_req, res) => res.end('<html>hello</html>'));
  fakes.redis = await startRaw('127.0.1.14', { kind: 'reply', data: "-ERR unknown command 'version', with args beginning with: \r\n" });
  fakes.garbage = await startRaw('127.0.1.15', { kind: 'reply', data: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]) });
  fakes.oversized = await startRaw('127.0.1.16', { kind: 'endless', chunk: 'V'.repeat(64 * 1024) });
  fakes.silent = await startRaw('127.0.1.17', { kind: 'silent' });
  // A line-based echo that says VERSION but never gives memcached's STAT counters.
  fakes.echo = await startRaw('127.0.1.18', { kind: 'reply', data: 'VERSION 1.0\r\n' });
  closed = await closedPort('127.0.1.11');
}, 60_000);

afterAll(async () => {
  await harness.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  await stopAll();
});

describe('memcached probe', () => {
  it('open server: exposed, with version, item counts per slab class and bytes', async () => {
    const { observation: o } = await harness.probe('memcached', servers.open!.host, servers.open!.ports.memcached!);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('memcached');
    expect(o.evidence.version).toMatch(/^1\.6\.\d+$/);
    expect(o.data?.totals.keys).toBe(3);
    expect(o.data?.totals.bytes).toBeGreaterThan(0);
    expect(o.data?.items).toEqual([{ kind: 'keyspace', name: 'slab class 1', rows: 3 }]);
    expect(o.evidence.requests).toEqual(['version', 'stats', 'stats items', 'quit']);
    for (const r of o.evidence.requests) expect(isDeclared(memcachedProbe.meta.sends, r), r).toBe(true);
  });

  it('ASCII auth (-Y): auth-required from CLIENT_ERROR unauthenticated, nothing sent after version', async () => {
    const { observation: o } = await harness.probe('memcached', servers.secured!.host, servers.secured!.ports.memcached!);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.reply).toBe('CLIENT_ERROR unauthenticated');
    expect(o.evidence.requests).toEqual(['version']);
  });

  it.each([
    ['an HTTP server on the port', 'http'],
    ['Redis on the port', 'redis'],
    ['garbage bytes', 'garbage'],
    ['VERSION without STAT counters', 'echo'],
  ] as const)('wrong service: %s → not-detected', async (_n, key) => {
    const f = fakes[key]!;
    const { observation: o } = await harness.probe('memcached', f.host, f.port);
    expect(o.status).toBe('not-detected');
  });

  it('oversized line: error or not-detected, never exposed, bounded', async () => {
    const f = fakes.oversized!;
    const { observation: o } = await harness.probe('memcached', f.host, f.port, { maxBytes: 32 * 1024 });
    expect(['not-detected', 'error']).toContain(o.status);
  });

  it('silent server: timeout', async () => {
    const f = fakes.silent!;
    const { observation: o, ms } = await harness.probe('memcached', f.host, f.port, { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(ms).toBeLessThan(2100);
  });

  it('closed port: closed', async () => {
    const { observation: o } = await harness.probe('memcached', '127.0.1.11', closed);
    expect(o.status).toBe('closed');
  });
});
