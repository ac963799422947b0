// Issue 21 parts 3–4: memory of what was open. A known exposure that cannot be re-checked stays open ("not
// re-checked since"), in every output, and the run exits 4 (--allow-unrechecked relaxes it); a host removed from the
// inventory retires its findings; --resolve-unreachable-after N resolves after N complete runs without a verdict,
// saying so. Real Redis on loopback, stalled by SIGSTOP on its own pid (a server that accepts and never answers).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { applyDiff, type Baseline } from '../../../src/continuous/diff.js';
import { cronLine } from '../../../src/continuous/cron.js';
import { updateState, type State } from '../../../src/continuous/state.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMetrics } from '../../../src/report/metrics.js';
import { ReportBuilder } from '../../../src/report/model.js';
import { probeMetas } from '../../../src/cli/registry.js';
import type { Status } from '../../../src/types.js';
import { redisFinding, redisResult } from '../../support/results.js';
import { cli, parseReport, tempDir } from '../../support/continuous.js';

const entry = (host: string, extra: object = {}) => redisFinding(host, { lastSeen: '2026-12-01T02:17:00.000Z', ...extra });
function run(statuses: Array<[string, Status]>, complete = true) {
  const b = new ReportBuilder({ inventory: 'targets.yaml', failOn: 'high', probes: probeMetas });
  const endpoints = statuses.map(([h, s], i) => b.add(redisResult(h, s), i).endpoint);
  return b.finish({ startedAt: new Date(0), finishedAt: new Date(1), complete }, endpoints);
}

describe('the fate of a finding gone from this run', () => {
  const baseline: Baseline = {
    name: 'state:s.json',
    findings: [entry('127.0.0.2'), entry('127.0.0.3', { unreachableRuns: 2 }), entry('127.0.0.4')],
  };
  const report = run([
    ['127.0.0.2', 'timeout'],
    ['127.0.0.3', 'filtered'],
  ]);
  const declaredAssets = new Set(['127.0.0.2', '127.0.0.3']);

  it('not re-checked (open, since lastSeen, one more unreachable run); retired when its asset is gone', () => {
    const d = applyDiff(report, baseline, { declaredAssets }).diff!;
    expect(d.resolved).toEqual([]);
    expect(d.notRetested.map((e) => [e.host, e.lastSeen, e.unreachableRuns])).toEqual([
      ['127.0.0.2', '2026-12-01T02:17:00.000Z', 1],
      ['127.0.0.3', '2026-12-01T02:17:00.000Z', 3],
    ]);
    expect(d.retired?.map((e) => e.host)).toEqual(['127.0.0.4']);
  });

  it('a selected or interrupted run (no declaredAssets) retires nothing and counts no run', () => {
    const d = applyDiff(report, baseline).diff!;
    expect(d.retired).toBeUndefined();
    expect(d.notRetested.map((e) => [e.host, e.unreachableRuns])).toEqual([
      ['127.0.0.2', 0],
      ['127.0.0.3', 2],
      ['127.0.0.4', 0],
    ]);
  });

  it('--resolve-unreachable-after 3 resolves the third unreachable run, saying so; the state drops it', () => {
    const d = applyDiff(report, baseline, { declaredAssets, resolveUnreachableAfter: 3 }).diff!;
    expect(d.resolved.map((e) => [e.host, e.resolvedAs])).toEqual([['127.0.0.3', 'unreachable']]);
    const prev: State = {
      tool: 'exposure-audit',
      stateVersion: 1,
      updatedAt: '2026-12-01T02:17:00.000Z',
      findings: Object.fromEntries(
        baseline.findings.map(({ fingerprint, lastSeen: _l, resolvedAs: _r, ...e }) => [
          fingerprint,
          { ...e, firstSeen: '2026-12-01T02:17:00.000Z', lastSeen: '2026-12-01T02:17:00.000Z', check: 'redis:unauthenticated' },
        ]),
      ),
    };
    const next = updateState(prev, report, new Date('2026-12-02T02:17:00Z'), undefined, { declaredAssets, resolveUnreachableAfter: 3 });
    expect(Object.keys(next.findings)).toEqual(['fp-127.0.0.2']);
    expect(next.findings['fp-127.0.0.2']).toMatchObject({ lastSeen: '2026-12-01T02:17:00.000Z', unreachableRuns: 1 });
  });

  it('every output says it: cron line, metrics series, JUnit failure, Markdown-ready wording', () => {
    const r = applyDiff(report, { name: 'state:s.json', findings: [entry('127.0.0.2')] }, { declaredAssets });
    expect(cronLine(r, ['/srv/report.html'])).toBe(
      'exposure-audit: 1 not re-checked (1 critical) since 2026-12-01; open: none; report: /srv/report.html',
    );
    expect(renderMetrics(r)).toMatch(/^exposure_audit_findings_not_rechecked\{[^}]*severity="critical"[^}]*\} 1$/m);
    const xml = renderJunit(r);
    expect(xml).toMatch(
      /<testcase [^>]*name="not re-checked: critical 127\.0\.0\.2:6379 redis: [^"]*open, not re-checked since 2026-12-01"[^>]*>\s*<failure /,
    );
  });
});

describe('the nightly contract on a real Redis that stalls (SIGSTOP on its pid)', () => {
  let redis: ServerInstance | undefined;
  const dir = tempDir('unrechecked');
  const state = path.join(dir, 'state.json');
  const inventory = path.join(dir, 'targets.yaml');
  const report = path.join(dir, 'report.json');
  const scan = (...extra: string[]) =>
    cli(['scan', inventory, '--cron', '--state', state, '--out', report, '--timeout', '1s', '--connect-timeout', '1s', ...extra]);

  beforeAll(async () => {
    redis = await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.121' });
    writeFileSync(
      inventory,
      `targets:\n  - host: 127.0.0.121\n    services: {redis: [${redis.ports.redis}]}\n  - host: 127.0.0.122\n    services: {redis: [1]}\n`,
    );
  });
  afterAll(async () => {
    if (redis) process.kill(redis.pid, 'SIGCONT');
    await stopAll();
  });

  it('exposed, then stalled: exit 4 and one cron line; relaxed with --allow-unrechecked; back: unchanged; host removed: retired', async () => {
    const first = await scan();
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/^exposure-audit: 1 new \(1 critical\)/);

    process.kill(redis!.pid, 'SIGSTOP');
    const stalled = await scan();
    expect(stalled.code, stalled.stderr).toBe(4);
    expect(stalled.stdout).toMatch(/^exposure-audit: 1 not re-checked \(1 critical\) since \d{4}-\d\d-\d\d; open: none; report: /);
    expect(stalled.stderr).toMatch(/1 known exposure at or above high could not be re-checked and stays open/);
    const r = parseReport(readFileSync(report, 'utf8'));
    expect(r.diff!.notRetested.map((e) => e.host)).toEqual(['127.0.0.121']);
    expect(r.diff!.resolved).toEqual([]);
    // Re-checked with the full timeout before it was left open (src/engine/recheck.ts), and the row says so.
    const row = r.endpoints.find((e) => e.host === '127.0.0.121')!;
    expect(row.status).toBe('timeout');
    expect(row.evidence.notes?.[0]).toMatch(
      /^known exposure re-checked 2× with the full timeout \(1000 ms\): .*; no verdict, so the known exposure stays open$/,
    );
    const kept = JSON.parse(readFileSync(state, 'utf8')) as State;
    expect(Object.values(kept.findings).map((f) => f.host)).toEqual(['127.0.0.121']);

    const relaxed = await scan('--allow-unrechecked');
    expect(relaxed.code, relaxed.stderr).toBe(0);
    expect(relaxed.stdout).toContain('not re-checked');

    process.kill(redis!.pid, 'SIGCONT');
    const back = await scan();
    expect(back.code, back.stderr).toBe(1); // still a critical finding, not new: the cron line stays quiet
    expect(back.stdout).toBe('');
    expect(parseReport(readFileSync(report, 'utf8')).findings[0]!.change).toBe('unchanged');

    writeFileSync(inventory, 'targets:\n  - host: 127.0.0.122\n    services: {redis: [1]}\n');
    const removed = await scan();
    expect(removed.code, removed.stderr).toBe(0);
    expect(parseReport(readFileSync(report, 'utf8')).diff!.retired?.map((e) => e.host)).toEqual(['127.0.0.121']);
    expect((JSON.parse(readFileSync(state, 'utf8')) as State).findings).toEqual({});
  });
});
