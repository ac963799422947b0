import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDiff, baselineFromReport, failsOnNew } from '../../../src/continuous/diff.js';
import type { Report } from '../../../src/report/schema.js';
import { closedPort } from '../../support/fake-servers.js';
import { seedRedis, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { cli, parseReport, tempDir } from '../../support/continuous.js';

// Real Redis on 127.0.0.204 (open, then stopped) and 127.0.0.205 (closed, then opened).
const dir = tempDir('diff');
const inventory = path.join(dir, 'targets.yaml');
const run1 = path.join(dir, 'run1.json');
const run2 = path.join(dir, 'run2.json');
let a: ServerInstance;
let bPort = 0;
let first: Report, second: Report;

beforeAll(async () => {
  a = await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.204' });
  await seedRedis(a, { 'cache:1': 'x' });
  bPort = await closedPort('127.0.0.205');
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.0.204',
      '    name: cache-a',
      `    services: {redis: [${a.ports.redis}]}`,
      '  - host: 127.0.0.205',
      '    name: cache-b',
      `    services: {redis: [${bPort}]}`,
      'defaults: {timeout: 2s, connectTimeout: 1s}',
    ].join('\n'),
  );
  // Run 1: A open, B closed.
  const r1 = await cli([inventory, '--format', 'json', '--out', run1, '--no-state']);
  expect(r1.stderr).toBe('');
  first = parseReport(r1.stdout);
  // Between the runs: A is closed, B is opened.
  await a.stop();
  await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.205', ports: { redis: bPort } });
}, 90_000);

afterAll(() => stopAll());

describe('--baseline: one Redis opened, another closed between two runs', () => {
  it('gives exactly one new and one resolved finding', async () => {
    expect(first.findings.map((f) => [f.asset, f.severity])).toEqual([['cache-a', 'critical']]);
    const r = await cli([inventory, '--format', 'json', '--out', run2, '--no-state', '--baseline', run1]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    second = parseReport(r.stdout);
    expect(second.findings.map((f) => [f.asset, f.change])).toEqual([['cache-b', 'new']]);
    expect(second.diff).toMatchObject({ baseline: run1, new: 1, unchanged: 0, changedSeverity: 0, notRetested: [] });
    expect(second.diff!.resolved).toEqual([
      {
        fingerprint: first.findings[0]!.fingerprint,
        severity: 'critical',
        title: first.findings[0]!.title,
        asset: 'cache-a',
        host: '127.0.0.204',
        port: a.ports.redis,
        service: 'redis',
      },
    ]);
    expect(JSON.parse(readFileSync(run2, 'utf8'))).toEqual(JSON.parse(r.stdout));
  });

  it('the table marks NEW and lists what was resolved', async () => {
    const r = await cli([inventory, '--no-state', '--baseline', run1]);
    expect(r.stdout).toMatch(/critical\s*│.*\n.*NEW/);
    expect(r.stdout).toMatch(
      new RegExp(
        `RESOLVED since ${run1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(1\\):\\n  ✓ critical +cache-a 127\\.0\\.0\\.204:${a.ports.redis} redis: Redis readable without authentication`,
      ),
    );
    expect(r.stdout).toMatch(/1 finding: 1 critical \(vs .*run1\.json: 1 new, 1 resolved, 0 severity changed, 0 unchanged\)/);
  });

  it('--fail-on-new: exit 1 only for NEW findings at or above --fail-on', async () => {
    // Against run 2, B is no longer new: a critical finding, but nothing new.
    const again = await cli([inventory, '--format', 'json', '--no-state', '--baseline', run2, '--fail-on-new']);
    expect(parseReport(again.stdout).diff).toMatchObject({ new: 0, unchanged: 1, resolved: [] });
    expect(again.code).toBe(0);
    expect((await cli([inventory, '--format', 'json', '--no-state', '--baseline', run2])).code).toBe(1);
    // Against run 1, B is new and critical.
    expect((await cli([inventory, '--format', 'json', '--no-state', '--baseline', run1, '--fail-on-new'])).code).toBe(1);
    expect((await cli([inventory, '--quiet', '--no-state', '--baseline', run1, '--fail-on-new', '--fail-on', 'critical'])).code).toBe(1);
  });
});

describe('exposure-audit diff OLD.json NEW.json', () => {
  it('json: the new report with change and the same diff', async () => {
    const plain = path.join(dir, 'plain2.json');
    await cli([inventory, '--format', 'json', '--out', plain, '--no-state']);
    const r = await cli(['diff', run1, plain, '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const d = parseReport(r.stdout);
    expect(d.findings.map((f) => [f.asset, f.change])).toEqual([['cache-b', 'new']]);
    expect(d.diff).toEqual({ ...second.diff, baseline: run1 });
  });

  it('table and markdown show only the changes', async () => {
    const t = await cli(['diff', run1, run2]);
    expect(t.stdout).toMatch(/^Changes vs .*run1\.json: 1 new, 1 resolved, 0 severity changed, 0 unchanged\n/);
    expect(t.stdout).toMatch(
      new RegExp(`NEW \\(1\\)\\n  critical +cache-b 127\\.0\\.0\\.205:${bPort} redis: Redis readable without authentication`),
    );
    expect(t.stdout).toMatch(/RESOLVED since .* \(1\):\n {2}✓ critical +cache-a 127\.0\.0\.204/);
    const md = await cli(['diff', run1, run2, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^## exposure-audit: changes since `.*run1\.json`/);
    expect(md.stdout).toMatch(
      /### New\n\n\| severity \| endpoint \| service \| finding \|\n\|---\|---\|---\|---\|\n\| \*\*critical\*\* \| `cache-b 127\.0\.0\.205:\d+` \|/,
    );
    expect(md.stdout).toMatch(/### Resolved\n[\s\S]*~~critical~~ \| `cache-a 127\.0\.0\.204:\d+`/);
  });

  it('the same report twice: no changes, exit 0 even with --fail-on-new', async () => {
    const r = await cli(['diff', run2, run2, '--fail-on-new']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 new, 0 resolved, 0 severity changed, 1 unchanged[\s\S]*No changes\./);
    expect((await cli(['diff', run1, run2, '--fail-on-new'])).code).toBe(1);
    expect((await cli(['diff', run1, run2, '--fail-on-new', '--fail-on', 'info'])).code).toBe(1);
  });

  it('bad inputs: exit 2 with one line', async () => {
    const missing = await cli(['diff', path.join(dir, 'nope.json'), run2]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `exposure-audit: EA_USAGE: diff: old report ${path.join(dir, 'nope.json')}: no such file\n`,
    ]);
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, 'targets: []');
    expect((await cli(['diff', notJson, run2])).stderr).toMatch(/^exposure-audit: EA_USAGE: diff: old report .*not\.json: not JSON/);
    const future = path.join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ ...first, schemaVersion: '2.0.0' }));
    expect((await cli(['diff', future, run2])).stderr).toMatch(/schema version 2\.0\.0 cannot be read/);
    expect((await cli([inventory, '--baseline', path.join(dir, 'nope.json')])).code).toBe(2);
  });

  it('an older 1.x report is a valid baseline (minor versions only add fields)', async () => {
    const old = path.join(dir, 'old-1.1.json');
    const { diff: _d, ...rest } = first;
    writeFileSync(
      old,
      JSON.stringify({ ...rest, schemaVersion: '1.1.0', findings: first.findings.map(({ firstSeen: _f, ageDays: _a, ...f }) => f) }),
    );
    const r = await cli(['diff', old, run2, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(parseReport(r.stdout).diff).toMatchObject({ new: 1, resolved: [{ asset: 'cache-a' }] });
  });
});

describe('applyDiff (in memory)', () => {
  it('a finding absent because its endpoint timed out is "not retested", never "resolved"; severity changes are told', () => {
    const f0 = first.findings[0]!;
    const baseline = baselineFromReport(
      {
        ...first,
        findings: [
          f0,
          { ...f0, fingerprint: 'f-gone-untested', host: '127.0.0.206', port: 6379 },
          { ...f0, fingerprint: 'f-escalated', host: '127.0.0.207', severity: 'low' },
        ],
      },
      'base.json',
    );
    const ep = first.endpoints[0]!;
    const now: Report = {
      ...first,
      endpoints: [
        { ...ep, status: 'closed' },
        { ...ep, host: '127.0.0.206', port: 6379, status: 'timeout' },
        { ...ep, host: '127.0.0.207', status: 'exposed' },
      ],
      findings: [{ ...f0, fingerprint: 'f-escalated', host: '127.0.0.207', severity: 'critical' }],
    };
    const d = applyDiff(now, baseline);
    expect(d.findings[0]).toMatchObject({ change: 'changed-severity', previousSeverity: 'low' });
    expect(d.diff).toMatchObject({ new: 0, unchanged: 0, changedSeverity: 1 });
    expect(d.diff!.resolved.map((e) => e.fingerprint)).toEqual([f0.fingerprint]);
    expect(d.diff!.notRetested.map((e) => e.fingerprint)).toEqual(['f-gone-untested']);
    expect(failsOnNew(d, 'info')).toBe(false); // an escalation is not NEW
    // Scoped (a shard or --service run): baseline findings outside the scope are not compared at all.
    const scoped = applyDiff(now, baseline, { inScope: (e) => e.host === '127.0.0.207' });
    expect([scoped.diff!.resolved, scoped.diff!.notRetested]).toEqual([[], []]);
  });
});
