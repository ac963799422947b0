import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatForFile } from '../../../src/cli/formats.js';
import { main } from '../../../src/cli/main.js';
import { lastSuccessIn, renderMetrics } from '../../../src/report/metrics.js';
import type { Report } from '../../../src/report/schema.js';
import { sampleReport } from '../../fixtures/sample-run.js';
import { closedPort } from '../../support/fake-servers.js';

/** name -> [{labels, value}] through a maintained exposition parser, not our own reading of the text. */
function parsed(text: string) {
  const families = parsePrometheusTextFormat(text);
  return Object.fromEntries(
    families.map((f) => [
      f.name,
      { type: f.type, help: f.help, samples: f.metrics.map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) })) },
    ]),
  );
}

describe('renderMetrics: Prometheus text exposition', () => {
  it('findings by severity, new, endpoints by status, not tested, duration, last run and last success', () => {
    const report = sampleReport();
    const text = renderMetrics(report);
    const m = parsed(text);
    const inv = report.run.inventory;
    for (const f of Object.values(m)) expect(f.type).toBe('GAUGE');
    const bySev = Object.fromEntries(m.exposure_audit_findings!.samples.map((s) => [s.labels.severity, s.value]));
    const open = report.findings.filter((f) => !f.suppressed);
    expect(bySev).toEqual(
      Object.fromEntries(['critical', 'high', 'medium', 'low', 'info'].map((s) => [s, open.filter((f) => f.severity === s).length])),
    );
    expect(Object.values(bySev as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(report.summary.findings);
    expect(report.summary.findings).toBeGreaterThan(0);
    const byStatus = Object.fromEntries(m.exposure_audit_endpoints!.samples.map((s) => [s.labels.status, s.value]));
    expect(byStatus).toEqual(report.summary.byStatus);
    expect(byStatus.exposed).toBeGreaterThan(0);
    expect(m.exposure_audit_endpoints_not_tested!.samples[0]!.value).toBe(report.summary.notTested);
    expect(m.exposure_audit_run_duration_seconds!.samples[0]!.value).toBe(report.run.durationMs / 1000);
    expect(m.exposure_audit_run_complete!.samples[0]!.value).toBe(1);
    expect(m.exposure_audit_last_success_timestamp_seconds!.samples[0]!.value).toBe(Date.parse(report.run.finishedAt) / 1000);
    expect(m.exposure_audit_findings_new!.samples).toHaveLength(5);
    expect(m.exposure_audit_info!.samples[0]!.labels.version).toBe(report.tool.version);
    // Every series names its inventory: several inventories can write side by side in one textfile folder.
    for (const f of Object.values(m)) for (const s of f.samples) expect(s.labels.inventory).toBe(inv);
    // The textfile collector refuses timestamps: every sample line is `name{labels} value`.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-z_]+\{[^}]*\} -?[0-9.e+]+$/);
  });

  it('counts new findings from the state/baseline change marks', () => {
    const report = sampleReport();
    const marked: Report = { ...report, findings: report.findings.map((f, i) => ({ ...f, change: i === 0 ? 'new' : 'unchanged' })) };
    const news = parsed(renderMetrics(marked)).exposure_audit_findings_new!.samples;
    expect(news.reduce((a, s) => a + s.value, 0)).toBe(1);
    expect(news.find((s) => s.value === 1)!.labels.severity).toBe(marked.findings[0]!.severity);
  });

  it('an interrupted run keeps the previous last-success time, and says it was incomplete', () => {
    const report = sampleReport({ complete: false });
    const m = parsed(renderMetrics(report, { previousLastSuccess: 1_790_000_000 }));
    expect(m.exposure_audit_run_complete!.samples[0]!.value).toBe(0);
    expect(m.exposure_audit_last_success_timestamp_seconds!.samples[0]!.value).toBe(1_790_000_000);
    expect(parsed(renderMetrics(report)).exposure_audit_last_success_timestamp_seconds).toBeUndefined();
    expect(lastSuccessIn(renderMetrics(sampleReport()))).toBe(Date.parse(sampleReport().run.finishedAt) / 1000);
  });

  it('escapes label values (backslash, quote, newline) so the parser reads them back', () => {
    const report = sampleReport();
    const odd = { ...report, run: { ...report.run, inventory: 'C:\\inv "prod"\nx.yaml' } };
    const m = parsed(renderMetrics(odd));
    expect(m.exposure_audit_run_complete!.samples[0]!.labels.inventory).toBe('C:\\inv "prod"\nx.yaml');
  });
});

describe('exposure-audit scan -o metrics.prom', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ea-prom-'));
  let inventory = '';
  beforeAll(async () => {
    const port = await closedPort('127.0.0.171');
    inventory = path.join(dir, 'targets.yaml');
    writeFileSync(
      inventory,
      [
        'targets:',
        '  - host: 127.0.0.171',
        `    services: {redis: [${port}]}`,
        'defaults: {timeout: 800ms, connectTimeout: 500ms}',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('picks the format from .prom and writes through a temp file the textfile collector ignores', async () => {
    expect(formatForFile('/var/lib/node_exporter/textfile/exposure-audit.prom')).toBe('metrics');
    const out = path.join(dir, 'exposure-audit.prom');
    let stderr = '';
    const code = await main(['scan', inventory, '-q', '--no-state', '-o', out], {
      stdout: () => undefined,
      stderr: (s) => (stderr += s),
      isTty: false,
      env: {},
    });
    expect([code, stderr]).toEqual([0, '']);
    const m = parsed(readFileSync(out, 'utf8'));
    expect(m.exposure_audit_endpoints!.samples.find((s) => s.labels.status === 'closed')!.value).toBe(1);
    expect(m.exposure_audit_endpoints_not_tested!.samples[0]!.value).toBe(0); // closed was tested: no service
    expect(m.exposure_audit_findings!.samples.every((s) => s.value === 0)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['exposure-audit.prom', 'targets.yaml']);
  });
});

describe('metrics pass promtool', () => {
  // Debian's prometheus package ships promtool (scripts/install-test-deps.sh installs it); the linter Prometheus
  // users run in CI. Missing locally: skipped; missing in CI: a failure, so the check never silently disappears.
  const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
  it.skipIf(!promtool && !process.env.CI)('`promtool check metrics` accepts a run with history (base units, no lint problem)', () => {
    expect(promtool, 'promtool is missing: run scripts/install-test-deps.sh (Debian package prometheus)').toBeDefined();
    const history = [
      {
        at: '2026-12-01T00:00:00Z',
        open: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
        new: 1,
        resolved: 0,
        oldestOpenDays: 3,
        notTested: 0,
      },
      {
        at: '2026-12-02T00:00:00Z',
        open: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        new: 0,
        resolved: 1,
        oldestOpenDays: 0,
        notTested: 0,
        fixDays: [2],
      },
    ];
    const text = renderMetrics(sampleReport(), { history });
    expect(text).toMatch(/^exposure_audit_time_to_fix_seconds\{[^}]*\} 172800$/m);
    const r = spawnSync(promtool!, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 60_000 });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
