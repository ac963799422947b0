import { compactor } from './compact.js';
import { RangeCoalescer } from './ranges.js';
import { jsonSafe } from './json-safe.js';
import type { Report, ReportEndpoint } from './schema.js';

export { jsonSafe };

/**
 * The JSON report. Closed and filtered endpoints are written as compact rows (one line each, pointing at
 * `declarations`; report/compact.ts) when the report carries its declarations, and runs of compact rows that
 * differ only in the address as one range record (report/ranges.ts); every other row as before.
 */
export function renderJson(report: Report): string {
  if (!report.declarations?.length) return `${jsonSafe(JSON.stringify(report, null, 2))}\n`;
  const row = jsonEndpointRenderer(report.declarations);
  const parts: string[] = [];
  for (const part of jsonParts(report, report.endpoints.map(row))) parts.push(part);
  return parts.join('');
}

/**
 * Renders one endpoint as it reads inside the report's `endpoints` array: compact (one line) when `declarations`
 * allow it, else as renderJsonEndpoint. The streaming path renders each result with this as it completes.
 */
export function jsonEndpointRenderer(declarations: Readonly<Report['declarations']>): (endpoint: ReportEndpoint) => string {
  const compact = compactor(declarations);
  return (endpoint) => {
    const row = compact(endpoint);
    return row ? jsonSafe(JSON.stringify(row)) : renderJsonEndpoint(endpoint);
  };
}

/** Where the endpoints go in the report's text: the head before `[` (its key, and a comma when not first). */
interface EndpointsSlot {
  head: string;
}

/**
 * The report's text around its endpoints, in key order: every other key rendered (as JSON.stringify would, two
 * spaces, a key with no JSON form left out), and one slot where the endpoints go. The one home of the layout that
 * renderJson and renderJsonChunks share.
 */
function* jsonFrame(report: Report): Generator<string | EndpointsSlot> {
  let first = true;
  yield '{';
  for (const [key, value] of Object.entries(report)) {
    const head = `${first ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (key === 'endpoints') {
      first = false;
      yield { head };
      continue;
    }
    const text = JSON.stringify(value, null, 2) as string | undefined;
    if (text === undefined) continue;
    first = false;
    yield `${head}${jsonSafe(nested(text, 1))}`;
  }
  yield first ? '}\n' : '\n}\n';
}

/** One endpoint row inside the array: `[` before the first, `,` between. */
const endpointRow = (head: string, e: string, any: boolean): string => `${any ? ',' : `${head}[`}\n    ${e}`;
const endpointsEnd = (head: string, any: boolean): string => (any ? '\n  ]' : `${head}[]`);

/** The rows to write: runs of compact rows as range records (report/ranges.ts), the rest as they are. */
function* coalesced(rows: Iterable<string>): Generator<string> {
  const ranges = new RangeCoalescer();
  for (const row of rows) yield* ranges.push(row);
  yield* ranges.end();
}
async function* coalescedAsync(rows: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  const ranges = new RangeCoalescer();
  for await (const row of rows) yield* ranges.push(row);
  yield* ranges.end();
}

/** renderJsonChunks, synchronously, for endpoints already rendered in memory. */
function* jsonParts(report: Report, endpoints: Iterable<string>): Generator<string> {
  for (const part of jsonFrame(report)) {
    if (typeof part === 'string') {
      yield part;
      continue;
    }
    let any = false;
    for (const e of coalesced(endpoints)) {
      yield endpointRow(part.head, e, any);
      any = true;
    }
    yield endpointsEnd(part.head, any);
  }
}

/** `JSON.stringify(value, null, 2)` as it reads nested `depth` levels deep (JSON text has no raw newline but its own). */
const nested = (text: string, depth: number): string => text.replace(/\n/g, `\n${'  '.repeat(depth)}`);

/**
 * One endpoint exactly as it reads inside renderJson's `endpoints` array, its indentation included: JSON.stringify
 * itself renders it two levels deep, and the `[\n  [\n    ` … `\n  ]\n]` around it is cut off.
 */
export function renderJsonEndpoint(endpoint: ReportEndpoint): string {
  return jsonSafe(JSON.stringify([[endpoint]], null, 2).slice(10, -6));
}

/**
 * The same text as renderJson, piece by piece, with the endpoints taken from `endpoints` — each already rendered by
 * renderJsonEndpoint, in order — instead of `report.endpoints`: the streaming path keeps them in a spool file,
 * never in memory, and copies them from there. Same keys in the same order, same indentation, byte for byte
 * (test/e2e/report/streaming.test.ts).
 */
export async function* renderJsonChunks(report: Report, endpoints: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  for (const part of jsonFrame(report)) {
    if (typeof part === 'string') {
      yield part;
      continue;
    }
    let any = false;
    for await (const e of coalescedAsync(endpoints)) {
      yield endpointRow(part.head, e, any);
      any = true;
    }
    yield endpointsEnd(part.head, any);
  }
}
