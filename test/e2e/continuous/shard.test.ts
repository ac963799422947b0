import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard, selectShard, shardOf } from '../../../src/continuous/shard.js';
import { schemaVersion, type Report } from '../../../src/report/schema.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { seedRedis, startServer, stopAll } from '../../support/servers/index.js';
import { cli, fingerprints, parseReport, statusMap, tempDir } from '../../support/continuous.js';

// Real Redis on 127.0.0.212 (open), 127.0.0.213 (password) and 127.0.0.217 (open, inside 127.0.0.216/30);
// an HTTP server on 127.0.0.214 and a tarpit on 127.0.0.215; closed ports on 127.0.0.212 and the rest of the /30.
const dir = tempDir('shard');
const inventory = path.join(dir, 'targets.yaml');
let web: FakeServer, tarpit: FakeServer;
let full: Report;
const shardFile = (k: number) => path.join(dir, `shard-${k}.json`);

beforeAll(async () => {
  const [open, secured, inCidr] = await Promise.all([
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.212' }),
    startServer({ kind: 'redis', variant: 'protected', host: '127.0.0.213' }),
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.217' }),
  ]);
  await seedRedis(open, { 'token:1': 'a' });
  web = await startHttp('127.0.0.214', (_q, r) => r.end('<html>hi</html>'));
  tarpit = await startRaw('127.0.0.215', { kind: 'silent' });
  const closed = await Promise.all([closedPort('127.0.0.212'), closedPort('127.0.0.212'), closedPort('127.0.0.212')]);
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.0.212',
      '    name: sessions',
      `    services: {redis: [${open.ports.redis}, ${closed.join(', ')}]}`,
      '  - host: 127.0.0.213',
      `    services: {redis: [${secured.ports.redis}]}`,
      '  - host: 127.0.0.214',
      `    services: {redis: [${web.port}]}`,
      '  - host: 127.0.0.215',
      `    services: {redis: [${tarpit.port}]}`,
      '  - host: 127.0.0.216/30',
      '    name: cache-pool',
      `    services: {redis: [${inCidr.ports.redis}]}`,
      'defaults: {timeout: 600ms, connectTimeout: 400ms}',
    ].join('\n'),
  );
  const r = await cli([inventory, '--format', 'json', '--no-state', '--out', path.join(dir, 'full.json')]);
  expect(r.stderr).toBe('');
  full = parseReport(r.stdout);
}, 90_000);

afterAll(async () => {
  await Promise.all([web.close(), tarpit.close()]);
  await stopAll();
});

describe('--shard K/N and merge', () => {
  it('shards 1/3, 2/3 and 3/3 merged equal one full run', async () => {
    expect(full.summary.endpoints).toBe(11);
    expect(full.summary.byStatus).toMatchObject({ exposed: 2, 'auth-required': 1, 'not-detected': 1, timeout: 1, closed: 6 });
    const shards: Report[] = [];
    for (const k of [1, 2, 3]) {
      const r = await cli([inventory, '--format', 'json', '--shard', `${k}/3`, '--out', shardFile(k)]);
      expect(r.stderr).toBe('');
      const report = parseReport(r.stdout);
      expect(report.run.shard).toEqual({ index: k, count: 3 });
      shards.push(report);
    }
    // A partition: every endpoint in exactly one shard.
    const keys = shards.flatMap((s) => Object.keys(statusMap(s)));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(Object.keys(statusMap(full)).sort());

    const out = path.join(dir, 'merged.json');
    const m = await cli(['merge', shardFile(1), shardFile(2), shardFile(3), '--format', 'json', '--out', out]);
    expect([m.code, m.stderr]).toEqual([0, '']);
    const merged = parseReport(m.stdout);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(m.stdout));
    expect(statusMap(merged)).toEqual(statusMap(full));
    expect(fingerprints(merged)).toEqual(fingerprints(full));
    const { suppressed: _s, ...summary } = merged.summary;
    expect(summary).toEqual(full.summary);
    expect(merged.run.complete).toBe(true);
    expect(merged.run.shard).toBeUndefined();
    expect(merged.findings.map((f) => f.fingerprint)).toEqual(full.findings.map((f) => f.fingerprint)); // same order too

    const table = await cli(['merge', shardFile(3), shardFile(1), shardFile(2)]);
    expect(table.stdout).toMatch(/11 endpoints: 2 exposed, 1 auth-required, 1 not-detected, 6 closed, 1 timeout/);
    expect((await cli(['merge', shardFile(1), shardFile(2), shardFile(3), '--fail-on', 'high'])).code).toBe(1);
  });

  it('with --baseline, each shard compares only its share; merged diffs add up', async () => {
    const baseline = path.join(dir, 'full.json');
    const reports: string[] = [];
    for (const k of [1, 2, 3]) {
      const file = path.join(dir, `diff-shard-${k}.json`);
      const r = await cli([inventory, '--format', 'json', '--shard', `${k}/3`, '--baseline', baseline, '--out', file]);
      const d = parseReport(r.stdout).diff!;
      expect(d).toMatchObject({ new: 0, resolved: [], notRetested: [] });
      reports.push(file);
    }
    const merged = parseReport((await cli(['merge', ...reports, '--format', 'json'])).stdout);
    expect(merged.diff).toEqual({ baseline, new: 0, unchanged: full.findings.length, changedSeverity: 0, resolved: [], notRetested: [] });
  });

  it('merge refuses overlapping shards and mixed schema versions; a missing shard makes it incomplete', async () => {
    const twice = await cli(['merge', shardFile(1), shardFile(1)]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^exposure-audit: EA_USAGE: merge: .*shard-1\.json and .*shard-1\.json overlap: both are shard 1\/3\n$/);

    const fullAgain = await cli(['merge', path.join(dir, 'full.json'), shardFile(2)]);
    expect(fullAgain.stderr).toMatch(/overlap: both audited 127\.0\.0\./);

    const older = path.join(dir, 'shard-2-older.json');
    writeFileSync(older, JSON.stringify({ ...JSON.parse(readFileSync(shardFile(2), 'utf8')), schemaVersion: '1.1.0' }));
    const mixed = await cli(['merge', shardFile(1), older, shardFile(3)]);
    expect(mixed.code).toBe(2);
    // The current version, whatever it is (the literal here went stale at 1.3.0).
    const v = schemaVersion.replace(/\./g, '\\.');
    expect(mixed.stderr).toMatch(
      new RegExp(`different schema versions \\(.*shard-1\\.json: ${v}, .*shard-2-older\\.json: 1\\.1\\.0, .*shard-3\\.json: ${v}\\)`),
    );

    const partial = await cli(['merge', shardFile(1), shardFile(3), '--format', 'json']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toBe('exposure-audit: merge: shard 2/3 missing: the merged report is marked incomplete\n');
    expect(parseReport(partial.stdout).run.complete).toBe(false);
  });

  it('bad --shard values are usage errors', async () => {
    for (const v of ['0/3', '4/3', '1/0', 'a/b', '1', '1/1001']) {
      const r = await cli([inventory, '--shard', v]);
      expect(r.code, v).toBe(2);
      expect(r.stderr, v).toMatch(/--shard <K\/N>' argument .* is invalid\. expected K\/N/);
    }
    expect(parseShard(' 2/5 ')).toEqual({ index: 2, count: 5 });
  });
});

describe('shard assignment (in memory)', () => {
  const endpointArb = fc.record({
    host: fc.ipV4().map((ip) => `127.${ip.split('.').slice(1).join('.')}`),
    port: fc.integer({ min: 1, max: 65535 }),
    service: fc.constantFrom('redis', 'clickhouse', 'elasticsearch'),
  });

  it('is a partition, and independent of order and of the other endpoints', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(endpointArb, { selector: (e) => `${e.host}|${e.port}|${e.service}`, maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        (eps, n) => {
          const shards = Array.from({ length: n }, (_, k) => selectShard(eps, { index: k + 1, count: n }));
          expect(shards.reduce((s, x) => s + x.length, 0)).toBe(eps.length);
          const reversed = [...eps].reverse();
          for (let k = 0; k < n; k++) {
            expect(new Set(selectShard(reversed, { index: k + 1, count: n }))).toEqual(new Set(shards[k]));
          }
          for (const e of eps) expect(shardOf(e, n)).toBe(shardOf({ ...e }, n));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('spreads endpoints roughly evenly', () => {
    const eps = Array.from({ length: 3000 }, (_, i) => ({ host: `127.0.${i >> 8}.${i & 255}`, port: 6379, service: 'redis' }));
    const sizes = [1, 2, 3].map((k) => selectShard(eps, { index: k, count: 3 }).length);
    for (const s of sizes) expect(s).toBeGreaterThan(850);
  });
});
