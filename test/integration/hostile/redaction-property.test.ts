import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clickhouseHttp from '../../../probes/clickhouse-http.js';
import elasticsearch from '../../../probes/elasticsearch.js';
import redis from '../../../probes/redis.js';
import { auditDefaults } from '../../../src/engine/audit.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import { HttpClient } from '../../../src/net/http.js';
import type { Probe } from '../../../src/probe.js';
import { endpointFor, renderAll, reportOf } from '../../support/render-all.js';
import { emptyPlant, startClickhouse, startElasticsearch, startRedis, type Plant } from '../../support/planted-stores.js';

/**
 * Issue 15, part 4, as a property: random secrets planted in every server-controlled field of replayed Redis,
 * ClickHouse and Elasticsearch replies (values, key names, database/table/column/index/field names, headers, error
 * lines, sampled rows), each in one of several encodings (plain, percent-encoded, JSON \u-escaped, with a CR LF
 * glued on), go through the engine (probeEndpoint, --sample) and the one ReportBuilder into every output format
 * (json, table, markdown, html, junit, sarif): none may contain a secret, raw or encoded.
 *
 * Secrets are planted where the patterns can see them: delimited by non-word characters (`:`, space, `.`), as
 * real secrets are; a token glued to letters (`xsk-…`) is not recognisable by design (it keeps false positives out).
 */
const alnum = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const upper = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const run = (chars: string[], min: number, max: number) =>
  fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** A secret and the part of it that must never appear. */
const secret = fc.oneof(
  run(alnum, 24, 40).map((s) => ({ text: `sk-proj-${s}`, core: s })),
  run(alnum, 36, 40).map((s) => ({ text: `ghp_${s}`, core: s })),
  run(upper, 16, 16).map((s) => ({ text: `AKIA${s}`, core: s })),
  run(alnum, 20, 30).map((s) => ({ text: `glpat-${s}`, core: s })),
  run(alnum, 14, 24).map((s) => ({ text: `password=${s}`, core: s })),
);
type Encoding = 'plain' | 'percent' | 'json-escape' | 'crlf';
const encoding = fc.constantFrom<Encoding>('plain', 'percent', 'json-escape', 'crlf');

function encode(s: string, e: Encoding): string {
  if (e === 'percent') return [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`).join('');
  if (e === 'json-escape') return [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  if (e === 'crlf') return `${s}\r\n`;
  return s;
}

const plant: Plant = emptyPlant();
let client: HttpClient;
let servers: Array<{ host: string; port: number; close(): Promise<void> }> = [];

beforeAll(async () => {
  client = new HttpClient({ connectTimeoutMs: 1000 });
  servers = [
    await startRedis('127.0.0.176', () => plant.redis),
    await startClickhouse('127.0.0.177', () => plant.clickhouse),
    await startElasticsearch('127.0.0.178', () => plant.es),
  ];
});
afterAll(async () => {
  await client.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function observe(probe: Probe, server: { host: string; port: number }) {
  const p = { meta: { ...probe.meta, defaultPorts: [server.port], tlsPorts: [] }, run: probe.run };
  const endpoint = endpointFor(server.host, server.port, probe.meta.service);
  const r = await probeEndpoint([p], endpoint, {
    timeoutMs: 3000,
    connectTimeoutMs: 1000,
    maxBytes: auditDefaults.maxBytes,
    caps: auditDefaults.caps,
    signal: new AbortController().signal,
    http: client,
    sampleRows: 3,
  });
  return { ...r, endpoint };
}

/** What a reader of the output sees: Markdown backslash escapes and HTML character references undone. */
function readable(text: string): string {
  return text
    .replace(/\\(.)/g, '$1')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

describe('no planted secret reaches any output', () => {
  it('Redis, ClickHouse and Elasticsearch replies with secrets in every field, every encoding, every format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(secret, encoding), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        async (planted, redisError) => {
          const at = (i: number) => encode(planted[i]![0].text, planted[i]![1]);
          plant.redis = {
            dbs: [[`db0 ${at(0)}`, 3]],
            keys: [`session:${at(1)}`, `${at(2)}`, 'token:1'],
            values: [`user ${at(3)} end`],
            extraInfo: `executable:/srv/${at(4)}`,
            ...(redisError ? { pingError: `ERR ${at(5)}` } : {}),
          };
          plant.clickhouse = {
            displayName: `node ${at(6)}`.replace(/[\r\n]/g, ''),
            tables: [
              ['app', `users ${at(7)}`, 'MergeTree'],
              ['app', 'tokens', 'MergeTree'],
            ],
            columns: [
              ['app', 'tokens', `col ${at(8)}`],
              ['app', `users ${at(7)}`, 'email'],
            ],
            sampleRows: [[`${at(9)}`, 'x']],
          };
          plant.es = {
            cluster: `c ${at(10)}`,
            indices: [`logs.${at(11)}`, 'users'],
            field: `f.${at(2)}`,
            header: 'x',
            docs: [`doc ${at(3)}`],
          };
          const obs = [
            await observe(redis, servers[0]!),
            await observe(clickhouseHttp, servers[1]!),
            await observe(elasticsearch, servers[2]!),
          ];
          const outputs = renderAll(reportOf(obs));
          for (const [format, text] of Object.entries(outputs)) {
            const seen = readable(text);
            for (const [s, e] of planted) {
              const core = s.core;
              for (const needle of [core, encode(core, e === 'crlf' ? 'plain' : e)]) {
                if (needle.length < 12) continue;
                const hit = text.includes(needle) ? text : seen.includes(needle) ? seen : undefined;
                const i = hit?.indexOf(needle) ?? -1;
                expect(i < 0 ? '' : hit!.slice(Math.max(0, i - 120), i + needle.length + 40), `${format} contains ${s.text} (${e})`).toBe(
                  '',
                );
              }
            }
          }
        },
      ),
      { numRuns: 25, endOnFailure: true, seed: Number(process.env.FC_SEED ?? Date.now() % 1_000_000) },
    );
  }, 120_000);
});
