import { classifyAll } from '../classify/classify.js';
import { compareFindings } from '../domain/finding.js';
import { untestedCount } from '../domain/status.js';
import type { AuditRun } from '../engine/audit.js';
import type { ProbeMeta } from '../probe.js';
import { dataClasses } from '../risk/data-classes.js';
import { redactDeep } from '../risk/redact.js';
import { severities, statuses, type EndpointResult, type Finding, type Severity } from '../types.js';
import { version } from '../version.js';
import { schemaVersion, type Report } from './schema.js';

export interface BuildReportOptions {
  inventory: string;
  failOn: Severity;
  sourceAddress?: string;
  /** Each probe's meta (the CLI passes the registry's): the classifier reads the meta of the probe that answered. */
  probes: readonly ProbeMeta[];
  /** The inventory's targets as declared (EndpointPlan.declarations): the JSON report writes closed and filtered rows compactly against them. */
  declarations?: readonly NonNullable<Report['declarations']>[number][];
}

type Summary = Report['summary'];
export type StatusCounts = Summary['byStatus'];

/** Every status at zero, in the report's key order. */
export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(statuses.map((s) => [s, 0])) as StatusCounts;
}

/**
 * The report's summary from endpoint counts per status and the findings: the one place it is computed (a run's
 * report and a merged one). Key order is the report's.
 */
export function summaryOf(
  byStatus: StatusCounts,
  findings: readonly Pick<Finding, 'severity' | 'dataClasses' | 'host' | 'port'>[],
): Summary {
  const bySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Summary['bySeverity'];
  for (const f of findings) bySeverity[f.severity]++;
  const classes = dataClassCounts(findings);
  return {
    endpoints: statuses.reduce((n, s) => n + byStatus[s], 0),
    byStatus,
    notTested: untestedCount(byStatus),
    findings: findings.length,
    bySeverity,
    ...(classes ? { dataClasses: classes } : {}),
  };
}

/** Exposed endpoints (host:port) per data class, in the data-class table's order; undefined when none names one. */
function dataClassCounts(findings: readonly Pick<Finding, 'dataClasses' | 'host' | 'port'>[]): Record<string, number> | undefined {
  const counts: Record<string, number> = {};
  for (const c of dataClasses) {
    const k = new Set(findings.filter((f) => f.dataClasses?.includes(c.id)).map((f) => `${f.host}|${f.port}`)).size;
    if (k) counts[c.id] = k;
  }
  return Object.keys(counts).length ? counts : undefined;
}

/** What finish() needs of the run besides its results. */
export type RunTimes = Pick<AuditRun, 'startedAt' | 'finishedAt' | 'complete'> & {
  /** Interrupted runs: endpoints never started (counted, not listed). */
  notStarted?: number;
};

/**
 * Builds the report one result at a time: each result is redacted (the one redactor), counted and classified as it
 * arrives; only the findings (few) and the counts stay here. Where the redacted results go is the caller's choice:
 * back into the run's array (buildReport), or a spool file read back by the streaming JSON writer, so a run of
 * 100,000 endpoints never holds 100,000 results.
 */
export class ReportBuilder {
  readonly #opts: BuildReportOptions;
  readonly #byStatus = emptyStatusCounts();
  /** With the index of the endpoint each came from: results arrive in completion order, reports list inventory order. */
  readonly #findings: Array<{ index: number; finding: Finding }> = [];

  constructor(opts: BuildReportOptions) {
    this.#opts = opts;
  }

  /**
   * Redacts, counts and classifies one result; `index` is its place in the inventory's endpoint list (results may
   * be added in any order). Returns the redacted copy, and the finding it gave, if any.
   */
  add(result: EndpointResult, index: number): { endpoint: EndpointResult; finding: Finding | undefined; findings: Finding[] } {
    const endpoint = redactDeep(result);
    this.#byStatus[endpoint.status]++;
    const findings = classifyAll(
      endpoint,
      this.#opts.probes.find((m) => m.id === endpoint.probe),
    );
    for (const finding of findings) this.#findings.push({ index, finding });
    return { endpoint, finding: findings[0], findings };
  }

  /**
   * The report. `endpoints` are the redacted results in inventory order; the streaming path passes none and writes
   * them from its spool (see renderJsonChunks), so `summary.endpoints` counts what was added, not this array.
   */
  finish(run: RunTimes, endpoints: EndpointResult[] = []): Report {
    const findings = [...this.#findings]
      .sort(({ index: i, finding: a }, { index: j, finding: b }) => compareFindings(a, b, i - j))
      .map((x) => x.finding);
    return {
      schemaVersion,
      tool: { name: 'exposure-audit', version },
      run: {
        inventory: this.#opts.inventory,
        startedAt: run.startedAt.toISOString(),
        finishedAt: run.finishedAt.toISOString(),
        durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
        complete: run.complete,
        ...(run.notStarted ? { notStarted: run.notStarted } : {}),
        ...(this.#opts.sourceAddress ? { sourceAddress: this.#opts.sourceAddress } : {}),
        failOn: this.#opts.failOn,
      },
      summary: summaryOf({ ...this.#byStatus }, findings),
      // Redacted like the endpoints, so a compact row and its declaration carry the same labels.
      ...(this.#opts.declarations?.length ? { declarations: redactDeep([...this.#opts.declarations]) } : {}),
      endpoints,
      findings,
    };
  }
}

/** The one report model every renderer reads, from a run held in memory: a ReportBuilder over the run's array. */
export function buildReport(run: AuditRun, opts: BuildReportOptions): Report {
  // Redacted in place: the run and the report share one array, so each raw result is dropped as its redacted copy
  // is made and 100,000 results are never held twice (about 1 KB each). The run's results read redacted afterwards.
  const builder = new ReportBuilder(opts);
  const endpoints: EndpointResult[] = run.results;
  for (let i = 0; i < endpoints.length; i++) endpoints[i] = builder.add(endpoints[i]!, i).endpoint;
  return builder.finish(run, endpoints);
}
