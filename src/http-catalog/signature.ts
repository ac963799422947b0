import { dataKinds, severities, type Assessment, type DataInventory, type DataKind, type Severity } from '../types.js';
import type { Impact } from '../probe.js';
import { forbiddenReason, forbiddenRoutes } from './forbidden.js';

export { jsonAt } from './json-path.js';

/**
 * One product's HTTP admin endpoint, as data: what to send, which replies prove an unauthenticated exposure,
 * which prove that credentials are demanded, and what an exposure allows. The catalog engine (src/http-catalog/)
 * runs these for the `http-admin` probe and for each signature's own service probe (`signatureProbes`); a
 * signature never opens a socket and never decides a verdict on its own.
 */

export type SignatureMethod = 'GET' | 'HEAD' | 'POST';

/**
 * What kind of product a signature identifies: the README's product tables are grouped by it (the AI table takes
 * the AI categories), so adding a product never needs a hand edit of a generator.
 */
export const signatureCategories = [
  'model server',
  'vector database',
  'ML platform',
  'app / agent builder',
  'LLM trace store',
  'search engine',
  'query engine / notebook',
  'store admin UI',
  'mail catcher',
  'CI/CD and cluster API',
  'artifact store',
  'BI tool',
  'admin / monitoring',
] as const;
export type SignatureCategory = (typeof signatureCategories)[number];

/** The categories the README's "AI infrastructure" table lists. */
export const aiCategories: readonly SignatureCategory[] = ['model server', 'vector database', 'ML platform', 'app / agent builder'];
export type TextPattern = string | RegExp;

export interface SignatureRequest {
  /** Name the matchers refer to (kebab-case, unique within the signature). */
  id: string;
  method: SignatureMethod;
  /** Path and query on the audited host:port, starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Required for POST: why this POST only reads (the few read-only query APIs that need POST). */
  justification?: string;
  /** Lower byte cap for this reply than the probe's default (64 KiB). */
  maxBytes?: number;
}

/** A JSON condition: a dotted path that must exist (`a.b.0.c`), optionally with a value. */
export type JsonCondition = string | { path: string; equals?: string | number | boolean; match?: RegExp };

/**
 * Conditions on one reply; all given conditions must hold. A matcher holds when any of the replies it reads
 * (`on`, default: every request of the signature) satisfies it.
 */
export interface Matcher {
  /** Request ids this matcher reads; default: all of the signature's requests. */
  on?: string | string[];
  status?: number[];
  /** Substring (case-insensitive) or pattern tested against the content-type header. */
  contentType?: TextPattern;
  /** Every pattern must occur in the body (strings are case-sensitive substrings). */
  body?: TextPattern[];
  /** At least one pattern must occur in the body. */
  bodyAny?: TextPattern[];
  /** The body must parse as JSON (not truncated) and hold every condition. */
  json?: JsonCondition[];
  /** The body must be a JSON object or array. */
  jsonType?: 'object' | 'array';
  /** Headers (lower-case names): `true` = present; a pattern = the value matches. */
  headers?: Record<string, TextPattern | true>;
  /** A same-origin 3xx whose Location matches (a login redirect). Redirects to another origin never match. */
  redirect?: TextPattern;
}

export interface PositiveMatcher extends Matcher {
  /** What this reply shows, for evidence and reports. */
  shows: string;
  /** Overrides the signature's severity when this positive matches (e.g. a heap dump endpoint listed). */
  severity?: Severity;
  /** Answers without credentials by design (version, health): identifies the product, never a finding. */
  publicByDesign?: boolean;
}

export interface AuthMatcher extends Matcher {
  /** What this reply shows (e.g. "401 with WWW-Authenticate"). */
  shows: string;
  /**
   * The reply names the product by itself (a product header or error body), so it counts even when every path
   * on the host demands credentials. Without it, a reply that looks like the random-path baseline is read as
   * "the whole site demands credentials": auth-required, product unknown.
   */
  identifies?: boolean;
}

/** One reply as signatures see it (matchers, extractors, summaries). */
export interface SignatureReply {
  requestId: string;
  /** `METHOD path`, as sent. */
  request: string;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  truncated: boolean;
  redirect?: { location: string; sameOrigin: boolean };
  /** The parsed body, or undefined when it is not (complete) JSON. */
  json(): unknown;
}

export type SignatureReplies = Partial<Record<string, SignatureReply>>;

export type Replies = SignatureReplies;

/**
 * A read-only listing run only after the verdict is `exposed`: request + JSON paths -> named items with counts.
 * Every reply is checked against the random-path baseline, and the listing is capped (ctx.caps.items).
 */
export interface Measurement {
  /** kebab-case, unique within the signature. */
  id: string;
  kind: DataKind;
  request: { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string>; justification?: string };
  /** Dotted JSON path to an array, or to an object whose KEYS are the names when suffixed `.*`; '' = the root. */
  list: string;
  /** Dotted path inside each element to its name (default: the element itself, or its key). */
  name?: string;
  rows?: string;
  bytes?: string;
  /** Dotted path inside each element to an array of field names (or `.*` for object keys). */
  fields?: string;
  /** Per-item follow-up (GET only), capped: default 20 items. */
  each?: { path: string; rows?: string; bytes?: string; fields?: string; max?: number };
}

export interface Advisory {
  id: string;
  summary: string;
  /** First fixed version: applies when the evidence version is lower (numeric, dot by dot). */
  fixedIn: string;
}

export interface DefaultCredential {
  user: string;
  password?: string;
  header?: Record<string, string>;
  /** Where the default is documented (https URL). */
  source: string;
  /** Request id to repeat with the credential (only with --try-default-credentials). */
  request: string;
}

export interface Signature {
  /** Equals the file name in signatures/ (kebab-case). */
  id: string;
  product: string;
  /** README grouping (default `admin / monitoring`). */
  category?: SignatureCategory;
  /**
   * What an exposure allows beyond reading: `code-execution` (notebooks, job submission, pod exec) must be rated
   * critical. Passed to the probe's meta.
   */
  impact?: Impact;
  /**
   * The product's dangerous routes this signature never sends, in words (beyond the catalog-wide forbidden routes of
   * forbidden.ts): shown in the README tables and `exposure-audit probes`.
   */
  neverSends?: string;
  defaultPorts: number[];
  /** Sent in order. GET/HEAD; POST only with a justification. Never a write, a login, a download of a dump. */
  requests: SignatureRequest[];
  /** Replies that prove the endpoint answers without credentials (each needs a body, JSON or header condition). */
  positive: PositiveMatcher[];
  /** Replies that veto a positive from the same request (a login form, a product that merely looks alike). */
  negative?: Matcher[];
  /** Replies that prove credentials are demanded: 401 + WWW-Authenticate, product error bodies, login redirects. */
  auth: AuthMatcher[];
  /** Every positive is public by design (health and status endpoints): the signature alone is never a finding. */
  publicByDesign?: boolean;
  severity: Severity;
  /** What an exposure allows, in one sentence. */
  exposure: string;
  remediation: string;
  /** Sources for the requests and matchers (documentation, peer checks). */
  references: string[];
  /** Facts from the replies (`version` is shown as the evidence version). Must not throw on odd input. */
  extract?(replies: SignatureReplies): Record<string, unknown>;
  /** A short, secret-free description of the proving reply; default: JSON keys, or the first characters. */
  summarize?(reply: SignatureReply): string | undefined;
  /** Default ports that speak TLS from the first byte. */
  tlsPorts?: number[];
  /** Read-only listings, run only after the verdict is `exposed`; results become Observation.data. */
  measure?: Measurement[];
  /** A hit = unclaimed setup (the first visitor becomes admin): status exposed, Observation.unclaimed = shows. */
  unclaimed?: PositiveMatcher[];
  /** Public routes that still reveal something while the API demands credentials: Observation.leaks. */
  leaks?: PositiveMatcher[];
  /** Typed severity and one-line reason for an exposure (e.g. remote code execution), from replies and data. */
  assess?(r: Replies, data: DataInventory): Assessment | undefined;
  /** Known advisories: reported when the evidence version is lower than `fixedIn`. */
  advisories?: Advisory[];
  /** Documented default credentials, tried only when the run opts in (--try-default-credentials). */
  defaultCredentials?: DefaultCredential[];
  /**
   * Identify first (gate.ts, docs/http-catalog.md): `{ landing }` = markers (no `on`) that hold on the landing page
   * (`GET /`) or the random-path reply wherever this product answers; on an ordinary web server where none holds,
   * this signature's own paths are not requested. Loose is right: a false hit costs requests, a miss a detection.
   * `'behind-path'` = the product shows itself only on its own paths (a status page of any web server, a PHP
   * application in a folder): always requested. Absent (the default) = always requested.
   */
  identify?: 'behind-path' | { landing: Matcher[] };
}

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export { scanLimit } from './extract-helpers.js';

/** Requests no signature may send (see forbidden.ts): kept under its old name. */
export const forbiddenRequests = forbiddenRoutes;

function isPattern(p: unknown): p is TextPattern {
  return typeof p === 'string' || p instanceof RegExp;
}

function checkPattern(p: TextPattern, where: string, problems: string[]): void {
  if (!isPattern(p)) problems.push(`${where}: not a string or RegExp`);
  else if (p instanceof RegExp && (p.global || p.sticky)) problems.push(`${where}: /g and /y patterns keep state between matches`);
}

function checkMatcher(m: Matcher, where: string, requestIds: Set<string>, problems: string[]): void {
  const on = m.on === undefined ? [] : Array.isArray(m.on) ? m.on : [m.on];
  for (const id of on) if (!requestIds.has(id)) problems.push(`${where}: unknown request "${id}"`);
  for (const s of m.status ?? []) if (!Number.isInteger(s) || s < 100 || s > 599) problems.push(`${where}: bad status ${s}`);
  if (m.contentType !== undefined) checkPattern(m.contentType, `${where}.contentType`, problems);
  for (const p of m.body ?? []) checkPattern(p, `${where}.body`, problems);
  for (const p of m.bodyAny ?? []) checkPattern(p, `${where}.bodyAny`, problems);
  for (const [name, v] of Object.entries(m.headers ?? {})) {
    if (name !== name.toLowerCase()) problems.push(`${where}: header names are lower-case ("${name}")`);
    if (v !== true) checkPattern(v, `${where}.headers.${name}`, problems);
  }
  for (const j of m.json ?? []) {
    const path = typeof j === 'string' ? j : j.path;
    if (!path || /\s/.test(path)) problems.push(`${where}: bad JSON path "${path}"`);
    if (typeof j !== 'string' && j.match) checkPattern(j.match, `${where}.json.${path}`, problems);
  }
  if (m.redirect !== undefined) checkPattern(m.redirect, `${where}.redirect`, problems);
}

/** Has a condition on the content itself (not just a status), so a catch-all 200 cannot satisfy it alone. */
function hasContentCondition(m: Matcher): boolean {
  return Boolean(m.body?.length || m.bodyAny?.length || m.json?.length || m.jsonType || Object.keys(m.headers ?? {}).length || m.redirect);
}

/** Problems with a signature's declaration (empty when valid). */
export function signatureProblems(sig: Signature): string[] {
  const problems: string[] = [];
  if (!idPattern.test(sig.id)) problems.push(`id "${sig.id}" must be kebab-case`);
  if (!sig.product?.trim()) problems.push('product is required');
  if (!sig.exposure?.trim() || !sig.remediation?.trim() || sig.remediation.trim().length < 20)
    problems.push('exposure and remediation (≥ 20 characters) are required');
  if (!severities.includes(sig.severity)) problems.push(`bad severity "${String(sig.severity)}"`);
  if (!sig.defaultPorts?.length) problems.push('at least one default port');
  if (sig.category !== undefined && !signatureCategories.includes(sig.category)) problems.push(`unknown category "${sig.category}"`);
  if (sig.impact === 'code-execution' && sig.severity !== 'critical') problems.push('impact code-execution is rated critical');
  if (sig.neverSends !== undefined && !sig.neverSends.trim()) problems.push('neverSends, when given, names the routes');
  for (const p of sig.defaultPorts ?? []) if (!Number.isInteger(p) || p < 1 || p > 65535) problems.push(`bad port ${p}`);
  if (!sig.references?.length) problems.push('at least one reference (the source of the matchers)');
  for (const r of sig.references ?? []) if (!/^https:\/\/\S+$/.test(r)) problems.push(`reference is not an https URL: ${r}`);

  const ids = new Set<string>();
  if (!sig.requests?.length) problems.push('at least one request');
  for (const [i, r] of (sig.requests ?? []).entries()) {
    const where = `requests[${i}]`;
    if (!idPattern.test(r.id)) problems.push(`${where}: id "${r.id}" must be kebab-case`);
    if (ids.has(r.id)) problems.push(`${where}: duplicate id "${r.id}"`);
    ids.add(r.id);
    if (!['GET', 'HEAD', 'POST'].includes(r.method)) problems.push(`${where}: method ${String(r.method)} (GET, HEAD, or a justified POST)`);
    if (!r.path.startsWith('/') || r.path.startsWith('//') || /\s/.test(r.path))
      problems.push(`${where}: path must start with one / and hold no spaces`);
    if (r.method === 'POST' && (r.justification?.trim().length ?? 0) < 20)
      problems.push(`${where}: a POST needs a justification (why it only reads)`);
    if (r.method !== 'POST' && r.body !== undefined) problems.push(`${where}: only a POST carries a body`);
    if (r.maxBytes !== undefined && (!Number.isInteger(r.maxBytes) || r.maxBytes < 256)) problems.push(`${where}: bad maxBytes`);
    const why = forbiddenReason(r.method, r.path);
    if (why) problems.push(`${where}: ${r.method} ${r.path} is forbidden (${why})`);
  }
  for (const p of sig.tlsPorts ?? []) if (!sig.defaultPorts?.includes(p)) problems.push(`tls port ${p} is not a default port`);
  if (!sig.positive?.length) problems.push('at least one positive matcher');
  for (const [i, m] of (sig.positive ?? []).entries()) {
    checkMatcher(m, `positive[${i}]`, ids, problems);
    if (!m.shows?.trim()) problems.push(`positive[${i}]: "shows" is required`);
    if (!hasContentCondition(m))
      problems.push(`positive[${i}]: needs a body, JSON or header condition (a status alone matches any catch-all)`);
    if (m.redirect !== undefined) problems.push(`positive[${i}]: a redirect never proves an exposure`);
    if (m.severity !== undefined && !severities.includes(m.severity)) problems.push(`positive[${i}]: bad severity`);
  }
  for (const [i, m] of (sig.negative ?? []).entries()) checkMatcher(m, `negative[${i}]`, ids, problems);
  if (!sig.auth?.length) problems.push('at least one auth-required signal');
  for (const [i, m] of (sig.auth ?? []).entries()) {
    checkMatcher(m, `auth[${i}]`, ids, problems);
    if (!m.shows?.trim()) problems.push(`auth[${i}]: "shows" is required`);
    if (!m.status?.length && m.redirect === undefined && !hasContentCondition(m))
      problems.push(`auth[${i}]: needs a status, redirect or content condition`);
    if (m.status?.includes(200) && !hasContentCondition(m))
      problems.push(`auth[${i}]: a 200 counts as a login page only with a content condition`);
  }
  for (const key of ['unclaimed', 'leaks'] as const) {
    for (const [i, m] of (sig[key] ?? []).entries()) {
      checkMatcher(m, `${key}[${i}]`, ids, problems);
      if (!m.shows?.trim()) problems.push(`${key}[${i}]: "shows" is required`);
      if (!hasContentCondition(m) || m.redirect !== undefined)
        problems.push(`${key}[${i}]: needs a body, JSON or header condition (never a status or redirect alone)`);
    }
  }
  measurementProblems(sig.measure ?? [], problems);
  identifyProblems(sig.identify, problems);
  for (const [i, a] of (sig.advisories ?? []).entries()) {
    if (!a.id?.trim() || !a.summary?.trim()) problems.push(`advisories[${i}]: id and summary are required`);
    if (!/^\d+(\.\d+){0,3}$/.test(a.fixedIn ?? '')) problems.push(`advisories[${i}]: fixedIn must be a dotted version`);
  }
  for (const [i, c] of (sig.defaultCredentials ?? []).entries()) {
    if (!c.user?.trim()) problems.push(`defaultCredentials[${i}]: user is required`);
    if (!/^https:\/\/\S+$/.test(c.source ?? '')) problems.push(`defaultCredentials[${i}]: source must be an https URL`);
    const req = sig.requests?.find((r) => r.id === c.request);
    if (!req) problems.push(`defaultCredentials[${i}]: unknown request "${c.request}"`);
    else if (req.method === 'POST') problems.push(`defaultCredentials[${i}]: only a GET or HEAD is repeated with a credential`);
  }
  return problems;
}

function identifyProblems(identify: Signature['identify'], problems: string[]): void {
  if (identify === undefined || identify === 'behind-path') return;
  if (typeof identify !== 'object' || !Array.isArray(identify.landing) || !identify.landing.length) {
    problems.push(`identify: 'behind-path' or { landing: [markers] } with at least one marker`);
    return;
  }
  for (const [i, m] of identify.landing.entries()) {
    const where = `identify.landing[${i}]`;
    if (m.on !== undefined) problems.push(`${where}: a marker reads the landing page and the random path, never a request ("on")`);
    checkMatcher({ ...m, on: undefined }, where, new Set(), problems);
    if (!m.status?.length && m.contentType === undefined && !hasContentCondition(m))
      problems.push(`${where}: needs a status, content-type, header, body, JSON or redirect condition`);
  }
}

const templatePattern = /\{name\}/g;

function measurementProblems(list: readonly Measurement[], problems: string[]): void {
  const ids = new Set<string>();
  for (const [i, m] of list.entries()) {
    const where = `measure[${i}]`;
    if (!idPattern.test(m.id ?? '')) problems.push(`${where}: id "${m.id}" must be kebab-case`);
    if (ids.has(m.id)) problems.push(`${where}: duplicate id "${m.id}"`);
    ids.add(m.id);
    if (!dataKinds.includes(m.kind)) problems.push(`${where}: unknown kind "${String(m.kind)}"`);
    const r = m.request;
    if (!r || !['GET', 'POST'].includes(r.method)) problems.push(`${where}: method must be GET or a justified POST`);
    else {
      if (!r.path?.startsWith('/') || r.path.startsWith('//') || /\s/.test(r.path))
        problems.push(`${where}: path must start with one / and hold no spaces`);
      if (r.method === 'POST' && (r.justification?.trim().length ?? 0) < 20)
        problems.push(`${where}: a POST needs a justification (why it only reads)`);
      if (r.method !== 'POST' && r.body !== undefined) problems.push(`${where}: only a POST carries a body`);
      const why = forbiddenReason(r.method, r.path ?? '');
      if (why) problems.push(`${where}: ${r.method} ${r.path} is forbidden (${why})`);
    }
    for (const [k, v] of Object.entries({ list: m.list, name: m.name, rows: m.rows, bytes: m.bytes, fields: m.fields })) {
      if (v !== undefined && (typeof v !== 'string' || /\s/.test(v))) problems.push(`${where}: bad JSON path in ${k}`);
    }
    if (typeof m.list !== 'string') problems.push(`${where}: list is required ('' = the root)`);
    if (m.each) {
      const p = m.each.path ?? '';
      if (!p.startsWith('/') || p.startsWith('//') || /\s/.test(p) || !p.includes('{name}'))
        problems.push(`${where}.each: path must start with one / and hold {name}`);
      const why = forbiddenReason('GET', p.replace(templatePattern, 'name'));
      if (why) problems.push(`${where}.each: GET ${p} is forbidden (${why})`);
      if (m.each.max !== undefined && (!Number.isInteger(m.each.max) || m.each.max < 1 || m.each.max > 100))
        problems.push(`${where}.each: max is 1..100`);
    }
  }
}

/** Every request line a signature may send: its requests, measurements (and `each` templates), credential repeats. */
export function signatureSends(sig: Signature): string[] {
  const out = sig.requests.map(requestLine);
  if (typeof sig.identify === 'object') out.unshift('GET /');
  for (const m of sig.measure ?? []) {
    out.push(requestLine(m.request));
    if (m.each) out.push(`GET ${m.each.path}`);
  }
  return [...new Set(out)];
}

function freezeDeep<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof RegExp) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) freezeDeep(v);
  }
  return value;
}

/** Validates a signature at load time, so a bad one fails the catalog test, not an audit. */
export function defineSignature(sig: Signature): Signature {
  const problems = signatureProblems(sig);
  if (problems.length) throw new Error(`signature ${sig.id}: ${problems.join('; ')}`);
  return freezeDeep({ ...sig });
}

/** `METHOD path`, the form the engine records and the probe declares. */
export function requestLine(r: Pick<SignatureRequest, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

/** A password input: a login page, never an open admin page. Applied to every positive. */
export const loginForm: Matcher = { body: [/<input[^>]*type\s*=\s*["']?password/i] };

// Helpers for extractors and summaries (must never throw): their own module, re-exported for signatures.
export { capture, compact, describeJson, str } from './extract-helpers.js';
