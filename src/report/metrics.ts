import { noServiceStatuses, notTestedWords } from '../domain/status.js';
import { severities, statuses } from '../types.js';
import type { Report } from './schema.js';
import { median, type RunSummary } from './trend.js';

/**
 * Prometheus text exposition (format 0.0.4, https://prometheus.io/docs/instrumenting/exposition_formats/) of one
 * run, for node_exporter's textfile collector: `-o /var/lib/node_exporter/textfile/exposure-audit.prom`. The file
 * is written to a temp name (not *.prom) and renamed, so the collector never reads half a file.
 *
 * Every series carries `inventory` (the inventory path), so several inventories can each write their own file
 * on one node without duplicate series. Counts are gauges: a run's findings are a level, not a counter.
 * No timestamps (the textfile collector refuses them); the times are values.
 */
export interface MetricsOptions {
  /**
   * exposure_audit_last_success_timestamp_seconds from the file this one replaces: an interrupted run keeps the
   * previous success time instead of dropping the series (an alert on its age keeps working).
   */
  previousLastSuccess?: number;
  /** The state file's run summaries, this run last: the history-derived gauges. */
  history?: readonly RunSummary[];
}

/** State history keeps days; metrics speak the base unit (promtool rejects `_days`). */
const DAY_SECONDS = 86_400;

export function renderMetrics(report: Report, opts: MetricsOptions = {}): string {
  const base = {
    inventory: report.run.inventory,
    ...(report.run.shard ? { shard: `${report.run.shard.index}/${report.run.shard.count}` } : {}),
  };
  const out: string[] = [];
  const family = (name: string, help: string, samples: [Record<string, string>, number][]) => {
    if (!samples.length) return;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) out.push(`${name}${labelText({ ...base, ...labels })} ${numberText(value)}`);
  };
  const s = report.summary;
  const open = report.findings.filter((f) => !f.suppressed);
  family('exposure_audit_info', 'exposure-audit version and report schema of the last run.', [
    [{ version: report.tool.version, schema_version: report.schemaVersion }, 1],
  ]);
  family(
    'exposure_audit_findings',
    'Findings of the last run by severity (suppressed ones excluded: see exposure_audit_findings_suppressed).',
    severities.map((sev) => [{ severity: sev }, open.filter((f) => f.severity === sev).length]),
  );
  family(
    'exposure_audit_findings_new',
    'Findings of the last run that are new since the previous run (state file or --baseline), by severity.',
    severities.map((sev) => [{ severity: sev }, open.filter((f) => f.severity === sev && f.change === 'new').length]),
  );
  family('exposure_audit_findings_suppressed', 'Findings under a suppression in force (accepted risks).', [
    [{}, s.suppressed ?? report.findings.filter((f) => f.suppressed).length],
  ]);
  if (report.diff) {
    family('exposure_audit_findings_resolved', 'Findings of the previous run gone in this one (the endpoint was tested again).', [
      [{}, report.diff.resolved.length],
    ]);
    // Known exposures this run could not re-check: still open. Their own series, so an alert can fire on them.
    const stale = report.diff.notRetested;
    family(
      'exposure_audit_findings_not_rechecked',
      'Findings of the previous run whose endpoint reached no verdict that proves a fix in this one: still open.',
      severities.map((sev) => [{ severity: sev }, stale.filter((e) => e.severity === sev).length]),
    );
  }
  family(
    'exposure_audit_endpoints',
    'Endpoints (address, port, service) of the last run by status; status="exposed" is unauthenticated access proven.',
    statuses.map((st) => [{ status: st }, s.byStatus[st]]),
  );
  family(
    'exposure_audit_endpoints_not_tested',
    `Endpoints with no verdict (${notTestedWords}); ${noServiceStatuses.join(' and ')} were tested.`,
    [[{}, s.notTested]],
  );
  family('exposure_audit_run_duration_seconds', 'Duration of the last run.', [[{}, report.run.durationMs / 1000]]);
  family('exposure_audit_run_complete', '1 when the last run audited every endpoint, 0 when it was interrupted.', [
    [{}, report.run.complete ? 1 : 0],
  ]);
  const finished = Date.parse(report.run.finishedAt) / 1000;
  family('exposure_audit_last_run_timestamp_seconds', 'Unix time the last run finished.', [[{}, finished]]);
  const lastSuccess = report.run.complete ? finished : opts.previousLastSuccess;
  if (lastSuccess !== undefined && Number.isFinite(lastSuccess)) {
    family('exposure_audit_last_success_timestamp_seconds', 'Unix time the last complete run finished.', [[{}, lastSuccess]]);
  }
  const history = opts.history ?? [];
  const last = history[history.length - 1];
  if (last) {
    // Prometheus names carry base units (seconds, not days): promtool check metrics rejects `_days`.
    family(
      'exposure_audit_oldest_open_finding_seconds',
      'How long the oldest open finding (not suppressed) has been open, from the state file.',
      [[{}, last.oldestOpenDays * DAY_SECONDS]],
    );
    family('exposure_audit_history_runs', 'Run summaries kept in the state file (the trend window, at most 90).', [[{}, history.length]]);
    const fixes = history.flatMap((h) => h.fixDays ?? []);
    const m = median(fixes);
    if (m !== undefined) {
      family(
        'exposure_audit_time_to_fix_seconds',
        'Median time from first seen to resolved, over the findings resolved in the trend window.',
        [[{}, m * DAY_SECONDS]],
      );
      family('exposure_audit_resolved_in_window', 'Findings resolved over the trend window (the runs in the state file).', [
        [{}, history.reduce((n, h) => n + h.resolved, 0)],
      ]);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The last-success value of an earlier metrics file (for MetricsOptions.previousLastSuccess), if any. */
export function lastSuccessIn(previous: string): number | undefined {
  const m = /^exposure_audit_last_success_timestamp_seconds(?:\{[^\n]*\})? (\S+)$/m.exec(previous);
  const v = m ? Number(m[1]) : NaN;
  return Number.isFinite(v) ? v : undefined;
}

/** Label values escape backslash, double quote and line feed (the exposition format's three escapes). */
function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  return String(n);
}
