import { redactDeep } from '../risk/redact.js';
import type { DataInventory, Observation } from '../types.js';

/**
 * Output proportional to the cap, for every probe (old and new), applied where the engine builds a result:
 * redact first (a secret cut by a cap would no longer match), then cap. Listings keep their counts (totals are
 * untouched) while the names are cut to `caps.items` with a note counting the rest; every server string is cut to
 * a fixed length; every array and object a probe put in `facts` or `evidence` is cut to `caps.items` entries.
 */
export interface OutputCaps {
  items: number;
  fields: number;
}

/** Longest server-controlled string kept anywhere in a result (a reply excerpt, a note, a fact). */
export const maxStringChars = 1024;
/** Longest name kept (a table, index, key prefix or field): names reach reasons and titles. */
export const maxNameChars = 256;
/** Notes and requests kept per result. */
const maxNotes = 50;
const maxDepth = 12;

export function capString(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…(+${s.length - max} chars)` : s;
}

function capDeep(v: unknown, items: number, depth: number): unknown {
  if (typeof v === 'string') return capString(v, maxStringChars);
  if (v === null || typeof v !== 'object') return v;
  if (depth > maxDepth) return '[…]';
  if (Array.isArray(v)) {
    const kept = v.slice(0, items).map((x) => capDeep(x, items, depth + 1));
    if (v.length > items) kept.push(`… +${v.length - items} more`);
    return kept;
  }
  const entries = Object.entries(v);
  const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
  for (const [k, x] of entries.slice(0, items)) {
    Object.defineProperty(out, capString(k, maxNameChars), {
      value: capDeep(x, items, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (entries.length > items) out['…'] = `+${entries.length - items} more`;
  return out;
}

function capData(data: DataInventory, caps: OutputCaps, notes: string[]): DataInventory {
  let truncated = !!data.truncated;
  const items = data.items.slice(0, caps.items).map((item) => {
    const out = { ...item, name: capString(item.name, maxNameChars) };
    if (item.engine !== undefined) out.engine = capString(item.engine, maxNameChars);
    if (item.fields) {
      if (item.fields.length > caps.fields) truncated = true;
      out.fields = item.fields.slice(0, caps.fields).map((f) => capString(f, maxNameChars));
    }
    return out;
  });
  if (data.items.length > caps.items) {
    truncated = true;
    notes.push(
      `listing cut to ${caps.items} of ${data.items.length} items (+${data.items.length - caps.items} not listed; totals count them all)`,
    );
  }
  const out: DataInventory = { ...data, items };
  if (data.sample) {
    const sm = data.sample;
    out.sample = {
      ...sm,
      sources: sm.sources.slice(0, caps.items).map((x) => capString(x, maxNameChars)),
      secrets: sm.secrets.slice(0, caps.items).map((x) => capDeep(x, caps.items, 1) as typeof x),
    };
  }
  if (truncated) out.truncated = true;
  return out;
}

/** Redacts then caps one observation (see the module comment). Status and typed verdict fields are kept. */
export function boundObservation<T extends Observation>(obs: T, caps: OutputCaps): T {
  const red = redactDeep(obs);
  const notes = [...(red.evidence.notes ?? [])];
  const data = red.data ? capData(red.data, caps, notes) : undefined;
  const evidence = capDeep({ ...red.evidence, notes: undefined }, caps.items, 0) as Observation['evidence'];
  const requests = red.evidence.requests.slice(0, Math.max(caps.items, maxNotes)).map((r) => capString(r, maxStringChars));
  if (red.evidence.requests.length > requests.length) requests.push(`… +${red.evidence.requests.length - requests.length} more requests`);
  evidence.requests = requests;
  if (notes.length)
    evidence.notes = (notes.length > maxNotes ? [...notes.slice(0, maxNotes), `… +${notes.length - maxNotes} more notes`] : notes).map(
      (n) => capString(n, maxStringChars),
    );
  else delete evidence.notes;
  const out = { ...red, evidence, facts: capDeep(red.facts, caps.items, 0) as Record<string, unknown> } as T;
  if (data) out.data = data;
  // Typed lists: cut without a marker entry (the schema types every element).
  if (red.leaks) out.leaks = red.leaks.slice(0, caps.items).map((x) => capDeep(x, caps.items, 1)) as T['leaks'];
  if (red.advisories) out.advisories = red.advisories.slice(0, caps.items).map((x) => capDeep(x, caps.items, 1)) as T['advisories'];
  if (red.assessment) out.assessment = capDeep(red.assessment, caps.items, 0) as T['assessment'];
  if (red.unclaimed) out.unclaimed = capString(red.unclaimed, maxStringChars);
  if (red.error) out.error = { code: red.error.code, message: capString(red.error.message, maxStringChars) };
  return out;
}
