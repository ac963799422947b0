import type { DataInventory, DataItem } from '../types.js';
import { measurementLooksLikeBaseline, sameAsBaseline, similarToBaseline, type Baseline } from './baseline.js';
import { forbiddenReason } from './forbidden.js';
import { jsonAt, jsonCount, jsonElements, jsonNames } from './json-path.js';
import type { Measurement, Signature, SignatureReply } from './signature.js';

/**
 * Measurements: read-only listings a signature declares (request + JSON paths), run only once the verdict is
 * `exposed`. They give catalog products the same "what leaks" evidence as the hand-written probes: names, rows,
 * bytes and fields of what anyone can read. Capped (ctx.caps.items; `each` at most 20 follow-ups by default),
 * checked against the random-path baseline, and every path is checked against the forbidden routes before it goes.
 */

export interface MeasureRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Sends one request (cached by the caller); undefined when it failed. */
export type MeasureFetch = (req: MeasureRequest, id: string) => Promise<SignatureReply | undefined>;

export const defaultEachMax = 20;
const NAME_MAX = 200;

function nameOf(el: { name?: string; value: unknown }, path: string | undefined): string | undefined {
  const v = path ? jsonAt(el.value, path) : (el.name ?? el.value);
  if (typeof v === 'string' && v.length) return v.slice(0, NAME_MAX);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** `{name}` filled with the URL-encoded name; undefined for names that would leave the segment (`.`, `..`). */
export function fillTemplate(template: string, name: string): string | undefined {
  if (name === '.' || name === '..' || !name) return undefined;
  return template.split('{name}').join(encodeURIComponent(name));
}

export async function runMeasurements(
  sig: Signature,
  fetch: MeasureFetch,
  baseline: Baseline,
  caps: { items: number; fields: number },
): Promise<{ data?: DataInventory; notes: string[] }> {
  const notes: string[] = [];
  const items: DataItem[] = [];
  let truncated = false;
  let databases = 0;
  let tables = 0;
  for (const m of sig.measure ?? []) {
    const r = await measureOne(m, fetch, baseline, caps, notes);
    if (!r) continue;
    items.push(...r.items);
    truncated ||= r.truncated;
    if (m.kind === 'database') databases += r.total;
    if (m.kind === 'table') tables += r.total;
  }
  if (!items.length) return { notes };
  const sum = (k: 'rows' | 'bytes') => (items.some((i) => i[k] !== undefined) ? items.reduce((a, i) => a + (i[k] ?? 0), 0) : undefined);
  const rows = sum('rows');
  const bytes = sum('bytes');
  const capped = items.slice(0, caps.items);
  if (capped.length < items.length) truncated = true;
  return {
    data: {
      items: capped,
      totals: {
        ...(rows !== undefined ? { rows } : {}),
        ...(bytes !== undefined ? { bytes } : {}),
        ...(databases ? { databases } : {}),
        ...(tables ? { tables } : {}),
      },
      ...(truncated ? { truncated: true } : {}),
    },
    notes,
  };
}

async function measureOne(
  m: Measurement,
  fetch: MeasureFetch,
  baseline: Baseline,
  caps: { items: number; fields: number },
  notes: string[],
): Promise<{ items: DataItem[]; total: number; truncated: boolean } | undefined> {
  const reply = await fetch(m.request, `measure-${m.id}`);
  if (!reply) return undefined;
  if (measurementLooksLikeBaseline(reply, baseline, m)) {
    notes.push(`measurement ${m.id}: ${reply.request} answers like the random path; nothing counted`);
    return undefined;
  }
  const els = jsonElements(reply.json(), m.list);
  if (!els) return undefined;
  const items: DataItem[] = [];
  for (const el of els) {
    if (items.length >= caps.items) break;
    const name = nameOf(el, m.name);
    if (name === undefined) continue;
    const item: DataItem = { kind: m.kind, name };
    const rows = m.rows ? jsonCount(el.value, m.rows) : undefined;
    const bytes = m.bytes ? jsonCount(el.value, m.bytes) : undefined;
    const fields = m.fields ? jsonNames(el.value, m.fields, caps.fields) : undefined;
    if (rows !== undefined) item.rows = rows;
    if (bytes !== undefined) item.bytes = bytes;
    if (fields?.length) item.fields = fields;
    items.push(item);
  }
  let truncated = els.length > items.length || reply.truncated;
  if (m.each) {
    const each = m.each;
    const max = Math.min(each.max ?? defaultEachMax, caps.items);
    // The random path `/ea-…` stands in for an unknown item: when it yields the same counts, they prove nothing.
    const baseJson = baseline.reply.status >= 200 && baseline.reply.status <= 299 ? baseline.reply.json() : undefined;
    const baseYields =
      baseJson !== undefined && [each.rows, each.bytes].some((p) => p !== undefined && jsonCount(baseJson, p) !== undefined);
    let done = 0;
    for (const item of items) {
      if (done >= max) {
        truncated = true;
        break;
      }
      const path = fillTemplate(each.path, item.name);
      if (!path || forbiddenReason('GET', path)) continue;
      done++;
      const r = await fetch({ method: 'GET', path }, `measure-${m.id}-each`);
      if (!r || r.status < 200 || r.status > 299 || baseYields || sameAsBaseline(r, baseline) || similarToBaseline(r, baseline)) continue;
      const body = r.json();
      const rows = each.rows ? jsonCount(body, each.rows) : undefined;
      const bytes = each.bytes ? jsonCount(body, each.bytes) : undefined;
      const fields = each.fields ? jsonNames(body, each.fields, caps.fields) : undefined;
      if (rows !== undefined) item.rows = rows;
      if (bytes !== undefined) item.bytes = bytes;
      if (fields?.length) item.fields = fields;
    }
    if (baseYields) notes.push(`measurement ${m.id}: the random path yields counts too; per-item counts not reported`);
  }
  return { items, total: els.length, truncated };
}
