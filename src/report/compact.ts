import { expandRange, isRange, rangeSize } from './ranges.js';
import {
  reportFileSchema,
  type CompactEndpoint,
  type Declaration,
  type EndpointRange,
  type Report,
  type ReportEndpoint,
} from './schema.js';

/**
 * Compact rows (schema 1.4.0): a closed or filtered endpoint says only where it is, what was tried and that nothing
 * answered, so its JSON row carries no copy of its declaration (asset, declaredHost, hostname, labels, expect,
 * source) — only `declaration`, an index into the report's `declarations` — and no empty evidence or facts. A /16
 * swept on 4 ports is 262,144 rows, nearly all closed or filtered: about 5× smaller written this way, one line each.
 * Reading a report back (loadReportFile) inflates every compact row to the full row it stands for, and every
 * range record (1.6.0, report/ranges.ts) to its rows, so the diff, the state file, merge and "resolved means
 * retested" see one verdict per endpoint, as before.
 */
const compactStatuses = new Set<string>(['closed', 'filtered']);
/** The only keys a row may have to be written compactly; anything else (data, facts, assessment…) keeps it full. */
const plainKeys = new Set([
  'host',
  'port',
  'service',
  'asset',
  'declaredHost',
  'hostname',
  'labels',
  'expect',
  'source',
  'probe',
  'status',
  'evidence',
  'facts',
  'error',
  'durationMs',
]);

const declarationKey = (s: Declaration['source']) => `${s.file}\u0000${s.line}\u0000${s.column}`;

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** A function that gives an endpoint's compact row, or undefined when it must stay full. */
export function compactor(declarations: readonly Declaration[] | undefined): (e: ReportEndpoint) => CompactEndpoint | undefined {
  if (!declarations?.length) return () => undefined;
  const index = new Map<string, number>();
  declarations.forEach((d, i) => {
    const k = declarationKey(d.source);
    if (!index.has(k)) index.set(k, i);
  });
  return (e) => {
    if (!compactStatuses.has(e.status)) return undefined;
    const i = index.get(declarationKey(e.source));
    if (i === undefined) return undefined;
    const d = declarations[i]!;
    if (
      e.asset !== d.asset ||
      e.declaredHost !== d.declaredHost ||
      e.hostname !== d.hostname ||
      e.expect !== d.expect ||
      !sameLabels(e.labels, d.labels)
    )
      return undefined;
    for (const k of Object.keys(e)) if (!plainKeys.has(k)) return undefined;
    const ev = e.evidence;
    if (ev.requests.length || Object.keys(ev).some((k) => k !== 'requests' && k !== 'notes') || Object.keys(e.facts).length)
      return undefined;
    const row: CompactEndpoint = {
      host: e.host,
      port: e.port,
      service: e.service,
      probe: e.probe,
      status: e.status as CompactEndpoint['status'],
      declaration: i,
      durationMs: e.durationMs,
    };
    if (e.error) row.error = e.error;
    if (ev.notes) row.notes = ev.notes;
    return row;
  };
}

export const isCompact = (row: ReportEndpoint | CompactEndpoint | EndpointRange): row is CompactEndpoint =>
  'declaration' in row && !('asset' in row) && !('range' in row);

/** The full row a compact row stands for: the same keys in the same order as the engine gives them. */
export function inflate(row: CompactEndpoint, declarations: readonly Declaration[] | undefined): ReportEndpoint {
  const d = declarations?.[row.declaration];
  if (!d) throw new Error(`endpoint ${row.host}:${row.port}: declaration ${row.declaration} is not in the report's declarations`);
  const e: ReportEndpoint = {
    host: row.host,
    port: row.port,
    service: row.service,
    asset: d.asset,
    declaredHost: d.declaredHost,
    labels: d.labels,
    source: d.source,
  } as ReportEndpoint;
  if (d.hostname !== undefined) e.hostname = d.hostname;
  if (d.expect !== undefined) e.expect = d.expect;
  Object.assign(e, {
    probe: row.probe,
    status: row.status,
    evidence: { requests: [], ...(row.notes ? { notes: row.notes } : {}) },
    facts: {},
  });
  if (row.error) e.error = row.error;
  e.durationMs = row.durationMs;
  return e;
}

/**
 * Endpoints a report read back may stand for in all (rows plus what its range records expand to): 4× the
 * 1,048,576 of the benchmark's fleet. Checked from the records' counts before anything is expanded, so a forged
 * range (count 2^32) is refused, not allocated.
 */
export const maxReadEndpoints = 2 ** 22;

type FileRow = ReportEndpoint | CompactEndpoint | EndpointRange;

/**
 * Checks a report file's `endpoints` before anything is expanded: every record's declaration exists, every range's
 * count agrees with its ends and ports, and all of them stand for at most maxReadEndpoints. Throws the first problem.
 */
export function checkRows(rows: readonly FileRow[], declarations: readonly Declaration[] | undefined): void {
  let total = 0;
  for (const row of rows) {
    const size = isRange(row) ? rangeSize(row) : 1;
    if (typeof size === 'string') throw new Error(size);
    if ((isRange(row) || isCompact(row)) && !declarations?.[row.declaration])
      throw new Error(`declaration ${row.declaration} is not in the report's declarations`);
    total += size;
    if (total > maxReadEndpoints) throw new Error(`more than ${maxReadEndpoints} endpoints (range records included)`);
  }
}

/** The full rows checked `rows` stand for: compact rows inflated, range records expanded. */
export function expandRows(rows: readonly FileRow[], declarations: readonly Declaration[] | undefined): ReportEndpoint[] {
  const out: ReportEndpoint[] = [];
  for (const row of rows) {
    if (isRange(row)) for (const r of expandRange(row)) out.push(inflate(r, declarations));
    else out.push(isCompact(row) ? inflate(row, declarations) : row);
  }
  return out;
}

/** checkRows, then expandRows. */
export function inflateRows(rows: readonly FileRow[], declarations: readonly Declaration[] | undefined): ReportEndpoint[] {
  checkRows(rows, declarations);
  return expandRows(rows, declarations);
}

/** A parsed JSON report (current schema version) validated against the file schema, compact rows and ranges inflated. */
export function parseReport(json: unknown): Report {
  const file = reportFileSchema.parse(json);
  return { ...file, endpoints: inflateRows(file.endpoints, file.declarations) };
}
