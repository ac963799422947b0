import { compareFindings } from '../domain/finding.js';
import { compareSeverity } from '../domain/severity.js';
import { EaError } from '../errors.js';
import { emptyStatusCounts, summaryOf } from '../report/model.js';
import { schemaVersion, type Report } from '../report/schema.js';
import { byEntry, endpointKey, type LoadedReport } from './diff.js';
import { staleKey } from './suppressions.js';

export interface Merged {
  report: Report;
  /** Not errors, but the merged report says less than a full run would (missing shards): one line each. */
  warnings: string[];
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

/**
 * Joins shard reports (or reports of disjoint inventories) into one: endpoints and findings concatenated,
 * summary recomputed, `complete` only when every input is complete and no shard is missing. Refuses mixed
 * schema versions and overlapping inputs (the same endpoint, finding or shard twice).
 */
export function mergeReports(inputs: readonly LoadedReport[]): Merged {
  if (!inputs.length) throw new EaError('EA_USAGE', 'merge: no reports given');
  const warnings: string[] = [];
  const versions = unique(inputs.map((i) => i.schemaVersion));
  if (versions.length > 1) {
    throw new EaError(
      'EA_USAGE',
      `merge: the reports have different schema versions (${inputs.map((i) => `${i.file}: ${i.schemaVersion}`).join(', ')}); re-run the shards with one version`,
    );
  }

  // Shards: one count, each index once.
  const sharded = inputs.filter((i) => i.report.run.shard);
  const counts = unique(sharded.map((i) => i.report.run.shard!.count));
  if (counts.length > 1)
    throw new EaError(
      'EA_USAGE',
      `merge: the reports come from different shard counts (${sharded.map((i) => `${i.file}: ${i.report.run.shard!.index}/${i.report.run.shard!.count}`).join(', ')})`,
    );
  const byIndex = new Map<number, string>();
  for (const i of sharded) {
    const k = i.report.run.shard!.index;
    const other = byIndex.get(k);
    if (other !== undefined) throw new EaError('EA_USAGE', `merge: ${other} and ${i.file} overlap: both are shard ${k}/${counts[0]}`);
    byIndex.set(k, i.file);
  }
  let missingShards = false;
  if (sharded.length && sharded.length === inputs.length) {
    const missing = Array.from({ length: counts[0]! }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
    if (missing.length) {
      missingShards = true;
      warnings.push(
        `merge: shard${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${counts[0]}`).join(', ')} missing: the merged report is marked incomplete`,
      );
    }
  }

  // No endpoint and no finding may come from two inputs.
  const endpointFrom = new Map<string, string>();
  for (const i of inputs) {
    for (const e of i.report.endpoints) {
      const k = endpointKey(e);
      const other = endpointFrom.get(k);
      if (other !== undefined)
        throw new EaError('EA_USAGE', `merge: ${other} and ${i.file} overlap: both audited ${e.host}:${e.port} (${e.service})`);
      endpointFrom.set(k, i.file);
    }
  }
  const findingFrom = new Map<string, string>();
  for (const i of inputs) {
    for (const f of i.report.findings) {
      const other = findingFrom.get(f.fingerprint);
      if (other !== undefined)
        throw new EaError(
          'EA_USAGE',
          `merge: ${other} and ${i.file} overlap: both report finding ${f.fingerprint} (${f.host}:${f.port} ${f.service})`,
        );
      findingFrom.set(f.fingerprint, i.file);
    }
  }

  const reports = inputs.map((i) => i.report);
  const endpoints = reports
    .flatMap((r) => r.endpoints)
    .sort(
      (a, b) =>
        a.source.file.localeCompare(b.source.file) ||
        a.source.line - b.source.line ||
        a.source.column - b.source.column ||
        a.host.localeCompare(b.host, undefined, { numeric: true }) ||
        a.port - b.port ||
        a.service.localeCompare(b.service),
    );
  const findings = reports.flatMap((r) => r.findings).sort((a, b) => compareFindings(a, b));
  const byStatus = emptyStatusCounts();
  for (const e of endpoints) byStatus[e.status]++;

  const started = reports.map((r) => r.run.startedAt).sort()[0]!;
  const finished = reports
    .map((r) => r.run.finishedAt)
    .sort()
    .at(-1)!;
  const sources = unique(reports.map((r) => r.run.sourceAddress));
  const failOn = reports.map((r) => r.run.failOn).sort((a, b) => compareSeverity(b, a))[0]!; // the least severe: the strictest fail-on
  const anySuppressions = reports.some((r) => r.suppressions);

  const merged: Report = {
    schemaVersion,
    tool: reports[0]!.tool,
    run: {
      inventory: unique(reports.map((r) => r.run.inventory)).join(' + '),
      startedAt: started,
      finishedAt: finished,
      durationMs: Date.parse(finished) - Date.parse(started),
      complete: reports.every((r) => r.run.complete) && !missingShards,
      ...(sources.length === 1 && sources[0] !== undefined ? { sourceAddress: sources[0] } : {}),
      failOn,
    },
    summary: {
      ...summaryOf(byStatus, findings),
      ...(anySuppressions || reports.some((r) => r.summary.suppressed !== undefined)
        ? { suppressed: findings.filter((f) => f.suppressed).length }
        : {}),
    },
    endpoints,
    findings,
  };

  const diffs = reports.map((r) => r.diff).filter((d) => d !== undefined);
  if (diffs.length) {
    if (diffs.length < reports.length) warnings.push('merge: some reports have no diff; the merged diff covers only those that have one');
    merged.diff = {
      baseline: unique(diffs.map((d) => d.baseline)).join(' + '),
      new: diffs.reduce((n, d) => n + d.new, 0),
      unchanged: diffs.reduce((n, d) => n + d.unchanged, 0),
      changedSeverity: diffs.reduce((n, d) => n + d.changedSeverity, 0),
      resolved: diffs.flatMap((d) => d.resolved).sort(byEntry),
      notRetested: diffs.flatMap((d) => d.notRetested).sort(byEntry),
    };
  }

  if (anySuppressions) {
    const blocks = reports.map((r) => r.suppressions).filter((s) => s !== undefined);
    // Stale means "matched nothing": in a merged fleet, only what matched nothing in every shard.
    const staleIn = blocks.map((b) => new Set(b.stale.map(staleKey)));
    const stale = blocks[0]!.stale.filter((s) => staleIn.every((set) => set.has(staleKey(s))));
    const applied = new Set(
      findings
        .filter((f) => f.suppressed)
        .map((f) => JSON.stringify([f.suppressed!.source, f.suppressed!.expires, f.suppressed!.owner, f.suppressed!.reason])),
    );
    merged.suppressions = {
      declared: Math.max(...blocks.map((b) => b.declared)),
      applied: applied.size,
      expired: Math.max(...blocks.map((b) => b.expired)),
      stale,
    };
  }
  return { report: merged, warnings };
}
