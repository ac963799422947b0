import { createHash, randomBytes } from 'node:crypto';
import { EaError, isEaError } from '../src/errors.js';
import { catalogPorts, signatures as catalog, signaturesForPort } from '../src/http-catalog/index.js';
import {
  describeJson,
  loginForm,
  requestLine,
  type AuthMatcher,
  type JsonCondition,
  type Matcher,
  type PositiveMatcher,
  type Signature,
  type SignatureReplies,
  type SignatureReply,
  type SignatureRequest,
  type TextPattern,
} from '../src/http-catalog/signature.js';
import type { HttpResponse } from '../src/net/http.js';
import { defineProbe, type ProbeResult } from '../src/probe.js';
import { parseJsonPrefix } from '../src/protocols/json-prefix.js';
import { redactedExcerpt } from '../src/risk/redact.js';
import { severities, type Severity } from '../src/types.js';

/**
 * HTTP admin endpoints (the catalog in signatures/): which serve an admin page or API without authentication.
 *
 * 1. A random path `/ea-<16 hex>` first: the baseline. Catch-all servers (SPAs, honeypots, `location / {return 200}`)
 *    answer it like anything else, so a positive that looks like the baseline (same reply, or the baseline satisfies
 *    the same matcher) is dropped, and a "credentials demanded" that looks like it means the whole site asks.
 * 2. The signatures for this port (all of them on a port no signature names), requests cached across signatures.
 * 3. exposed: a positive of a signature that is not public by design; auth-required: an auth signal (product
 *    identified, credentials demanded); not-detected otherwise. Redirects are never followed, and one to another
 *    origin never counts.
 */

const DEFAULT_MAX_BYTES = 64 * 1024;
const CONCURRENCY = 4;
const EXCERPT = 300;

export const baselineRequest = 'GET /ea-<16 hex>';
export const baselinePattern = /^GET \/ea-[0-9a-f]{16}$/;

export type SignatureVerdict = 'exposed' | 'auth-required' | 'public-by-design' | 'catch-all';

export interface SignatureMatch {
  id: string;
  product: string;
  verdict: SignatureVerdict;
  /** The request whose reply decided this verdict. */
  request: string;
  /** What the reply shows (the matcher's description). */
  shows: string;
  severity?: Severity;
}

// ---- Matching ----

function testPattern(p: TextPattern, s: string, caseInsensitive = false): boolean {
  if (typeof p !== 'string') return p.test(s);
  return caseInsensitive ? s.toLowerCase().includes(p.toLowerCase()) : s.includes(p);
}

function jsonAtPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = value;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return { found: false };
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(seg) || Number(seg) >= cur.length) return { found: false };
      cur = cur[Number(seg)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: cur };
}

function jsonHolds(body: unknown, c: JsonCondition): boolean {
  const path = typeof c === 'string' ? c : c.path;
  const at = jsonAtPath(body, path);
  if (!at.found || at.value === undefined || at.value === null) return false;
  if (typeof c === 'string') return true;
  if (c.equals !== undefined && at.value !== c.equals) return false;
  if (c.match !== undefined && typeof at.value !== 'string' && typeof at.value !== 'number') return false;
  if (c.match !== undefined && !c.match.test(String(at.value))) return false;
  return true;
}

/** Whether one reply satisfies every condition of a matcher (its `on` is the caller's business). */
export function replySatisfies(m: Matcher, r: SignatureReply): boolean {
  if (m.status && !m.status.includes(r.status)) return false;
  if (m.contentType !== undefined && !testPattern(m.contentType, r.headers['content-type'] ?? '', true)) return false;
  if (m.body && !m.body.every((p) => testPattern(p, r.text))) return false;
  if (m.bodyAny && !m.bodyAny.some((p) => testPattern(p, r.text))) return false;
  for (const [name, want] of Object.entries(m.headers ?? {})) {
    const have = r.headers[name];
    if (have === undefined) return false;
    if (want !== true && !testPattern(want, have)) return false;
  }
  if (m.redirect !== undefined) {
    // Never a redirect to another origin: it is not followed, and it proves nothing about this one.
    if (!r.redirect?.sameOrigin || !testPattern(m.redirect, r.redirect.location)) return false;
  }
  if (m.jsonType !== undefined || m.json?.length) {
    const body = r.json();
    if (body === undefined) return false;
    if (m.jsonType === 'array' && !Array.isArray(body)) return false;
    if (m.jsonType === 'object' && (body === null || typeof body !== 'object' || Array.isArray(body))) return false;
    if (!(m.json ?? []).every((c) => jsonHolds(body, c))) return false;
  }
  return true;
}

function onIds(m: Matcher, sig: Signature): string[] {
  if (m.on === undefined) return sig.requests.map((r) => r.id);
  return Array.isArray(m.on) ? m.on : [m.on];
}

/** Every reply (in request order) that satisfies the matcher. */
function satisfying(m: Matcher, sig: Signature, replies: SignatureReplies): SignatureReply[] {
  return onIds(m, sig)
    .map((id) => replies[id])
    .filter((r): r is SignatureReply => r !== undefined && replySatisfies(m, r));
}

// ---- Replies and the baseline ----

function toReply(requestId: string, request: string, res: HttpResponse): SignatureReply {
  let parsed: unknown;
  let tried = false;
  return {
    requestId,
    request,
    status: res.status,
    headers: res.headers,
    text: res.text,
    truncated: res.truncated,
    ...(res.redirect ? { redirect: res.redirect } : {}),
    json() {
      if (!tried) {
        tried = true;
        if (!res.truncated && res.text.trim()) {
          try {
            parsed = JSON.parse(res.text);
          } catch {
            parsed = undefined;
          }
        } else if (res.truncated) {
          // Cut by the byte cap: the complete leading part still proves what it shows (a Jenkins with 1,500 jobs
          // overflows 64 KiB, but `_class` comes first). "exposed (truncated)", never a lost proof.
          parsed = parseJsonPrefix(res.text);
        }
      }
      return parsed;
    },
  };
}

interface Baseline {
  reply: SignatureReply;
  path: string;
  hash: string;
}

function mediaType(r: SignatureReply): string {
  return (r.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function pathOf(request: string): string {
  return request.slice(request.indexOf(' ') + 1);
}

/** Body hash with the request's own path taken out (catch-alls that echo the path still look alike). */
function bodyHash(text: string, path: string): string {
  let t = text;
  for (const p of new Set([path, path.split('?')[0]!, encodeURI(path)])) if (p.length > 1) t = t.split(p).join('{path}');
  return createHash('sha256').update(t).digest('hex');
}

function sameAsBaseline(r: SignatureReply, b: Baseline): boolean {
  return r.status === b.reply.status && mediaType(r) === mediaType(b.reply) && bodyHash(r.text, pathOf(r.request)) === b.hash;
}

/** Same status and media type, and a length within 10% (or 32 bytes). */
function similarToBaseline(r: SignatureReply, b: Baseline): boolean {
  if (r.status !== b.reply.status || mediaType(r) !== mediaType(b.reply)) return false;
  const a = r.text.length;
  const c = b.reply.text.length;
  return Math.abs(a - c) <= Math.max(32, 0.1 * Math.max(a, c));
}

// ---- Evaluation ----

interface Hit {
  sig: Signature;
  matcher: PositiveMatcher | AuthMatcher;
  reply: SignatureReply;
}

interface Outcome {
  sig: Signature;
  replies: SignatureReplies;
  exposed: Hit[];
  publicHits: Hit[];
  catchAll: Hit[];
  auth: Hit[];
  genericAuth: Hit[];
  /** Structure matched although the random path answered alike (kept, with a note). */
  structureOnly: boolean;
  /** Credentials demanded, but a 2xx reply of the same signature was cut by the byte cap before proving anything. */
  undecided: boolean;
}

type Fetched = { reply: SignatureReply } | { error: EaError };

function evaluate(sig: Signature, replies: SignatureReplies, baseline: Baseline): Outcome {
  const out: Outcome = { sig, replies, exposed: [], publicHits: [], catchAll: [], auth: [], genericAuth: [], structureOnly: false, undecided: false };
  const vetoes = [loginForm, ...(sig.negative ?? [])];
  for (const m of sig.positive) {
    let catchAll: Hit | undefined;
    for (const reply of satisfying(m, sig, replies)) {
      if (vetoes.some((v) => (v.on === undefined || onIds(v, sig).includes(reply.requestId)) && replySatisfies(v, reply))) continue;
      // The random path satisfies the same matcher, or answers the same: a catch-all, not this product.
      if (sameAsBaseline(reply, baseline) || replySatisfies(m, baseline.reply)) {
        catchAll ??= { sig, matcher: m, reply };
        continue;
      }
      if (similarToBaseline(reply, baseline)) out.structureOnly = true;
      const hit = { sig, matcher: m, reply };
      if (sig.publicByDesign || m.publicByDesign) out.publicHits.push(hit);
      else out.exposed.push(hit);
      catchAll = undefined;
      break;
    }
    if (catchAll) out.catchAll.push(catchAll);
  }
  // A 2xx reply cut by the byte cap that proved nothing: what it would have shown is unknown, so this signature's
  // "credentials demanded" on another request (Jenkins: 403 on /script) must not turn it into a secured verdict.
  for (const m of sig.auth) {
    const [reply] = satisfying(m, sig, replies);
    if (!reply) continue;
    const generic = !m.identifies && (sameAsBaseline(reply, baseline) || similarToBaseline(reply, baseline) || replySatisfies(m, baseline.reply));
    (generic ? out.genericAuth : out.auth).push({ sig, matcher: m, reply });
  }
  // A 2xx reply cut by the byte cap that proved nothing: what it would have shown is unknown, so this signature's
  // "credentials demanded" on another request (Jenkins: 403 on /script) must not turn it into a secured verdict.
  const cut = Object.values(replies).some((r) => r && r.truncated && r.status >= 200 && r.status < 300);
  if (cut && !out.exposed.length && !out.publicHits.length && (out.auth.length || out.genericAuth.length)) {
    out.undecided = true;
    out.auth = [];
    out.genericAuth = [];
  }
  return out;
}

const rankOf = (s: Severity): number => severities.indexOf(s); // 0 = critical

function hitSeverity(h: Hit): Severity {
  return (h.matcher as PositiveMatcher).severity ?? h.sig.severity;
}

function squash(text: string, max = EXCERPT): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function summarizePositive(h: Hit): string {
  let s: string | undefined;
  try {
    s = h.sig.summarize?.(h.reply);
  } catch {
    s = undefined;
  }
  s ??= `${h.reply.status} ${describeJson(h.reply.json()) ?? h.reply.text.slice(0, 160)}`;
  return squash(s);
}

function summarizeReply(r: SignatureReply): string {
  const parts = [String(r.status)];
  if (r.headers['www-authenticate']) parts.push(`WWW-Authenticate: ${r.headers['www-authenticate']}`);
  if (r.redirect) parts.push(`→ ${r.redirect.location}`);
  if (r.headers['x-jenkins']) parts.push(`X-Jenkins: ${r.headers['x-jenkins']}`);
  if (r.text) parts.push(redactedExcerpt(r.text, 160));
  return squash(parts.join(' '));
}

function factsOf(o: Outcome): Record<string, unknown> {
  try {
    return o.sig.extract?.(o.replies) ?? {};
  } catch {
    return {};
  }
}

function match(h: Hit, verdict: SignatureVerdict): SignatureMatch {
  return {
    id: h.sig.id,
    product: h.sig.product,
    verdict,
    request: h.reply.request,
    shows: h.matcher.shows,
    ...(verdict === 'exposed' ? { severity: hitSeverity(h) } : {}),
  };
}

async function fetchAll<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const allRequests = [...new Set(catalog.flatMap((s) => s.requests.map(requestLine)))];

export default defineProbe({
  meta: {
    id: 'http-admin',
    service: 'http',
    title: 'HTTP admin endpoints without authentication',
    description: `Runs the HTTP admin catalog (${catalog.length} products: ${catalog.map((s) => s.id).join(', ')}) after a random-path baseline; reports which admin page or API answers without credentials.`,
    defaultPorts: [...catalogPorts],
    tlsPorts: [443, 2376, 9443, 10250].filter((p) => catalogPorts.includes(p)),
    transport: 'http',
    tls: 'optional',
    sends: [baselineRequest, ...allRequests],
    impact: 'info-leak', // the matched signature's typed assessment sets the base severity
    exposure: 'an admin page or API answers without credentials; what that allows depends on the product (see the finding)',
    remediation:
      'Put the admin endpoint behind authentication, or bind it to a private interface and firewall the port; the finding names the product-specific setting.',
    references: ['https://github.com/projectdiscovery/nuclei-templates/tree/main/http/misconfiguration'],
  },
  async run(target, ctx): Promise<ProbeResult> {
    const basePath = `/ea-${randomBytes(8).toString('hex')}`;
    // Nothing answers at all: let the engine map it (closed, timeout, TLS retry).
    const baseRes = await ctx.http({ method: 'GET', path: basePath, maxBytes: DEFAULT_MAX_BYTES });
    const baseReply = toReply('baseline', `GET ${basePath}`, baseRes);
    const baseline: Baseline = { reply: baseReply, path: basePath, hash: bodyHash(baseRes.text, basePath) };

    const chosen = signaturesForPort(target.port, catalog);
    const cache = new Map<string, Promise<Fetched>>();
    const failures: Array<{ request: string; error: EaError }> = [];
    const fetchOne = (req: SignatureRequest): Promise<Fetched> => {
      const key = `${req.method} ${req.path} ${req.body ?? ''}`;
      let p = cache.get(key);
      if (!p) {
        p = ctx
          .http({
            method: req.method,
            path: req.path,
            maxBytes: req.maxBytes ?? DEFAULT_MAX_BYTES,
            ...(req.headers ? { headers: req.headers } : {}),
            ...(req.body !== undefined ? { body: req.body } : {}),
          })
          .then(
            (res): Fetched => ({ reply: toReply(req.id, requestLine(req), res) }),
            (err: unknown): Fetched => {
              const e = isEaError(err) ? err : new EaError('EA_PROTOCOL', String((err as Error)?.message ?? err));
              failures.push({ request: requestLine(req), error: e });
              return { error: e };
            },
          );
        cache.set(key, p);
      }
      return p;
    };

    const outcomes = await fetchAll(chosen, CONCURRENCY, async (sig) => {
      const replies: SignatureReplies = {};
      for (const req of sig.requests) {
        const f = await fetchOne(req);
        if (ctx.limits.signal.aborted) throw new EaError('EA_ABORTED', 'the run was interrupted');
        // The cache is shared: the same request may carry another signature's id. Re-label for this one.
        if ('reply' in f) replies[req.id] = { ...f.reply, requestId: req.id, json: f.reply.json };
      }
      return evaluate(sig, replies, baseline);
    });
    const aborted = failures.find((f) => f.error.code === 'EA_ABORTED');
    if (aborted) throw aborted.error;

    const notes: string[] = [];
    const crossOrigin = new Set<string>();
    for (const o of outcomes) for (const r of Object.values(o.replies)) if (r?.redirect && !r.redirect.sameOrigin) crossOrigin.add(r.redirect.location.slice(0, 200));
    for (const loc of crossOrigin) notes.push(`redirect to another origin not followed and not counted: ${loc}`);
    if (failures.length) notes.push(`${failures.length} request(s) failed: ${failures.slice(0, 5).map((f) => `${f.request} (${f.error.code})`).join(', ')}`);

    const matches: SignatureMatch[] = [];
    const exposed = outcomes.flatMap((o) => o.exposed);
    // Replies that name the product by themselves lead (a shared path such as /api/overview may draw several).
    const auth = outcomes.flatMap((o) => o.auth).sort((a, b) => Number(Boolean((b.matcher as AuthMatcher).identifies)) - Number(Boolean((a.matcher as AuthMatcher).identifies)));
    const genericAuth = outcomes.flatMap((o) => o.genericAuth);
    const publicHits = outcomes.flatMap((o) => o.publicHits);
    const catchAll = outcomes.flatMap((o) => o.catchAll);
    for (const h of exposed) matches.push(match(h, 'exposed'));
    for (const h of auth) if (!matches.some((m) => m.id === h.sig.id)) matches.push(match(h, 'auth-required'));
    for (const h of publicHits) if (!matches.some((m) => m.id === h.sig.id && m.verdict === 'public-by-design')) matches.push(match(h, 'public-by-design'));
    for (const h of catchAll) if (!matches.some((m) => m.id === h.sig.id)) matches.push(match(h, 'catch-all'));
    if (catchAll.length)
      notes.push(`the random path ${basePath} answers ${baseReply.status} like the admin paths: ${[...new Set(catchAll.map((h) => h.sig.id))].join(', ')} discarded as a catch-all`);
    if (outcomes.some((o) => o.structureOnly && o.exposed.length))
      notes.push(`the random path answers ${baseReply.status} with a similar body: matched on body structure only`);
    const publicNote = () => {
      if (publicHits.length) notes.push(`public by design, never a finding alone: ${[...new Set(publicHits.map((h) => `${h.reply.request} (${h.sig.product})`))].join(', ')}`);
    };
    const truncated = exposed.some((h) => h.reply.truncated);
    const factsFor = (sig: Signature) => factsOf(outcomes.find((o) => o.sig === sig)!);
    const versionOf = (f: Record<string, unknown>) => (typeof f.version === 'string' && f.version ? { version: f.version } : {});

    if (exposed.length) {
      // The most severe proof leads; ties go to catalog order.
      const top = [...exposed].sort((a, b) => rankOf(hitSeverity(a)) - rankOf(hitSeverity(b)))[0]!;
      const facts = factsFor(top.sig);
      publicNote();
      return {
        status: 'exposed',
        evidence: {
          product: top.sig.product,
          ...versionOf(facts),
          proof: top.reply.request,
          reply: summarizePositive(top),
          ...(truncated ? { truncated: true } : {}),
          ...(notes.length ? { notes } : {}),
        },
        assessment: { severity: hitSeverity(top), reason: top.sig.exposure, exposure: top.sig.exposure, remediation: top.sig.remediation },
        // Kept in facts for readers of the JSON report; the classifier reads only the typed assessment.
        facts: { ...facts, signature: top.sig.id, severity: hitSeverity(top), exposure: top.sig.exposure, remediation: top.sig.remediation, signatures: matches },
      };
    }

    // Failures that left the verdict open (the deadline hit mid-way): "could not test", never "not detected".
    // So are failures of every admin request (only the baseline got a reply).
    const deadline = failures.find((f) => f.error.code === 'EA_TIMEOUT');
    const allFailed = failures.length > 0 && failures.length >= cache.size;
    if (!auth.length && !genericAuth.length && (deadline || allFailed)) throw (deadline ?? failures[0]!).error;
    const undecided = outcomes.filter((o) => o.undecided);
    if (!auth.length && !genericAuth.length && undecided.length)
      throw new EaError('EA_TOO_LARGE', `a reply of ${undecided.map((o) => o.sig.id).join(', ')} was cut by the byte cap before it proved anything: not decided (raise --max-bytes)`);

    if (auth.length) {
      const top = auth[0]!;
      const facts = factsFor(top.sig);
      publicNote();
      return {
        status: 'auth-required',
        evidence: { product: top.sig.product, ...versionOf(facts), proof: top.reply.request, reply: summarizeReply(top.reply), ...(notes.length ? { notes } : {}) },
        facts: { ...facts, signature: top.sig.id, signatures: matches },
      };
    }
    if (genericAuth.length) {
      const known = publicHits[0];
      const facts = known ? factsFor(known.sig) : {};
      notes.unshift(`every path answers ${baseReply.status} like the admin paths (the random path too): credentials are demanded site-wide; the product behind them is not identified`);
      publicNote();
      return {
        status: 'auth-required',
        evidence: {
          ...(known ? { product: known.sig.product, ...versionOf(facts) } : {}),
          // The random path itself demanded credentials: that is the proof, not whichever admin path came first.
          proof: baseReply.request,
          reply: summarizeReply(baseReply),
          notes,
        },
        facts: { ...facts, siteWideAuth: true, signatures: matches },
      };
    }

    const known = publicHits[0];
    const facts = known ? factsFor(known.sig) : {};
    publicNote();
    if (!known) notes.push(`no admin endpoint of ${chosen.length === catalog.length ? 'any catalogued product' : chosen.map((s) => s.id).join(', ')} answered`);
    return {
      status: 'not-detected',
      evidence: {
        ...(known ? { product: known.sig.product, ...versionOf(facts), proof: known.reply.request, reply: summarizePositive(known) } : { proof: `GET ${basePath}`, reply: summarizeReply(baseReply) }),
        notes,
      },
      facts: { ...facts, signatures: matches },
    };
  },
});
