// `filtered` is tested-and-unreachable, like closed: the summary does not count it as not tested; JUnit does not skip
// it. But a dropped connect is no proof of a fix (a busy server or a lost packet looks the same: issue 21), so a
// finding gone from an endpoint now filtered is "not retested", like a timeout; only closed (refused) resolves it.
import { describe, expect, it } from 'vitest';
import { applyDiff, type Baseline } from '../../../src/continuous/diff.js';
import { TestedRecorder } from '../../../src/continuous/tested.js';
import { renderJunit } from '../../../src/report/junit.js';
import { ReportBuilder } from '../../../src/report/model.js';
import type { Status } from '../../../src/types.js';
import { probeMetas } from '../../../src/cli/registry.js';
import { redisFinding, redisResult } from '../../support/results.js';

const result = (host: string, status: Status) => redisResult(host, status);
const entry = (host: string) => redisFinding(host);

function run(statuses: Array<[string, Status]>) {
  const b = new ReportBuilder({ inventory: 'targets.yaml', failOn: 'high', probes: probeMetas });
  const endpoints = statuses.map(([h, s], i) => b.add(result(h, s), i).endpoint);
  return b.finish({ startedAt: new Date(0), finishedAt: new Date(1), complete: true }, endpoints);
}

describe('filtered in the continuous layer and the reports', () => {
  const baseline: Baseline = { name: 'before.json', findings: [entry('127.0.0.2'), entry('127.0.0.3'), entry('127.0.0.4')] };
  const report = run([
    ['127.0.0.2', 'filtered'],
    ['127.0.0.3', 'closed'],
    ['127.0.0.4', 'timeout'],
  ]);

  it('resolved when the endpoint is now closed; not retested when it is filtered or timed out', () => {
    const d = applyDiff(report, baseline).diff!;
    expect(d.resolved.map((e) => e.host)).toEqual(['127.0.0.3']);
    expect(d.notRetested.map((e) => e.host)).toEqual(['127.0.0.2', '127.0.0.4']);
  });

  it('the same when streamed (TestedRecorder)', () => {
    const tested = new TestedRecorder(baseline.findings.map((f) => `${f.host}|${f.port}|${f.service}`));
    for (const e of report.endpoints) tested.note(e, false);
    const d = applyDiff(report, baseline, { tested }).diff!;
    expect(d.resolved.map((e) => e.host)).toEqual(['127.0.0.3']);
    expect(d.notRetested.map((e) => e.host)).toEqual(['127.0.0.2', '127.0.0.4']);
  });

  it('summary: filtered and closed are counted by status, not as not tested; JUnit does not skip them', () => {
    expect(report.summary.byStatus.filtered).toBe(1);
    expect(report.summary.notTested).toBe(1);
    const xml = renderJunit(report);
    const filteredCase = /<testcase [^>]*name="127\.0\.0\.2:6379 \(redis\)"[^>]*(\/>|>[\s\S]*?<\/testcase>)/.exec(xml)?.[0] ?? '';
    expect(filteredCase).not.toBe('');
    expect(filteredCase).not.toContain('<skipped');
    expect(xml).toMatch(/name="127\.0\.0\.4:6379 \(redis\)"[^>]*>\s*<skipped message="not tested: timeout/);
  });
});
