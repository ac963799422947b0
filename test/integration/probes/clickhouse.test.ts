import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clickhouseHttp from '../../../probes/clickhouse-http.js';
import clickhouseNative from '../../../probes/clickhouse-native.js';
import { clickhouseQuery, serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';
import { isDeclared } from '../../../src/probe.js';

// Real clickhouse-server (Debian package) on 127.0.0.111–114; misbehaving peers on 127.0.0.115–119.
const harness = createHarness();
const ch: Record<string, ServerInstance> = {};
const fakes: Record<string, FakeServer> = {};

beforeAll(async () => {
  const [open, secured, berlin, standard] = await Promise.all([
    startServer({ kind: 'clickhouse', variant: 'open', host: '127.0.0.111' }),
    startServer({ kind: 'clickhouse', variant: 'protected', host: '127.0.0.112' }),
    startServer({ kind: 'clickhouse', variant: 'open', host: '127.0.0.113', timezone: 'Europe/Berlin' }),
    // The standard ports on their own address: the engine picks the probe by port.
    startServer({ kind: 'clickhouse', variant: 'open', host: '127.0.0.114', ports: { http: 8123, native: 9000 } }),
  ]);
  Object.assign(ch, { open, secured, berlin, standard });
  await clickhouseQuery(open, 'CREATE DATABASE app');
  await clickhouseQuery(open, 'CREATE TABLE app.log_stream (ts DateTime, api_key String, prompt String) ENGINE = MergeTree ORDER BY ts');
  await clickhouseQuery(open, "INSERT INTO app.log_stream VALUES (now(), 'k1', 'hello'), (now(), 'k2', 'world'), (now(), 'k3', '!')");
  await clickhouseQuery(open, 'CREATE TABLE app.scratch (x UInt8) ENGINE = Memory');
  fakes.http = await startHttp('127.0.0.115', (_req, res) => res.end('<html>catch-all</html>'));
  fakes.garbage = await startRaw('127.0.0.116', { kind: 'reply', data: Buffer.from('\x05\x07garbage\xff\xff\xff', 'latin1') });
  fakes.oversized = await startRaw('127.0.0.117', { kind: 'endless', chunk: Buffer.alloc(64 * 1024, 0x00) });
  fakes.silent = await startRaw('127.0.0.118', { kind: 'silent' });
  fakes.httpFlood = await startHttp('127.0.0.119', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/tab-separated-values; charset=UTF-8' });
    res.write('23.8.1\n');
    // An endless body: the client must stop at its cap.
    const chunk = 'x'.repeat(64 * 1024);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
}, 90_000);

afterAll(async () => {
  await harness.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  await stopAll();
});

describe.skipIf(!serverAvailable('clickhouse'))('clickhouse probes against real servers', () => {
  it('HTTP, open: exposed with version and metadata (tables, columns, rows, bytes)', async () => {
    const s = ch.open!;
    const { probe, observation: o } = await harness.probe('clickhouse', s.host, s.ports.http!);
    expect(probe).toBe('clickhouse-http');
    expect(o.status).toBe('exposed');
    expect(o.evidence.version).toMatch(/^\d+\.\d+/);
    expect(o.facts.displayName).toBe('audit-test');
    const log = o.data?.items.find((i) => i.name === 'app.log_stream');
    expect(log).toMatchObject({ kind: 'table', engine: 'MergeTree', rows: 3, fields: ['ts', 'api_key', 'prompt'] });
    expect(log?.bytes).toBeGreaterThan(0);
    // Memory tables have no parts: no row count, and no count() scan either.
    expect(o.data?.items.find((i) => i.name === 'app.scratch')).toMatchObject({ engine: 'Memory' });
    expect(o.data?.items.find((i) => i.name === 'app.scratch')?.rows).toBeUndefined();
    expect(o.data?.totals).toMatchObject({ rows: 3, tables: 2 });
    for (const r of o.evidence.requests) expect(isDeclared(clickhouseHttp.meta.sends, r), r).toBe(true);
    // Not partitioned by time: system.parts says 0000-00-00 / 1970-01-01, which is unknown, never "very old".
    expect(log?.oldest).toBeUndefined();
    expect(log?.ageFrom).toBeUndefined();
    // This server has no <query_log>: no trace, said as such (never as "nobody read it").
    expect(o.access).toMatchObject({ source: 'system.query_log', unavailable: expect.stringMatching(/does not exist on this server/) });
    expect(o.access?.ownAddress).toBe('127.0.0.1');
  });

  it('HTTP, protected: auth-required from exception code 194, display name kept', async () => {
    const s = ch.secured!;
    const { observation: o } = await harness.probe('clickhouse', s.host, s.ports.http!);
    expect(o.status).toBe('auth-required');
    expect(o.facts).toMatchObject({ exceptionCode: 194, displayName: 'audit-test' });
    expect(o.evidence.reply).toMatch(/^401 Code: 194/);
  });

  it.each([
    ['open, Etc/UTC', 'open', 'exposed', /UTC/],
    ['open, Europe/Berlin (a peer check matching "UTC" misses this)', 'berlin', 'exposed', /^Europe\/Berlin$/],
    ['protected', 'secured', 'auth-required', undefined],
  ] as const)('native, %s → %s', async (_n, key, status, tz) => {
    const s = ch[key]!;
    const { probe, observation: o } = await harness.probe('clickhouse', s.host, s.ports.native!);
    expect(probe).toBe('clickhouse-native');
    expect(o.status).toBe(status);
    if (tz) expect(o.facts.timezone).toMatch(tz);
    if (status === 'auth-required') expect(o.facts.exceptionCode).toBe(194);
    // The stack trace (library paths) is dropped.
    expect(JSON.stringify(o)).not.toMatch(/\.so|stack/i);
  });

  it('default ports pick their probe: 8123 → HTTP only, 9000 → native only', async () => {
    const s = ch.standard!;
    const h = await harness.probe('clickhouse', s.host, 8123);
    const n = await harness.probe('clickhouse', s.host, 9000);
    // version, databases, tables, columns, parts; then data age (parts min/max), own address, query_log (issue 13).
    expect([h.probe, h.observation.status, h.observation.evidence.requests.length]).toEqual(['clickhouse-http', 'exposed', 8]);
    expect([n.probe, n.observation.status, n.observation.evidence.requests.length]).toEqual(['clickhouse-native', 'exposed', 1]);
  });

  it('HTTP probe on the native port: not-detected (the server answers HTTP 400 "use port 8123")', async () => {
    const s = ch.open!;
    const { observation: o } = await harness.probe('clickhouse', s.host, s.ports.native!, { probes: [clickhouseHttp] });
    expect(o.status).toBe('not-detected');
  });

  it('native probe on the HTTP port: timeout (the HTTP server waits for a request line that never comes)', async () => {
    const s = ch.open!;
    const { observation: o } = await harness.probe('clickhouse', s.host, s.ports.http!, { probes: [clickhouseNative], timeoutMs: 500 });
    expect(o.status).toBe('timeout');
  });

  it('a non-default port tries HTTP first: the HTTP port is found exposed without waiting on the native probe', async () => {
    const s = ch.open!;
    const { probe, observation: o, ms } = await harness.probe('clickhouse', s.host, s.ports.http!);
    expect([probe, o.status]).toEqual(['clickhouse-http', 'exposed']);
    expect(ms).toBeLessThan(1000);
  });
});

describe('clickhouse probes against misbehaving peers', () => {
  it.each([
    ['catch-all HTTP server, HTTP probe', 'http', [clickhouseHttp], 'not-detected'],
    ['catch-all HTTP server, native probe', 'http', [clickhouseNative], 'not-detected'],
    ['garbage packet, native probe', 'garbage', [clickhouseNative], 'not-detected'],
  ] as const)('%s → %s', async (_n, key, probes, status) => {
    const f = fakes[key]!;
    const { observation: o } = await harness.probe('clickhouse', f.host, f.port, { probes });
    expect(o.status).toBe(status);
  });

  it('oversized native reply (endless zero bytes): error at the byte cap', async () => {
    const f = fakes.oversized!;
    const { observation: o } = await harness.probe('clickhouse', f.host, f.port, { probes: [clickhouseNative], maxBytes: 16 * 1024 });
    // Endless zeros parse as an endless stream of empty Hello fields until the cap.
    expect(['error', 'not-detected']).toContain(o.status);
    expect(o.status).not.toBe('exposed');
  });

  it('endless HTTP body: capped and truncated, never a hang', async () => {
    const f = fakes.httpFlood!;
    const { observation: o, ms } = await harness.probe('clickhouse', f.host, f.port, { probes: [clickhouseHttp], maxBytes: 64 * 1024 });
    expect(o.status).not.toBe('exposed');
    expect(ms).toBeLessThan(3000);
  });

  it.each([
    ['HTTP', clickhouseHttp],
    ['native', clickhouseNative],
  ] as const)('silent server, %s probe: timeout', async (_n, probe) => {
    const f = fakes.silent!;
    const { observation: o, ms } = await harness.probe('clickhouse', f.host, f.port, { probes: [probe], timeoutMs: 500 });
    expect(o.status).toBe('timeout');
    expect(ms).toBeLessThan(2500);
  });

  it('closed port: closed, and the second candidate probe is not tried', async () => {
    const port = await closedPort('127.0.0.111');
    const { observation: o } = await harness.probe('clickhouse', '127.0.0.111', port);
    expect(o.status).toBe('closed');
  });
});
