import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';
import { type Report } from '../../../src/report/schema.js';
import { parseReport } from '../../../src/report/compact.js';
import { clickhouseQuery, seedRedis, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';

/**
 * The motivating breach, replayed on loopback (127.0.0.141–142): an analytics replica whose request log holds
 * API keys, and a cache holding keys by user. Every key is fabricated. The report must say so at critical, in
 * one line, and never print a key.
 *
 * Issue 13 (the morning after): the replica also keeps a month-partitioned chat history (2025-01-06 to 2026-11-30)
 * and system.query_log, where a second loopback address (127.0.0.77, the "someone else") ran queries before the
 * audit. The report must say how old the data is, what kinds it is, that another address has been querying it,
 * and what to do (naming the keys' redacted fingerprints), in every format.
 */
const OTHER = '127.0.0.77';
const otherQueries = [
  'SELECT count() FROM default_replica.log_stream',
  'SELECT api_key FROM default_replica.log_stream LIMIT 5',
  'SELECT * FROM app.chat_history LIMIT 10',
];

/** One GET from OTHER (the client's source address), as someone else reading the open port would. */
function queryFrom(source: string, port: number, sql: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.141', port, localAddress: source, path: `/?query=${encodeURIComponent(sql)}`, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
const dir = mkdtempSync(path.join(tmpdir(), 'ea-breach-'));
const planted: string[] = [];
const key = (i: number) => `sk-proj-FAKE${String(i).padStart(5, '0')}breachREPLAYnotREAL`;
let ch: ServerInstance;
let redis: ServerInstance;
let inventory = '';

beforeAll(async () => {
  [ch, redis] = await Promise.all([
    startServer({ kind: 'clickhouse', variant: 'open', host: '127.0.0.141', queryLog: true }),
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.142' }),
  ]);
  await clickhouseQuery(ch, 'CREATE DATABASE default_replica');
  await clickhouseQuery(
    ch,
    'CREATE TABLE default_replica.log_stream (ts DateTime, api_key String, request String) ENGINE = MergeTree ORDER BY ts',
  );
  const rows = Array.from({ length: 500 }, (_, i) => {
    planted.push(key(i));
    // One line in three carries the key in the logged request too.
    const req = i % 3 === 0 ? `POST /v1/chat/completions Authorization: Bearer ${key(i)}` : 'GET /v1/models';
    return `(toDateTime('2026-01-01 00:00:00'), '${key(i)}', '${req}')`;
  });
  await clickhouseQuery(ch, `INSERT INTO default_replica.log_stream VALUES ${rows.join(',')}`);
  // Month-partitioned chat history: 2,000 rows, one day each from 2025-01-06 to 2026-11-30 (694 distinct days).
  await clickhouseQuery(ch, 'CREATE DATABASE app');
  await clickhouseQuery(
    ch,
    'CREATE TABLE app.chat_history (day Date, user_id UInt32, message String) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY day',
  );
  await clickhouseQuery(
    ch,
    "INSERT INTO app.chat_history SELECT toDate('2025-01-06') + (number % 694), number, concat('hello from user ', toString(number)) FROM system.numbers LIMIT 2000",
  );
  // Someone else reads the open port first.
  for (const q of otherQueries) expect(await queryFrom(OTHER, ch.ports.http!, q)).toBe(200);
  await clickhouseQuery(ch, 'SYSTEM FLUSH LOGS');
  const cache: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    cache[`apikey:user${i}`] = key(1000 + i);
    planted.push(key(1000 + i));
  }
  cache['page:home'] = '<html>';
  await seedRedis(redis, cache);
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    `targets:\n  - host: 127.0.0.141\n    name: analytics-replica\n    services: {clickhouse: [${ch.ports.http}]}\n    retention: {chat: 30d, logs: 90d}\n  - host: 127.0.0.142\n    name: key-cache\n    services: {redis: [${redis.ports.redis}]}\n`,
  );
}, 90_000);

afterAll(stopAll);

describe('breach replay', () => {
  let report: Report;
  let outputs: Record<string, string> = {};

  beforeAll(async () => {
    // A first run records first-seen in the state file; the report's exposure window starts there.
    await cli([inventory, '--quiet']);
    const outs = ['report.json', 'report.txt', 'report.md', 'report.html', 'report.sarif'].map((f) => path.join(dir, f));
    const json = await cli([inventory, '--sample', '100', '--format', 'json', ...outs.flatMap((o) => ['--out', o])]);
    const table = await cli([inventory, '--sample', '100', '--explain']);
    expect(json.code).toBe(1);
    report = parseReport(JSON.parse(json.stdout));
    outputs = { 'json stdout': json.stdout, 'table stdout': table.stdout, stderr: json.stderr + table.stderr };
    for (const f of readdirSync(dir)) if (f.startsWith('report.')) outputs[f] = readFileSync(path.join(dir, f), 'utf8');
  }, 60_000);

  it('ClickHouse: one critical finding naming the table, its rows, the api_key column and the keys found', () => {
    const findings = report.findings.filter((f) => f.service === 'clickhouse' && f.check === 'clickhouse-http:unauthenticated');
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.severity).toBe('critical');
    expect(f.reason).toMatch(/^critical: unauthenticated read of 2500 rows/);
    expect(f.reason).toContain('2000 rows in app.chat_history');
    expect(f.reason).toContain('default_replica.log_stream.api_key');
    expect(f.reason).toContain('100 sk- API keys in 200 sampled rows');
    const sample = report.endpoints.find((e) => e.service === 'clickhouse')!.data!.sample!;
    expect(sample.sources).toEqual(['app.chat_history', 'default_replica.log_stream']);
    expect(sample.secrets[0]).toMatchObject({ pattern: 'openai-key', count: 100 });
    expect(sample.secrets[0]!.fingerprints[0]).toMatch(/^sk-proj-…[A-Za-z]{4}#[0-9a-f]{8}$/);
  });

  it('data age from part metadata only: the chat history spans 693 days; an unpartitioned table is unknown, not old', () => {
    const ep = report.endpoints.find((e) => e.service === 'clickhouse')!;
    const chat = ep.data!.items.find((i) => i.name === 'app.chat_history')!;
    expect(chat).toMatchObject({ oldest: '2025-01-06', newest: '2026-11-30', ageFrom: 'partitions', rows: 2000 });
    // log_stream has no partition key: system.parts says 0000-00-00 / 1970, which is unknown.
    expect(ep.data!.items.find((i) => i.name === 'default_replica.log_stream')!.oldest).toBeUndefined();
    const f = report.findings.find((x) => x.check === 'clickhouse-http:unauthenticated')!;
    expect(f.dataAge).toContain('app.chat_history: 2,000 rows from 2025-01-06 to 2026-11-30 (693 days)');
  });

  it('data classes: chat, credentials and logs on the replica, counted in the summary', () => {
    const f = report.findings.find((x) => x.check === 'clickhouse-http:unauthenticated')!;
    expect(f.dataClasses).toEqual(expect.arrayContaining(['credentials', 'chat', 'logs']));
    const cache = report.findings.find((x) => x.service === 'redis')!;
    expect(cache.dataClasses).toContain('credentials');
    expect(report.summary.dataClasses).toMatchObject({ credentials: 2, chat: 1, logs: 1 });
  });

  it("access traces: the other address and its queries, from system.query_log; the auditor's own address excluded", () => {
    const ep = report.endpoints.find((e) => e.service === 'clickhouse')!;
    const a = ep.access!;
    expect(a.source).toBe('system.query_log');
    expect(a.ownAddress).toBeDefined();
    expect(a.otherAddresses).toContain(OTHER);
    expect(a.otherAddresses).not.toContain(a.ownAddress);
    expect(a.otherQueries).toBeGreaterThanOrEqual(otherQueries.length);
    const today = new Date().toISOString().slice(0, 10);
    expect(a.perDay!.at(-1)).toMatchObject({ day: today });
    const f = report.findings.find((x) => x.check === 'clickhouse-http:unauthenticated')!;
    expect(f.accessTrace).toMatch(new RegExp(`1 other client address \\(${OTHER.replace(/\./g, '\\.')}\\) ran \\d+ quer`));
    expect(f.reason).toMatch(/1 other client address ran \d+ queries since \d{4}-\d{2}-\d{2}/);
    // Redis keeps counts, not addresses: worded as counts.
    const r = report.endpoints.find((e) => e.service === 'redis')!.access!;
    expect(r.source).toBe('INFO stats');
    expect(r.connectionsReceived).toBeGreaterThan(0);
    expect(report.findings.find((x) => x.service === 'redis')!.accessTrace).toMatch(/connections received .*counts, not who/);
  });

  it('response checklist: the keys to rotate by redacted fingerprint, sessions to revoke, whose data, the window from the state file, logs, the fix', () => {
    const f = report.findings.find((x) => x.check === 'clickhouse-http:unauthenticated')!;
    const sample = report.endpoints.find((e) => e.service === 'clickhouse')!.data!.sample!;
    const r = f.response!;
    expect(r.rotate[0]).toMatchObject({ what: 'sk- API keys', count: 100 });
    expect(r.rotate[0]!.fingerprints).toEqual(sample.secrets[0]!.fingerprints);
    expect(r.revoke.join('\n')).toMatch(/default_replica\.log_stream/);
    expect(r.readable.join('\n')).toMatch(/chat and prompt histories of the end users who chatted: app\.chat_history/);
    expect(r.window.basis).toBe('state');
    expect(Date.parse(r.window.from!)).toBeLessThan(Date.parse(r.window.to!));
    expect(r.window.from).toBe(f.firstSeen);
    expect(r.logs[0]).toContain(OTHER);
    expect(r.logs.join('\n')).toMatch(/system\.query_log/);
    expect(r.fix).toBe(f.remediation);
    // Every format carries the checklist with the fingerprints, and the other address.
    const fp = r.rotate[0]!.fingerprints![0]!;
    // Markdown text is escaped (`sk\-proj\-…`): read it unescaped.
    const plain = (name: string) => (name === 'report.md' ? outputs[name]!.replace(/\\(.)/g, '$1') : outputs[name]!);
    for (const name of ['report.json', 'report.md', 'report.html', 'table stdout']) {
      expect(plain(name), name).toContain(fp);
      expect(plain(name), name).toContain(OTHER);
      expect(plain(name), name).toMatch(/2025-01-06/);
    }
    expect(outputs['table stdout']).toMatch(/what to do now:\n\s+1\. Rotate 100 sk- API keys/);
    expect(plain('report.md')).toMatch(/- \[ \] Rotate 100 sk- API keys/);
  });

  it('retention: chat older than 30 days in an exposed store is its own finding, in every report', () => {
    const f = report.findings.find((x) => x.check === 'clickhouse-http:retention-exceeded')!;
    expect(f.severity).toBe('high');
    expect(f.reason).toMatch(/app\.chat_history: data from 2025-01-06 is [\d,]+ days old, retention for chat is 30 days/);
    for (const name of ['report.txt', 'report.md', 'report.html', 'report.sarif'])
      expect(outputs[name], name).toMatch(/past its retention|RetentionExceeded|retention-exceeded/);
    // The key cache has no retention setting: no such finding.
    expect(report.findings.filter((x) => x.service === 'redis').map((x) => x.check)).toEqual(['redis:unauthenticated']);
  });

  it('Redis: critical, with the keys found in sampled values', () => {
    const f = report.findings.find((x) => x.service === 'redis')!;
    expect(f.severity).toBe('critical');
    expect(f.reason).toContain('41 keys');
    expect(f.reason).toContain('40 sk- API keys in 40 sampled rows');
  });

  it('no planted key appears anywhere in any output', () => {
    expect(Object.keys(outputs).length).toBeGreaterThanOrEqual(8);
    for (const [name, text] of Object.entries(outputs)) {
      for (const k of planted) expect(text.includes(k), `${name} leaks ${k}`).toBe(false);
      // Not even the distinctive middle of a key.
      expect(text, name).not.toMatch(/breachREPLAYnotREAL/);
    }
  });

  it('metadata only by default: without --sample nothing is sampled', async () => {
    const r = await cli([inventory, '--format', 'json']);
    const rep = parseReport(JSON.parse(r.stdout));
    expect(rep.endpoints.every((e) => e.data?.sample === undefined)).toBe(true);
    expect(rep.endpoints.flatMap((e) => e.evidence.requests).some((q) => /MGET|SELECT \*/.test(decodeURIComponent(q)))).toBe(false);
    // Still critical from the names alone.
    expect(rep.findings.find((f) => f.service === 'clickhouse')?.severity).toBe('critical');
  });
});

describe('breach replay: an Elasticsearch log index (replayed responses, see the stub)', () => {
  it('critical, naming the index and the keys found in sampled documents; no key printed', async () => {
    const { startStub, plantedKeys } = await import('../../fixtures/elasticsearch-stub.js');
    const stub = await startStub('es7-open', '127.0.0.143');
    try {
      const inv = path.join(dir, 'es.yaml');
      writeFileSync(inv, `targets:\n  - host: 127.0.0.143\n    name: search-cluster\n    services: {elasticsearch: [${stub.port}]}\n`);
      const json = await cli([inv, '--sample', '20', '--format', 'json', '--out', path.join(dir, 'es.json')]);
      const table = await cli([inv, '--sample', '20']);
      const rep = parseReport(JSON.parse(json.stdout));
      const f = rep.findings.find((x) => x.service === 'elasticsearch')!;
      expect(f.severity).toBe('critical');
      expect(f.reason).toContain('logs-app-2024.06');
      expect(f.reason).toContain('12 sk- API keys in 12 sampled rows');
      expect(stub.requests.filter((r) => r.includes('_search'))).toContain('GET /logs-app-2024.06/_search?size=20');
      for (const text of [json.stdout, table.stdout, json.stderr, readFileSync(path.join(dir, 'es.json'), 'utf8')]) {
        for (const k of plantedKeys) expect(text.includes(k)).toBe(false);
        expect(text).not.toMatch(/esREPLAYnotREAL/);
      }
    } finally {
      await stub.close();
    }
  });
});
