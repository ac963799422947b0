import type { HttpResponse } from '../net/http.js';
import { redactedExcerpt } from '../risk/redact.js';
import { scoreName, type NameHit } from '../risk/sensitive-names.js';
import type { DataInventory, DataItem } from '../types.js';
import { mapInSlices } from './slices.js';

/** Elasticsearch / OpenSearch / Kibana REST replies: parsing shared by the elasticsearch and kibana probes. */

export type Json = Record<string, unknown>;

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length ? redactedExcerpt(v, 200) : undefined;
}

export function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function excerpt(res: HttpResponse, n = 200): string {
  // Redacted before it is cut: a secret cut by the excerpt would no longer match.
  return `${res.status} ${redactedExcerpt(res.text, n).replace(/\s+/g, ' ').trim()}`;
}

/** ES byte sizes: plain numbers with `bytes=b`, else `225b`, `5.2kb`, `1.1gb` (1024-based). */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([\d.]{1,40})([kmgtp]b|b)?$/i.exec(v.trim());
  if (!m) return undefined;
  const power = { b: 0, kb: 1, mb: 2, gb: 3, tb: 4, pb: 5 }[(m[2] ?? 'b').toLowerCase() as 'b'] ?? 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? Math.round(n * 1024 ** power) : undefined;
}

export interface CatRow {
  index: string;
  health?: string;
  status?: string;
  docs?: number;
  bytes?: number;
}

function toRow(v: unknown): CatRow | undefined {
  if (!isObject(v) || typeof v.index !== 'string' || !v.index) return undefined;
  // Built field by field (no intermediate object): this runs once per listed index, thousands per listing.
  const row: CatRow = { index: v.index.length > 255 ? v.index.slice(0, 255) : v.index };
  const health = str(v.health);
  if (health) row.health = health;
  const status = str(v.status);
  if (status) row.status = status;
  const docs = v['docs.count'] == null ? undefined : Number(v['docs.count']);
  if (docs !== undefined && Number.isFinite(docs)) row.docs = docs;
  const bytes = parseSize(v['store.size']);
  if (bytes !== undefined) row.bytes = bytes;
  return row;
}

/** Rows from parsed JSON, converted in slices (protocols/slices.ts); undefined when any element is not a row. */
async function toRows(arr: readonly unknown[]): Promise<CatRow[] | undefined> {
  const rows = await mapInSlices(arr, toRow);
  return rows.some((r) => r === undefined) ? undefined : (rows as CatRow[]);
}

/**
 * Rows of a `_cat/indices?format=json` reply, or undefined when the body is not such a listing. A reply cut by the
 * byte cap still yields its complete leading rows (`complete: false`): index names cannot contain `,` or `"`, so the
 * last `}` before the cut closes a row. One JSON.parse of the body (~20 ms for 1 MiB), then rows converted in
 * slices with the event loop free between them: other endpoints' replies are read meanwhile.
 */
export async function parseCatIndices(text: string): Promise<{ rows: CatRow[]; complete: boolean } | undefined> {
  // A body cut by the byte cap cannot end in `]`: skip the whole-body parse that would fail only at its end.
  const whole = text.trimEnd().endsWith(']') ? parseJson(text) : undefined;
  if (Array.isArray(whole)) {
    const rows = await toRows(whole);
    return rows && { rows, complete: true };
  }
  if (whole !== undefined || !/^\s*\[\s*\{\s*"/.test(text)) return undefined;
  let cut = text.lastIndexOf('}');
  for (let tries = 0; cut > 0 && tries < 64; tries++) {
    const part = parseJson(`${text.slice(0, cut + 1)}]`);
    if (Array.isArray(part)) {
      const rows = await toRows(part);
      return rows && { rows, complete: false };
    }
    cut = text.lastIndexOf('}', cut - 1);
  }
  return { rows: [], complete: false };
}

/** Ransom notes first, then credentials/sessions/conversations/personal data, then any scored name. */
function suspicion(hits: readonly NameHit[]): number {
  if (hits.some((h) => h.category === 'ransom')) return 3;
  if (hits.some((h) => ['credentials', 'sessions', 'conversations', 'personal'].includes(h.category))) return 2;
  return hits.length ? 1 : 0;
}

/**
 * Most interesting first, then size. Each name is scored once, on a bounded slice (a comparator that re-scored both
 * names on every comparison cost ~650 ms for a 1 MiB listing, blocking every other endpoint in flight).
 */
async function byInterest(rows: readonly CatRow[]): Promise<Array<{ r: CatRow; s: number }>> {
  // Daily and numbered indices (`logs-2024.05.01`, `users_v12`) share one stem: no name rule contains a digit, so a
  // name part with digits never matches, with any digits. Scoring each stem once keeps a 9,000-row listing cheap.
  const byStem = new Map<string, number>();
  const score = (name: string): number => {
    const stem = name.slice(0, 256).replace(/\d+/g, '0');
    let s = byStem.get(stem);
    if (s === undefined) byStem.set(stem, (s = suspicion(scoreName(stem))));
    return s;
  };
  const scored = await mapInSlices(rows, (r) => ({ r, s: score(r.index) }));
  scored.sort((a, b) => b.s - a.s || (b.r.docs ?? 0) - (a.r.docs ?? 0) || (b.r.bytes ?? 0) - (a.r.bytes ?? 0));
  return scored;
}

export interface IndexListing {
  data: DataInventory;
  /** User indices, most interesting first (what `data.items` lists, before the items cap). */
  ordered: CatRow[];
  facts: Record<string, unknown>;
  notes: string[];
}

/**
 * Turns cat rows into the data inventory: `.`-prefixed (system, hidden, data-stream backing) indices are skipped
 * and only counted; totals cover every listed user index even when the items cap cuts the list.
 */
export async function indexListing(parsed: { rows: CatRow[]; complete: boolean }, caps: { items: number }): Promise<IndexListing> {
  const user = parsed.rows.filter((r) => !r.index.startsWith('.'));
  const dot = parsed.rows.filter((r) => r.index.startsWith('.'));
  const scored = await byInterest(user);
  const ordered = scored.map((x) => x.r);
  const items: DataItem[] = ordered
    .slice(0, caps.items)
    .map((r) => compact({ kind: 'index', name: r.index, rows: r.docs, bytes: r.bytes }) as unknown as DataItem);
  const sum = (rs: CatRow[], k: 'docs' | 'bytes') => rs.reduce((n, r) => n + (r[k] ?? 0), 0);
  const truncated = !parsed.complete || ordered.length > caps.items;
  const facts: Record<string, unknown> = { indices: user.length };
  const notes: string[] = [];
  if (dot.length) {
    const dataStreams = dot.filter((r) => r.index.startsWith('.ds-'));
    facts.dotIndices = { count: dot.length, rows: sum(dot, 'docs'), bytes: sum(dot, 'bytes'), dataStreamBacking: dataStreams.length };
    if (dataStreams.length)
      notes.push(`${dataStreams.length} data-stream backing indices (.ds-*) hold data too; counted in facts.dotIndices, not listed`);
  }
  const closed = user.filter((r) => r.status === 'close').length;
  if (closed) facts.closedIndices = closed;
  const ransom = scored.filter((x) => x.s === 3).map((x) => x.r.index);
  if (ransom.length) notes.push(`index names look like a ransom note: ${ransom.slice(0, 5).join(', ')}`);
  return {
    data: { items, totals: { rows: sum(user, 'docs'), bytes: sum(user, 'bytes') }, ...(truncated ? { truncated } : {}) },
    ordered,
    facts,
    notes,
  };
}

/** Leaf field paths of a mapping's `properties` (object fields become `a.b`), capped; multi-fields are skipped. */
function walkProperties(props: unknown, prefix: string, out: string[], cap: number, depth: number): boolean {
  if (!isObject(props) || depth > 20) return false;
  for (const [name, def] of Object.entries(props)) {
    if (out.length >= cap) return true;
    if (isObject(def) && isObject(def.properties)) {
      if (walkProperties(def.properties, `${prefix}${name}.`, out, cap, depth + 1)) return true;
    } else out.push(redactedExcerpt(`${prefix}${name}`, 200));
  }
  return false;
}

/** Field names from `GET /<index>/_mapping` (7.x+ typeless, or ≤ 6.x with a type level), and whether a cap hit. */
export function mappingFields(body: unknown, index: string, cap: number): { fields: string[]; truncated: boolean } {
  const fields: string[] = [];
  if (!isObject(body)) return { fields, truncated: false };
  const top = body[index] ?? Object.values(body)[0];
  const mappings = isObject(top) ? top.mappings : undefined;
  if (!isObject(mappings)) return { fields, truncated: false };
  if (isObject(mappings.properties)) return { fields, truncated: walkProperties(mappings.properties, '', fields, cap, 0) };
  let truncated = false;
  for (const typed of Object.values(mappings)) {
    if (isObject(typed) && isObject(typed.properties)) truncated ||= walkProperties(typed.properties, '', fields, cap, 0);
  }
  return { fields: [...new Set(fields)].slice(0, cap), truncated };
}

/** Names only, from a mapping cut by the byte cap: every `"name": {"type"|"properties"`. */
export function salvageFieldNames(text: string, cap: number): string[] {
  const out = new Set<string>();
  const re = /"([^"\\]{1,200})"\s*:\s*\{\s*"(?:type|properties)"/g;
  for (let m = re.exec(text); m && out.size < cap; m = re.exec(text)) if (m[1] !== 'properties' && m[1] !== 'fields') out.add(m[1]!);
  return [...out];
}

interface Denial {
  kind: 'auth' | 'anonymous' | 'denied';
  product?: string;
  reason: string;
}

export function esError(body: unknown): { type?: string; reason?: string } | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const e = body.error;
  const root = Array.isArray(e.root_cause) && isObject(e.root_cause[0]) ? e.root_cause[0] : {};
  return { type: str(e.type) ?? str(root.type), reason: str(e.reason) ?? str(root.reason) };
}

/** Whether a 401/403 reply is Elasticsearch/OpenSearch security refusing this (credential-less) request. */
export function securityDenial(res: HttpResponse, body: unknown): Denial | undefined {
  const challenge = res.headers['www-authenticate'] ?? '';
  const err = esError(body);
  const isSecurity = err?.type === 'security_exception';
  const esProduct = res.headers['x-elastic-product'] === 'Elasticsearch' ? 'Elasticsearch' : undefined;
  if (res.status === 401) {
    if (/realm="OpenSearch Security"/i.test(challenge))
      return { kind: 'auth', product: 'OpenSearch', reason: res.text.slice(0, 100).trim() || 'Unauthorized' };
    if (isSecurity || /realm="security"/i.test(challenge))
      return { kind: 'auth', product: 'Elasticsearch', reason: err?.reason ?? challenge };
    // A challenge from something that does not name itself (a reverse proxy in front of the cluster, say).
    if (challenge) return { kind: 'auth', ...(esProduct ? { product: esProduct } : {}), reason: redactedExcerpt(challenge, 200) };
    return undefined;
  }
  if (res.status === 403 && isSecurity) {
    const reason = err?.reason ?? 'security_exception';
    const product = /opendistro_security|OpenSearch/i.test(reason) ? 'OpenSearch' : 'Elasticsearch';
    // No credentials were sent, so a named user can only be the anonymous one the cluster logged us in as.
    if (/anonymous/i.test(reason)) return { kind: 'anonymous', product, reason };
    return { kind: 'denied', product, reason };
  }
  return undefined;
}

interface RootInfo {
  product: string;
  version: string;
  facts: Record<string, unknown>;
  notes: string[];
}

/** `GET /` of Elasticsearch or OpenSearch, or undefined for anything else (an HTML page, another JSON API). */
export function rootInfo(res: HttpResponse, body: unknown): RootInfo | undefined {
  if (!isObject(body) || !isObject(body.version)) return undefined;
  const v = body.version;
  const version = str(v.number);
  const esHeader = res.headers['x-elastic-product'] === 'Elasticsearch';
  if (!version || !/^\d+\.\d+/.test(version)) return undefined;
  if (!(str(body.cluster_name) || str(body.cluster_uuid) || str(body.tagline) || esHeader)) return undefined;
  const distribution = str(v.distribution);
  const product = distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
  const notes: string[] = [];
  const warning = res.headers.warning;
  const securityOff = !!warning && /security features are not enabled/i.test(warning);
  if (securityOff) notes.push(`Warning: ${redactedExcerpt(warning!, 160)}`);
  const facts = compact({
    product,
    version,
    nodeName: str(body.name),
    clusterName: str(body.cluster_name),
    clusterUuid: str(body.cluster_uuid),
    buildFlavor: str(v.build_flavor),
    buildType: str(v.build_type),
    distribution,
    luceneVersion: str(v.lucene_version),
    tagline: str(body.tagline),
    elasticProductHeader: res.headers['x-elastic-product'],
    securityDisabledWarning: securityOff || undefined,
  });
  return { product, version, facts, notes };
}
