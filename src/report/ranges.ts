import ipaddr from 'ipaddr.js';
import { addressValue, type AddressValue } from '../net/address-value.js';
import type { CompactEndpoint, EndpointRange } from './schema.js';
import { jsonSafe } from './json-safe.js';

/**
 * Range records (schema 1.6.0). A mostly closed fleet is mostly compact rows that differ only in the address: a
 * /12 swept on one port was 1,048,576 of them (283 MB). Consecutive compact rows — the inventory expands address
 * by address, each address over the same ports — with the same status, declaration, error and notes are written
 * as ONE record: `range` {from, to} × `ports`. Readers expand a record back to the compact rows it stands for
 * (expandRange), so every endpoint still has its own verdict; only durationMs is the run's mean.
 */

type Port = EndpointRange['ports'][number];

/** A host's port list longer than this is not gathered into one record (a record stays a line, not a dump). */
const MAX_PORTS = 1024;

type Address = AddressValue;
const addressOf = addressValue;

/** The text the inventory's expansion gives an address (expand.ts: dotted quad, or ipaddr's IPv6 form). */
function addressText({ v6, n }: Address): string {
  if (!v6) {
    const x = Number(n);
    return `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
  }
  const out = new Array<number>(16);
  let v = n;
  for (let j = 15; j >= 0; j--) {
    out[j] = Number(v & 0xffn);
    v >>= 8n;
  }
  return ipaddr.fromByteArray(out).toString();
}

const samePort = (a: Port, b: Port) => a.port === b.port && a.service === b.service && a.probe === b.probe;

interface Run {
  first: string;
  /** The text of the run's last row: a lone endpoint left over at its end is written as itself (a range is ≥ 2). */
  last: string;
  row: CompactEndpoint;
  from: string;
  at: Address;
  host: string;
  previous: string;
  hosts: number;
  ports: Port[];
  /** Ports of the current host seen so far (while the first host is gathered: all of them). */
  next: number;
  durationMs: number;
  rows: number;
}

/**
 * The row's identity apart from address, port and duration — status, declaration, error, notes: rows of one record
 * share it. Compared field by field; a JSON string of them per row was a tenth of an interrupted run's report time.
 */
const sameTemplate = (a: CompactEndpoint, b: CompactEndpoint): boolean =>
  a.status === b.status &&
  a.declaration === b.declaration &&
  sameJson(a.error ?? null, b.error ?? null) &&
  sameJson(a.notes ?? null, b.notes ?? null);

/** JSON.stringify(a) === JSON.stringify(b), for values parsed from JSON (no undefined, no NaN), without the strings. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => sameJson(x, bs[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson(ra[k], rb[k]));
}

/** A compact row's text (one line, `{"host":…`), parsed; any other row (full, multi-line) is undefined. */
function compactRow(text: string): CompactEndpoint | undefined {
  if (!text.startsWith('{"host":')) return undefined;
  const row = JSON.parse(text) as CompactEndpoint;
  return 'declaration' in row ? row : undefined;
}

/**
 * Turns the endpoint rows of a report (each as it reads in the `endpoints` array, in order) into the rows to write:
 * runs of compact rows become range records, everything else passes through unchanged. Memory: one run.
 */
export class RangeCoalescer {
  #run: Run | undefined;

  /** The rows to write now (possibly none, while a run grows). */
  push(text: string): string[] {
    const row = compactRow(text);
    if (row && this.#run && this.#extend(this.#run, row)) {
      this.#run.last = text;
      return [];
    }
    const out = this.end();
    const at = row && addressOf(row.host);
    if (row && at) this.#start(text, row, at);
    else out.push(text);
    return out;
  }

  /** The rows still held: call once after the last push. */
  end(): string[] {
    const run = this.#run;
    this.#run = undefined;
    if (!run) return [];
    if (run.rows === 1) return [run.first];
    const mean = Math.round(run.durationMs / run.rows);
    const full = run.next === run.ports.length;
    const out: string[] = [];
    if (full) out.push(record(run, run.from, run.host, run.hosts, run.ports, mean));
    else {
      out.push(record(run, run.from, run.previous, run.hosts - 1, run.ports, mean));
      if (run.next === 1) out.push(run.last);
      else out.push(record(run, run.host, run.host, 1, run.ports.slice(0, run.next), mean));
    }
    return out;
  }

  #start(text: string, row: CompactEndpoint, at: Address): void {
    this.#run = {
      first: text,
      last: text,
      row,
      from: row.host,
      at,
      host: row.host,
      previous: row.host,
      hosts: 1,
      ports: [{ port: row.port, service: row.service, probe: row.probe }],
      next: 1,
      durationMs: row.durationMs,
      rows: 1,
    };
  }

  #extend(run: Run, row: CompactEndpoint): boolean {
    if (!sameTemplate(row, run.row)) return false;
    const port: Port = { port: row.port, service: row.service, probe: row.probe };
    if (row.host === run.host) {
      if (run.hosts === 1 && run.next === run.ports.length) {
        // Still gathering the first address's ports.
        if (run.ports.length >= MAX_PORTS || run.ports.some((p) => samePort(p, port))) return false;
        run.ports.push(port);
        run.next++;
      } else if (run.next < run.ports.length && samePort(run.ports[run.next]!, port)) run.next++;
      else return false;
    } else {
      if (run.next !== run.ports.length || !samePort(run.ports[0]!, port)) return false;
      const at = { v6: run.at.v6, n: run.at.n + 1n };
      if (at.n >= (run.at.v6 ? 1n << 128n : 1n << 32n) || addressText(at) !== row.host) return false;
      run.previous = run.host;
      run.host = row.host;
      run.at = at;
      run.hosts++;
      run.next = 1;
    }
    run.rows++;
    run.durationMs += row.durationMs;
    return true;
  }
}

function record(run: Run, from: string, to: string, hosts: number, ports: Port[], durationMs: number): string {
  const { status, declaration, error, notes } = run.row;
  const r: EndpointRange = { range: { from, to }, ports, status, declaration, count: hosts * ports.length, durationMs };
  if (error) r.error = error;
  if (notes) r.notes = notes;
  return jsonSafe(JSON.stringify(r));
}

export const isRange = (row: object): row is EndpointRange => 'range' in row;

/** How many endpoints a range record stands for, from its ends and ports (its `count` must agree), or a problem. */
export function rangeSize(r: EndpointRange): number | string {
  const from = addressOf(r.range.from);
  const to = addressOf(r.range.to);
  if (!from || !to || from.v6 !== to.v6 || to.n < from.n)
    return `range ${r.range.from}–${r.range.to}: not consecutive addresses of one family`;
  if (addressText(from) !== r.range.from || addressText(to) !== r.range.to)
    return `range ${r.range.from}–${r.range.to}: not in canonical form`;
  const size = (to.n - from.n + 1n) * BigInt(r.ports.length);
  if (size !== BigInt(r.count)) return `range ${r.range.from}–${r.range.to}: count ${r.count} is not addresses × ports (${size})`;
  return r.count;
}

/** The compact rows a range record stands for, one at a time (rangeSize must have accepted it). */
export function* expandRange(r: EndpointRange): Generator<CompactEndpoint> {
  const from = addressOf(r.range.from)!;
  const to = addressOf(r.range.to)!;
  for (let n = from.n; n <= to.n; n++) {
    const host = addressText({ v6: from.v6, n });
    for (const p of r.ports) {
      const row: CompactEndpoint = { host, ...p, status: r.status, declaration: r.declaration, durationMs: r.durationMs };
      if (r.error) row.error = r.error;
      if (r.notes) row.notes = r.notes;
      yield row;
    }
  }
}
