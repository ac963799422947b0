import { z } from 'zod';
import { compareFindings } from '../domain/finding.js';
import { atLeast } from '../domain/severity.js';
import { EaError } from '../errors.js';
import { checkRows, expandRows } from '../report/compact.js';
import { reportFileSchema, schemaVersion, type Report, type ReportFinding } from '../report/schema.js';
import type { Severity } from '../types.js';
import { maxReportBytes, parseJsonBounded, readBounded, readProblem, TooDeepError } from '../read-bounded.js';
import { endpointKey, testedFromReport, type TestedEndpoints } from './tested.js';

export { endpointKey };

export type DiffEntry = NonNullable<Report['diff']>['resolved'][number];

/** What a comparison needs from a previous run: a baseline report, or the state file. */
export interface BaselineFinding extends DiffEntry {
  firstSeen?: string;
  suppressed?: boolean;
}

/**
 * What happens to a baseline finding that is gone from this run: `resolved` (its endpoint reached a verdict that
 * proves a fix), `retired` (its asset is no longer in the inventory), `unreachable` (resolved, said as such, after
 * `resolveUnreachableAfter` consecutive runs without a verdict), else `not-retested`: still open.
 */
export type GoneFate = 'resolved' | 'retired' | 'unreachable' | 'not-retested';

export interface FateOptions {
  tested: TestedEndpoints;
  /** The assets the inventory declares, when this run audited all of it (complete, no --service/--target/--shard). */
  declaredAssets?: ReadonlySet<string>;
  /** --resolve-unreachable-after N: resolve after N consecutive complete runs without a verdict (off when undefined). */
  resolveUnreachableAfter?: number;
}

export function fateOf(b: Pick<BaselineFinding, 'host' | 'port' | 'service' | 'asset' | 'unreachableRuns'>, o: FateOptions): GoneFate {
  if (o.tested.retested(endpointKey(b))) return 'resolved';
  if (o.declaredAssets && !o.declaredAssets.has(b.asset)) return 'retired';
  // This run is one more without a verdict: counted only in a complete, unselected run (declaredAssets set).
  const runs = (b.unreachableRuns ?? 0) + (o.declaredAssets ? 1 : 0);
  if (o.resolveUnreachableAfter !== undefined && o.declaredAssets && runs >= o.resolveUnreachableAfter) return 'unreachable';
  return 'not-retested';
}
export interface Baseline {
  /** Shown as `diff.baseline`: the report file, or `state:FILE`. */
  name: string;
  /** When the baseline run started (report) — a finding in it was open at least since then. */
  startedAt?: string;
  findings: BaselineFinding[];
}

export const entryOf = (f: DiffEntry): DiffEntry => ({
  fingerprint: f.fingerprint,
  severity: f.severity,
  title: f.title,
  asset: f.asset,
  host: f.host,
  port: f.port,
  service: f.service,
  ...(f.lastSeen ? { lastSeen: f.lastSeen } : {}),
});

export function baselineFromReport(report: Report, name: string): Baseline {
  return {
    name,
    startedAt: report.run.startedAt,
    findings: report.findings.map((f) => ({
      ...entryOf(f),
      ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}),
      ...(f.suppressed ? { suppressed: true } : {}),
    })),
  };
}

/** Any 1.x report: later minor versions only add optional fields, so an older report reads as the current model. */
const anyMinorReport = reportFileSchema.extend({ schemaVersion: z.string() });

export interface LoadedReport {
  file: string;
  /** As written in the file (merge refuses to mix versions). */
  schemaVersion: string;
  /** Upgraded to the current schema version. */
  report: Report;
}

/** Reads a JSON report written by exposure-audit (any 1.x schema version). Problems are usage errors (exit 2). */
export async function loadReportFile(file: string, role = 'report'): Promise<LoadedReport> {
  let text: string;
  try {
    text = (await readBounded(file, maxReportBytes)).toString('utf8');
  } catch (err) {
    throw new EaError('EA_USAGE', `${role} ${file}: ${readProblem(err)}`);
  }
  let json: unknown;
  try {
    json = parseJsonBounded(text);
  } catch (err) {
    if (err instanceof TooDeepError) throw new EaError('EA_USAGE', `${role} ${file}: ${err.message}`);
    throw new EaError('EA_USAGE', `${role} ${file}: not JSON (pass the report written with --format json or --out FILE.json)`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version !== 'string') throw new EaError('EA_USAGE', `${role} ${file}: not an exposure-audit JSON report (no schemaVersion)`);
  if (version.split('.')[0] !== schemaVersion.split('.')[0]) {
    throw new EaError('EA_USAGE', `${role} ${file}: schema version ${version} cannot be read by this version (${schemaVersion})`);
  }
  const parsed = anyMinorReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EaError(
      'EA_USAGE',
      `${role} ${file}: not a valid exposure-audit report (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`,
    );
  }
  // 1.4.0 compact rows (closed, filtered) are inflated, 1.6.0 range records expanded: everything downstream reads
  // full rows. Checked now (bounded: report/compact.ts), expanded on first use: a --baseline reads only findings,
  // so a report of a million closed endpoints costs it no million rows.
  const { endpoints: rows, declarations } = parsed.data;
  try {
    checkRows(rows, declarations);
  } catch (err) {
    throw new EaError('EA_USAGE', `${role} ${file}: not a valid exposure-audit report (${(err as Error).message})`);
  }
  const report = { ...parsed.data, schemaVersion } as Report;
  let endpoints: Report['endpoints'] | undefined;
  // Same key, same place in the key order (the JSON renderer walks the keys): only its value comes later.
  Object.defineProperty(report, 'endpoints', {
    enumerable: true,
    configurable: true,
    get: () => (endpoints ??= expandRows(rows, declarations)),
    set: (value: Report['endpoints']) => {
      endpoints = value;
    },
  });
  return { file, schemaVersion: version, report };
}

export interface DiffOptions extends Partial<Omit<FateOptions, 'tested'>> {
  /** Only baseline findings for which this holds are compared (a shard's or a --service run's share). */
  inScope?: (f: { host: string; port: number; service: string }) => boolean;
  /** Which endpoints were tested: by default the report's own endpoints (a streamed report has none in memory). */
  tested?: TestedEndpoints;
}

/**
 * Classifies each finding against the baseline by fingerprint (new, unchanged, changed-severity) and lists the
 * baseline findings that are gone by their fate (fateOf): `resolved` when their endpoint was tested again to a
 * verdict that proves a fix (or, said as such, after N unreachable runs), `retired` when the inventory no longer
 * declares the asset, `notRetested` otherwise (filtered, timeout, error, interrupted, not in this run): still open,
 * "not re-checked since" its lastSeen — a silent endpoint is never reported as fixed.
 */
export function applyDiff(report: Report, baseline: Baseline, opts: DiffOptions = {}): Report {
  const base = baseline.findings.filter((b) => !opts.inScope || opts.inScope(b));
  const before = new Map(base.map((b) => [b.fingerprint, b]));
  const findings: ReportFinding[] = report.findings.map((f) => {
    const { change: _c, previousSeverity: _p, ...rest } = f;
    const b = before.get(f.fingerprint);
    if (!b) return { ...rest, change: 'new' };
    if (b.severity !== f.severity) return { ...rest, change: 'changed-severity', previousSeverity: b.severity };
    return { ...rest, change: 'unchanged' };
  });
  const now = new Set(findings.map((f) => f.fingerprint));
  const fate: FateOptions = { ...opts, tested: opts.tested ?? testedFromReport(report) };
  const gone = base.filter((b) => !now.has(b.fingerprint)).sort(byEntry);
  const by = (f: GoneFate) => gone.filter((b) => fateOf(b, fate) === f);
  const retired = by('retired').map(entryOf);
  const stillOpen = by('not-retested').map((b) => ({
    ...entryOf(b),
    unreachableRuns: (b.unreachableRuns ?? 0) + (fate.declaredAssets ? 1 : 0),
  }));
  return {
    ...report,
    findings,
    diff: {
      baseline: baseline.name,
      new: findings.filter((f) => f.change === 'new').length,
      unchanged: findings.filter((f) => f.change === 'unchanged').length,
      changedSeverity: findings.filter((f) => f.change === 'changed-severity').length,
      resolved: [
        ...by('resolved').map(entryOf),
        ...by('unreachable').map((b) => ({ ...entryOf(b), resolvedAs: 'unreachable' as const })),
      ].sort(byEntry),
      notRetested: stillOpen,
      ...(retired.length ? { retired } : {}),
    },
  };
}

export function byEntry(a: DiffEntry, b: DiffEntry): number {
  return compareFindings(a, b);
}

/**
 * --fail-on-new: exit 1 only for findings that need attention since the baseline — NEW ones, and ones whose
 * suppression has expired — at or above `failOn`, and not suppressed.
 */
export function failsOnNew(report: Report, failOn: Severity): boolean {
  return report.findings.some(
    (f) => !f.suppressed && (f.change === 'new' || f.suppressionExpired !== undefined) && atLeast(f.severity, failOn),
  );
}
