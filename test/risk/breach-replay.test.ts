import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { reportSchema, type Report } from '../../src/report/schema.js';
import { clickhouseQuery, seedRedis, startServer, stopAll, type ServerInstance } from '../../scripts/servers/index.js';

/**
 * The motivating breach, replayed on loopback (127.0.0.141–142): an analytics replica whose request log holds
 * API keys, and a cache holding keys by user. Every key is fabricated. The report must say so at critical, in
 * one line, and never print a key.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ea-breach-'));
const planted: string[] = [];
const key = (i: number) => `sk-proj-FAKE${String(i).padStart(5, '0')}breachREPLAYnotREAL`;
let ch: ServerInstance;
let redis: ServerInstance;
let inventory = '';


beforeAll(async () => {
  [ch, redis] = await Promise.all([
    startServer({ kind: 'clickhouse', variant: 'open', host: '127.0.0.141' }),
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
    `targets:\n  - host: 127.0.0.141\n    name: analytics-replica\n    services: {clickhouse: [${ch.ports.http}]}\n  - host: 127.0.0.142\n    name: key-cache\n    services: {redis: [${redis.ports.redis}]}\n`,
  );
}, 90_000);

afterAll(stopAll);

describe('breach replay', () => {
  let report: Report;
  let outputs: Record<string, string> = {};

  beforeAll(async () => {
    const outs = ['report.json', 'report.txt'].map((f) => path.join(dir, f));
    const json = await cli([inventory, '--sample', '100', '--format', 'json', ...outs.flatMap((o) => ['--out', o])]);
    const table = await cli([inventory, '--sample', '100']);
    expect(json.code).toBe(1);
    report = reportSchema.parse(JSON.parse(json.stdout));
    outputs = { 'json stdout': json.stdout, 'table stdout': table.stdout, stderr: json.stderr + table.stderr };
    for (const f of readdirSync(dir)) if (f.startsWith('report.')) outputs[f] = readFileSync(path.join(dir, f), 'utf8');
  }, 60_000);

  it('ClickHouse: one critical finding naming the table, its rows, the api_key column and the keys found', () => {
    const findings = report.findings.filter((f) => f.service === 'clickhouse');
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.severity).toBe('critical');
    expect(f.reason).toMatch(/^critical: unauthenticated read of 500 rows/);
    expect(f.reason).toContain('500 rows in default_replica.log_stream');
    expect(f.reason).toContain('default_replica.log_stream.api_key');
    expect(f.reason).toContain('100 sk- API keys in 100 sampled rows');
    const sample = report.endpoints.find((e) => e.service === 'clickhouse')!.data!.sample!;
    expect(sample.sources).toEqual(['default_replica.log_stream']);
    expect(sample.secrets[0]).toMatchObject({ pattern: 'openai-key', count: 100 });
    expect(sample.secrets[0]!.fingerprints[0]).toMatch(/^sk-proj-…[A-Za-z]{4}#[0-9a-f]{8}$/);
  });

  it('Redis: critical, with the keys found in sampled values', () => {
    const f = report.findings.find((x) => x.service === 'redis')!;
    expect(f.severity).toBe('critical');
    expect(f.reason).toContain('41 keys');
    expect(f.reason).toContain('40 sk- API keys in 40 sampled rows');
  });

  it('no planted key appears anywhere in any output', () => {
    expect(Object.keys(outputs).length).toBeGreaterThanOrEqual(5);
    for (const [name, text] of Object.entries(outputs)) {
      for (const k of planted) expect(text.includes(k), `${name} leaks ${k}`).toBe(false);
      // Not even the distinctive middle of a key.
      expect(text, name).not.toMatch(/breachREPLAYnotREAL/);
    }
  });

  it('metadata only by default: without --sample nothing is sampled', async () => {
    const r = await cli([inventory, '--format', 'json']);
    const rep = reportSchema.parse(JSON.parse(r.stdout));
    expect(rep.endpoints.every((e) => e.data?.sample === undefined)).toBe(true);
    expect(rep.endpoints.flatMap((e) => e.evidence.requests).some((q) => /MGET|SELECT \*/.test(decodeURIComponent(q)))).toBe(false);
    // Still critical from the names alone.
    expect(rep.findings.find((f) => f.service === 'clickhouse')?.severity).toBe('critical');
  });
});

describe('breach replay: an Elasticsearch log index (replayed responses, see the stub)', () => {
  it('critical, naming the index and the keys found in sampled documents; no key printed', async () => {
    const { startStub, plantedKeys } = await import('../fixtures/elasticsearch-stub.js');
    const stub = await startStub('es7-open', '127.0.0.143');
    try {
      const inv = path.join(dir, 'es.yaml');
      writeFileSync(inv, `targets:\n  - host: 127.0.0.143\n    name: search-cluster\n    services: {elasticsearch: [${stub.port}]}\n`);
      const json = await cli([inv, '--sample', '20', '--format', 'json', '--out', path.join(dir, 'es.json')]);
      const table = await cli([inv, '--sample', '20']);
      const rep = reportSchema.parse(JSON.parse(json.stdout));
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
