import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clickhouseHttp from '../../../probes/clickhouse-http.js';
import httpAdmin from '../../../probes/http-admin.js';
import redis from '../../../probes/redis.js';
import { useInstallationKey } from '../../../src/continuous/fingerprint-key.js';
import { auditDefaults } from '../../../src/engine/audit.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import { HttpClient } from '../../../src/net/http.js';
import type { Probe } from '../../../src/probe.js';
import { probes } from '../../../src/cli/registry.js';
import { fingerprintSecret } from '../../../src/risk/redact.js';
import { renderTable } from '../../../src/report/table.js';
import { startHttp, type FakeServer } from '../../support/fake-servers.js';
import { endpointFor, renderAll, reportOf } from '../../support/render-all.js';
import { emptyPlant, startClickhouse, startRedis, type Plant } from '../../support/planted-stores.js';

/**
 * Issue 15 reproductions on real loopback sockets (127.0.0.170–179): a hostile server costs at most its own
 * deadline, reports stay within a bounded multiple of the caps, a cut reply never reads as secured, a canned reply
 * never proves ClickHouse, sampling never leaves the audited server, and no server writes to the terminal.
 */
const plant: Plant = emptyPlant();
let client: HttpClient;
const closers: Array<() => Promise<void>> = [];
let redisSrv: Awaited<ReturnType<typeof startRedis>>;
let chSrv: Awaited<ReturnType<typeof startClickhouse>>;

beforeAll(async () => {
  client = new HttpClient({ connectTimeoutMs: 1000 });
  // Loaded once per process before any endpoint's deadline starts (run-probe.ts): the timings below measure
  // deadlines, not module loading (a second on a loaded machine).
  await client.ready();
  redisSrv = await startRedis('127.0.0.170', () => plant.redis);
  chSrv = await startClickhouse('127.0.0.171', () => plant.clickhouse);
  closers.push(redisSrv.close, chSrv.close);
});
afterAll(async () => {
  await client.close();
  await Promise.all(closers.map((c) => c()));
});

function pinned(probe: Probe, port: number): Probe {
  return { meta: { ...probe.meta, defaultPorts: [port], tlsPorts: [] }, run: probe.run };
}

async function run(
  ps: readonly Probe[],
  host: string,
  port: number,
  service: string,
  o: { timeoutMs?: number; maxBytes?: number; sampleRows?: number } = {},
) {
  const endpoint = endpointFor(host, port, service);
  const t0 = performance.now();
  const r = await probeEndpoint(ps, endpoint, {
    timeoutMs: o.timeoutMs ?? 3000,
    connectTimeoutMs: 1000,
    maxBytes: o.maxBytes ?? auditDefaults.maxBytes,
    caps: auditDefaults.caps,
    signal: new AbortController().signal,
    http: client,
    ...(o.sampleRows ? { sampleRows: o.sampleRows } : {}),
  });
  return { ...r, endpoint, ms: performance.now() - t0 };
}

const json = (o: unknown) => JSON.stringify(o);

describe('part 2: one deadline per endpoint', () => {
  it('a peer that accepts, stays silent and closes just before the deadline costs one deadline, not one per candidate and TLS retry', async () => {
    const T = 1000;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      setTimeout(() => s.destroy(), T - 80).unref();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.172', r));
    closers.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
    const port = (server.address() as net.AddressInfo).port;
    // A port no ClickHouse probe names: both candidates (HTTP and native), each TLS-optional: four attempts before.
    const chProbes = probes.filter((p) => p.meta.service === 'clickhouse');
    expect(chProbes.length).toBe(2);
    const r = await run(chProbes, '127.0.0.172', port, 'clickhouse', { timeoutMs: T });
    expect(['timeout', 'error']).toContain(r.observation.status);
    expect(r.ms).toBeLessThan(T + 500);
  });
});

describe('part 3: output proportional to the cap; optional steps never downgrade', () => {
  it('Redis INFO with 35,000 keyspace lines: exposed, listing and facts capped, totals kept, report bounded', async () => {
    plant.redis = { ...emptyPlant().redis, dbs: Array.from({ length: 35_000 }, (_, i) => [`d${i}`, 1] as [string, number]) };
    const r = await run([pinned(redis, redisSrv.port)], redisSrv.host, redisSrv.port, 'redis');
    expect(r.observation.error).toBeUndefined();
    expect(r.observation.status).toBe('exposed');
    expect(r.observation.data!.items.length).toBeLessThanOrEqual(auditDefaults.caps.items);
    expect(r.observation.data!.truncated).toBe(true);
    expect(r.observation.data!.totals.keys).toBe(35_000);
    expect(Object.keys(r.observation.facts.keyspace as object).length).toBeLessThanOrEqual(auditDefaults.caps.items + 1);
    expect(r.observation.evidence.notes?.join(' ')).toMatch(/\+34501 not listed/);
    const out = renderAll(reportOf([r]));
    for (const [format, text] of Object.entries(out)) expect(text.length, format).toBeLessThan(400_000);
    console.log(
      `issue15: 35k keyspace lines → ${Object.entries(out)
        .map(([f, t]) => `${f} ${(t.length / 1024).toFixed(0)} KiB`)
        .join(', ')}`,
    );
  });

  it('Redis --sample with a 2 MB value in a session key: still exposed (critical), sampling marked failed', async () => {
    plant.redis = { ...emptyPlant().redis, keys: ['session:9f2c', 'cache:1'], values: ['x'.repeat(2 * 1024 * 1024)] };
    const r = await run([pinned(redis, redisSrv.port)], redisSrv.host, redisSrv.port, 'redis', { sampleRows: 5 });
    expect(r.observation.status).toBe('exposed');
    expect(r.observation.data?.sample?.truncated).toBe(true);
    expect(r.observation.evidence.notes?.join(' ')).toMatch(/sampling failed \(EA_TOO_LARGE/);
    const report = reportOf([r]);
    expect(report.findings[0]?.severity).toBe('critical');
  });

  it('Jenkins with 1,500 jobs (> 64 KiB) and 403 on /script: exposed (truncated), never auth-required', async () => {
    const jobs = Array.from({ length: 1500 }, (_, i) => ({
      _class: 'hudson.model.FreeStyleProject',
      name: `build-${i}-${'j'.repeat(40)}`,
    }));
    const body = JSON.stringify({ _class: 'hudson.model.Hudson', mode: 'NORMAL', useSecurity: true, jobs });
    expect(body.length).toBeGreaterThan(64 * 1024);
    const srv: FakeServer = await startHttp('127.0.0.173', (req, res) => {
      const h = { 'X-Jenkins': '2.452.1', 'X-You-Are-Authenticated-As': 'anonymous' };
      if (req.url?.startsWith('/api/json')) {
        res.writeHead(200, { ...h, 'Content-Type': 'application/json;charset=utf-8' });
        return res.end(body);
      }
      if (req.url === '/script') {
        res.writeHead(403, { ...h, 'Content-Type': 'text/html' });
        return res.end('<html>Authentication required</html>');
      }
      // Jenkins sends X-Jenkins on every reply, its 404s and the landing page included (the catalog's gate reads it).
      res.writeHead(404, { ...h, 'Content-Type': 'text/html' });
      res.end('<html>Not Found</html>');
    });
    closers.push(srv.close);
    const r = await run([pinned(httpAdmin, srv.port)], srv.host, srv.port, 'http', { timeoutMs: 5000 });
    expect(r.observation.status).toBe('exposed');
    expect(r.observation.evidence.product).toBe('Jenkins');
    expect(r.observation.evidence.truncated).toBe(true);
  });
});

describe('part 6: a catch-all cannot fake ClickHouse', () => {
  it.each([
    ['plain `1.4.2`', {}, '1.4.2'],
    ['`1.4.2` with faked X-ClickHouse headers', { 'X-ClickHouse-Query-Id': 'x', 'X-ClickHouse-Server-Display-Name': 'fake' }, '1.4.2'],
    ['`1.4.2\\t2` (a canned sum)', { 'X-ClickHouse-Query-Id': 'x' }, '1.4.2\t2\n'],
  ] as Array<[string, Record<string, string>, string]>)('%s to every request: not-detected', async (_n, headers, text) => {
    const srv = await startHttp('127.0.0.174', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', ...headers });
      res.end(text);
    });
    closers.push(srv.close);
    const r = await run([pinned(clickhouseHttp, srv.port)], srv.host, srv.port, 'clickhouse');
    expect(r.observation.status).toBe('not-detected');
    expect(json(r.observation)).not.toContain('"name":"1.4.2"');
  });

  it('the replayed ClickHouse that computes the challenge is exposed', async () => {
    plant.clickhouse = emptyPlant().clickhouse;
    const r = await run([pinned(clickhouseHttp, chSrv.port)], chSrv.host, chSrv.port, 'clickhouse');
    expect(r.observation.status).toBe('exposed');
    expect(r.observation.evidence.version).toBe('24.8.4.13');
  });
});

describe('part 7: sampling reads local data only', () => {
  it('ClickHouse --sample: MergeTree/Log/Memory tables sampled; URL, S3, PostgreSQL, MySQL, Kafka, Distributed, views skipped and named', async () => {
    const foreign = [
      'URL',
      'S3',
      'HDFS',
      'PostgreSQL',
      'MySQL',
      'Kafka',
      'RabbitMQ',
      'Distributed',
      'Dictionary',
      'View',
      'MaterializedView',
    ];
    plant.clickhouse = {
      ...emptyPlant().clickhouse,
      tables: [
        ['app', 'users', 'ReplicatedMergeTree'],
        ['app', 'sessions', 'Memory'],
        ['app', 'logs', 'StripeLog'],
        ...foreign.map((e, i) => ['app', `tokens_${i}`, e] as [string, string, string]),
      ],
      sampleRows: [['a', 'b']],
    };
    chSrv.queries.length = 0;
    const r = await run([pinned(clickhouseHttp, chSrv.port)], chSrv.host, chSrv.port, 'clickhouse', { sampleRows: 2 });
    expect(r.observation.status).toBe('exposed');
    const sampled = chSrv.queries.filter((q) => q.startsWith('SELECT * FROM'));
    expect(sampled.sort()).toEqual([
      'SELECT * FROM `app`.`logs` LIMIT 2',
      'SELECT * FROM `app`.`sessions` LIMIT 2',
      'SELECT * FROM `app`.`users` LIMIT 2',
    ]);
    const note = r.observation.evidence.notes?.find((n) => n.startsWith('sampling skipped'));
    expect(note).toMatch(/sampling skipped 11 tables/);
    expect(note).toMatch(/app\.tokens_0 \(URL\)/);
  });
});

describe('part 4: redaction at the source', () => {
  it('requests are recorded as sent, with no \\r\\n glued to key names, and redacted', async () => {
    plant.redis = { ...emptyPlant().redis, keys: ['session:password=hunter2hunter2'], values: ['v'] };
    const r = await run([pinned(redis, redisSrv.port)], redisSrv.host, redisSrv.port, 'redis', { sampleRows: 1 });
    expect(r.observation.status).toBe('exposed');
    const mget = r.observation.evidence.requests.find((q) => q.includes('MGET'))!;
    expect(mget).toBeDefined();
    expect(mget).not.toMatch(/\\r\\n[^ ]/);
    expect(json(r.observation)).not.toContain('hunter2hunter2');
  });

  it('fingerprints are HMAC-keyed: not the plain SHA-256, stable with the installation key, different under another', async () => {
    const secret = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    const plain = createHash('sha256').update(secret).digest('hex').slice(0, 8);
    const dir = mkdtempSync(path.join(tmpdir(), 'ea-key-'));
    const other = mkdtempSync(path.join(tmpdir(), 'ea-key-'));
    try {
      const file = await useInstallationKey(path.join(dir, 'state.json'));
      expect(file).toBe(path.join(dir, '.exposure-audit-key'));
      expect(statSync(file!).mode & 0o777).toBe(0o600);
      const a = fingerprintSecret(secret);
      expect(a).not.toContain(plain);
      await useInstallationKey(path.join(dir, 'state.json'));
      expect(fingerprintSecret(secret)).toBe(a);
      await useInstallationKey(path.join(other, 'state.json'));
      expect(fingerprintSecret(secret)).not.toBe(a);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('part 5: no server writes to the terminal; rendering linear', () => {
  const nasty = '\x1b[2J\x1b[H\x1b]0;owned\x07\x1b]52;c;ZXZpbA==\x07No findings.\x9b1m';

  it('a Redis error line and table names with escape sequences reach the table neutralised', async () => {
    plant.redis = { ...emptyPlant().redis, pingError: `ERR ${nasty}` };
    const a = await run([pinned(redis, redisSrv.port)], redisSrv.host, redisSrv.port, 'redis');
    expect(a.observation.status).toBe('not-detected');
    plant.clickhouse = { ...emptyPlant().clickhouse, tables: [['app', `users${nasty}`, 'MergeTree']] };
    const b = await run([pinned(clickhouseHttp, chSrv.port)], chSrv.host, chSrv.port, 'clickhouse');
    expect(b.observation.status).toBe('exposed');
    const report = reportOf([a, b]);
    const plainTable = renderTable(report, { color: false });
    // eslint-disable-next-line no-control-regex -- the point: no control character from a server reaches the terminal
    expect(plainTable).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(plainTable).toContain('\\x1b[2J');
    for (const [format, text] of Object.entries(renderAll(report))) {
      // Our own colours are ESC [ … m; nothing else may be an escape, a BEL or a C1 control.
      // eslint-disable-next-line no-control-regex -- as above
      expect(text.replace(/\x1b\[[0-9;]*m/g, ''), format).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/);
    }
  });

  it('an 8 KB ClickHouse table name with spaces: the reason is capped and every format renders in well under a second', async () => {
    const long = 'x '.repeat(4096);
    plant.clickhouse = {
      ...emptyPlant().clickhouse,
      tables: [['app', `users ${long}`, 'MergeTree']],
      columns: [['app', `users ${long}`, 'password']],
    };
    const r = await run([pinned(clickhouseHttp, chSrv.port)], chSrv.host, chSrv.port, 'clickhouse');
    expect(r.observation.status).toBe('exposed');
    const report = reportOf([r]);
    expect(report.findings[0]!.reason.length).toBeLessThan(2000);
    const t0 = performance.now();
    renderAll(report);
    const ms = performance.now() - t0;
    console.log(`issue15: 8 KB table name rendered in every format in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(3000);
  });
});
