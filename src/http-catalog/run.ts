import { redactedExcerpt } from '../risk/redact.js';
import { EaError, isEaError } from '../errors.js';
import type { ProbeContext, ProbeResult } from '../probe.js';
import { severities, type Assessment, type DataInventory, type ProbeTarget, type Severity, type VerdictFacts } from '../types.js';
import { makeBaseline, randomPath, sameAsBaseline, similarToBaseline, type Baseline } from './baseline.js';
import { forbiddenReason } from './forbidden.js';
import { onIds, replySatisfies, satisfying, toReply } from './match.js';
import { runMeasurements, type MeasureRequest } from './measure.js';
import {
  describeJson,
  loginForm,
  requestLine,
  type AuthMatcher,
  type Matcher,
  type PositiveMatcher,
  type Signature,
  type SignatureReplies,
  type SignatureReply,
  type SignatureRequest,
} from './signature.js';

/**
 * The catalog engine: runs signatures against one HTTP endpoint and decides.
 *
 * 1. The random-path baseline first (baseline.ts).
 * 2. Every signature's requests, cached across signatures (a shared path is sent once), at most CONCURRENCY
 *    signatures at a time.
 * 3. exposed: a positive (or an `unclaimed` matcher) of a signature that is not public by design and does not look
 *    like the baseline; auth-required: an auth signal (product identified, credentials demanded; `leaks` still
 *    listed); not-detected otherwise. Redirects are never followed, and one to another origin never counts.
 * 4. Only when exposed: the proving signature's measurements (Observation.data) and its assessment (typed severity).
 */

export const DEFAULT_MAX_BYTES = 64 * 1024;
const CONCURRENCY = 4;
const EXCERPT = 300;

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

/** The run may repeat a request with a signature's documented default credential (ctx.tryDefaultCredentials). */
export type CatalogContext = ProbeContext;

interface Hit {
  sig: Signature;
  matcher: PositiveMatcher | AuthMatcher;
  reply: SignatureReply;
}

interface Outcome {
  sig: Signature;
  replies: SignatureReplies;
  exposed: Hit[];
  unclaimed: Hit[];
  leaks: Hit[];
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
type FetchRequest = Omit<MeasureRequest, 'method'> & { method: SignatureRequest['method']; maxBytes?: number };

/** First reply per matcher that holds, is not vetoed and does not look like the baseline. */
function proofs(
  matchers: readonly PositiveMatcher[],
  sig: Signature,
  replies: SignatureReplies,
  baseline: Baseline,
  out: Outcome,
  onCatchAll?: (h: Hit) => void,
): Hit[] {
  const vetoes: Matcher[] = [loginForm, ...(sig.negative ?? [])];
  const hits: Hit[] = [];
  for (const m of matchers) {
    let catchAll: Hit | undefined;
    for (const reply of satisfying(m, sig, replies)) {
      if (vetoes.some((v) => (v.on === undefined || onIds(v, sig).includes(reply.requestId)) && replySatisfies(v, reply))) continue;
      // The random path satisfies the same matcher, or answers the same: a catch-all, not this product.
      if (sameAsBaseline(reply, baseline) || replySatisfies(m, baseline.reply)) {
        catchAll ??= { sig, matcher: m, reply };
        continue;
      }
      if (similarToBaseline(reply, baseline)) out.structureOnly = true;
      hits.push({ sig, matcher: m, reply });
      catchAll = undefined;
      break;
    }
    if (catchAll) onCatchAll?.(catchAll);
  }
  return hits;
}

export function evaluate(sig: Signature, replies: SignatureReplies, baseline: Baseline): Outcome {
  const out: Outcome = {
    sig,
    replies,
    exposed: [],
    unclaimed: [],
    leaks: [],
    publicHits: [],
    catchAll: [],
    auth: [],
    genericAuth: [],
    structureOnly: false,
    undecided: false,
  };
  for (const hit of proofs(sig.positive, sig, replies, baseline, out, (h) => out.catchAll.push(h))) {
    if (sig.publicByDesign || (hit.matcher as PositiveMatcher).publicByDesign) out.publicHits.push(hit);
    else out.exposed.push(hit);
  }
  out.unclaimed = proofs(sig.unclaimed ?? [], sig, replies, baseline, out, (h) => out.catchAll.push(h));
  out.leaks = proofs(sig.leaks ?? [], sig, replies, baseline, out);
  for (const m of sig.auth) {
    const [reply] = satisfying(m, sig, replies);
    if (!reply) continue;
    const likeBaseline = sameAsBaseline(reply, baseline) || replySatisfies(m, baseline.reply);
    // A 2xx "error" body that the random path answers too is a catch-all's, even when it would name the product; and
    // a 2xx is never "credentials demanded site-wide" (setup-state replies such as Dify's {"step":"finished"}).
    if (reply.status < 300 && likeBaseline) continue;
    const generic = !m.identifies && (likeBaseline || similarToBaseline(reply, baseline));
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
  const t = text
    .slice(0, 4 * max)
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function summarizePositive(h: Hit): string {
  let s: string | undefined;
  try {
    s = h.sig.summarize?.(h.reply);
  } catch {
    s = undefined;
  }
  s ??= `${h.reply.status} ${describeJson(h.reply.json()) ?? redactedExcerpt(h.reply.text, 160)}`;
  return squash(s);
}

/** Status, WWW-Authenticate, a same-origin redirect, and the headers the signature's auth matchers name. */
function summarizeReply(r: SignatureReply, sig?: Signature): string {
  const parts = [String(r.status)];
  if (r.headers['www-authenticate']) parts.push(`WWW-Authenticate: ${r.headers['www-authenticate']}`);
  if (r.redirect) parts.push(`→ ${r.redirect.location}`);
  const named = new Set((sig?.auth ?? []).flatMap((m) => Object.keys(m.headers ?? {})));
  named.delete('www-authenticate');
  for (const h of named)
    if (r.headers[h]) parts.push(`${h.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())}: ${r.headers[h]}`);
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

/** Runs `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

/** Dotted numeric versions: -1, 0, 1. Non-numeric parts compare as 0 (`1.2.3-rc1` ~ `1.2.3`). */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/^v/i, '')
    .split(/[.+-]/)
    .slice(0, 4)
    .map((x) => Number.parseInt(x, 10) || 0);
  const pb = b
    .replace(/^v/i, '')
    .split(/[.+-]/)
    .slice(0, 4)
    .map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The signature's advisories that apply to a version (lower than `fixedIn`). */
export function advisoriesFor(sig: Signature, version: string | undefined): NonNullable<VerdictFacts['advisories']> {
  if (!version || !/^v?\d/.test(version)) return [];
  return (sig.advisories ?? [])
    .filter((a) => compareVersions(version, a.fixedIn) < 0)
    .map((a) => ({ id: a.id, summary: a.summary, fixedIn: a.fixedIn }));
}

function assessmentOf(top: Hit, replies: SignatureReplies, data: DataInventory | undefined, unclaimed: Hit | undefined): Assessment {
  const sig = top.sig;
  let custom: Assessment | undefined;
  try {
    custom = sig.assess?.(replies, data ?? { items: [], totals: {} });
  } catch {
    custom = undefined;
  }
  const base: Assessment = {
    severity: unclaimed && !(top.matcher as PositiveMatcher).severity ? 'critical' : hitSeverity(top),
    reason: unclaimed ? `unclaimed set-up: ${unclaimed.matcher.shows}` : `${sig.product}: ${top.matcher.shows}`,
    exposure: sig.exposure,
    remediation: sig.remediation,
  };
  if (!custom || !severities.includes(custom.severity)) return base;
  return { ...base, ...custom, reason: squash(custom.reason || base.reason, 200) };
}

/** Runs `sigs` (every one of them) against the target: one verdict for the endpoint. */
export async function runCatalog(
  sigs: readonly Signature[],
  target: ProbeTarget,
  ctx: CatalogContext,
  scope: string = 'any catalogued product',
): Promise<ProbeResult> {
  void target;
  const basePath = randomPath();
  // Nothing answers at all: let the engine map it (closed, timeout, TLS retry).
  const baseRes = await ctx.http({ method: 'GET', path: basePath, maxBytes: DEFAULT_MAX_BYTES });
  const baseReply = toReply('baseline', `GET ${basePath}`, baseRes);
  const baseline = makeBaseline(baseReply);

  const cache = new Map<string, Promise<Fetched>>();
  const failures: Array<{ request: string; error: EaError }> = [];
  const fetchOne = (req: FetchRequest, id: string): Promise<Fetched> => {
    const why = forbiddenReason(req.method, req.path);
    if (why) return Promise.resolve({ error: new EaError('EA_PROTOCOL', `refused to send ${req.method} ${req.path}: ${why}`) });
    const key = `${req.method} ${req.path} ${req.body ?? ''} ${JSON.stringify(req.headers ?? {})}`;
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
          (res): Fetched => ({ reply: toReply(id, requestLine(req), res) }),
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
  const abortCheck = () => {
    if (ctx.limits.signal.aborted) throw new EaError('EA_ABORTED', 'the run was interrupted');
  };

  const outcomes = await mapLimit(sigs, CONCURRENCY, async (sig) => {
    const replies: SignatureReplies = {};
    for (const req of sig.requests) {
      const f = await fetchOne(req, req.id);
      abortCheck();
      // The cache is shared: the same request may carry another signature's id. Re-label for this one.
      if ('reply' in f) replies[req.id] = { ...f.reply, requestId: req.id, json: f.reply.json };
    }
    return evaluate(sig, replies, baseline);
  });
  const aborted = failures.find((f) => f.error.code === 'EA_ABORTED');
  if (aborted) throw aborted.error;
  const requestsBeforeMeasuring = cache.size;

  const notes: string[] = [];
  const crossOrigin = new Set<string>();
  for (const o of outcomes)
    for (const r of Object.values(o.replies)) if (r?.redirect && !r.redirect.sameOrigin) crossOrigin.add(r.redirect.location.slice(0, 200));
  for (const loc of crossOrigin) notes.push(`redirect to another origin not followed and not counted: ${loc}`);

  const matches: SignatureMatch[] = [];
  const exposed = outcomes.flatMap((o) => [...o.exposed, ...o.unclaimed]);
  // Replies that name the product by themselves lead (a shared path such as /api/overview may draw several).
  const auth = outcomes
    .flatMap((o) => o.auth)
    .sort((a, b) => Number(Boolean((b.matcher as AuthMatcher).identifies)) - Number(Boolean((a.matcher as AuthMatcher).identifies)));
  const genericAuth = outcomes.flatMap((o) => o.genericAuth);
  const publicHits = outcomes.flatMap((o) => o.publicHits);
  const catchAll = outcomes.flatMap((o) => o.catchAll);
  for (const h of exposed) matches.push(match(h, 'exposed'));
  for (const h of auth) if (!matches.some((m) => m.id === h.sig.id)) matches.push(match(h, 'auth-required'));
  for (const h of publicHits)
    if (!matches.some((m) => m.id === h.sig.id && m.verdict === 'public-by-design')) matches.push(match(h, 'public-by-design'));
  for (const h of catchAll) if (!matches.some((m) => m.id === h.sig.id)) matches.push(match(h, 'catch-all'));
  if (catchAll.length)
    notes.push(
      `the random path ${basePath} answers ${baseReply.status} like the admin paths: ${[...new Set(catchAll.map((h) => h.sig.id))].join(', ')} discarded as a catch-all`,
    );
  if (outcomes.some((o) => o.structureOnly && (o.exposed.length || o.unclaimed.length)))
    notes.push(`the random path answers ${baseReply.status} with a similar body: matched on body structure only`);
  const publicNote = () => {
    if (publicHits.length)
      notes.push(
        `public by design, never a finding alone: ${[...new Set(publicHits.map((h) => `${h.reply.request} (${h.sig.product})`))].join(', ')}`,
      );
  };
  const failureNote = () => {
    if (failures.length)
      notes.push(
        `${failures.length} request(s) failed: ${failures
          .slice(0, 5)
          .map((f) => `${f.request} (${f.error.code})`)
          .join(', ')}`,
      );
  };
  const outcomeOf = (sig: Signature) => outcomes.find((o) => o.sig === sig)!;
  const versionOf = (f: Record<string, unknown>) => (typeof f.version === 'string' && f.version ? { version: f.version } : {});
  const advisoriesOf = (sig: Signature, f: Record<string, unknown>) => {
    const a = advisoriesFor(sig, typeof f.version === 'string' ? f.version : undefined);
    return a.length ? { advisories: a } : {};
  };

  if (exposed.length) {
    // The most severe proof leads (an unclaimed set-up counts as critical); ties go to catalog order.
    const sev = (h: Hit) =>
      h.sig.unclaimed?.includes(h.matcher as PositiveMatcher) && !(h.matcher as PositiveMatcher).severity ? 'critical' : hitSeverity(h);
    const top = [...exposed].sort((a, b) => rankOf(sev(a)) - rankOf(sev(b)))[0]!;
    const o = outcomeOf(top.sig);
    const facts = factsOf(o);
    const unclaimed = o.unclaimed[0];
    let data: DataInventory | undefined;
    if (top.sig.measure?.length) {
      const measured = await runMeasurements(
        top.sig,
        async (req, id) => {
          const f = await fetchOne(req, id);
          abortCheck();
          return 'reply' in f ? f.reply : undefined;
        },
        baseline,
        ctx.caps,
      );
      data = measured.data;
      notes.push(...measured.notes);
    }
    failureNote();
    publicNote();
    const truncated = exposed.some((h) => h.reply.truncated);
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
      facts: { ...facts, signature: top.sig.id, signatures: matches },
      assessment: assessmentOf(top, o.replies, data, unclaimed),
      ...(unclaimed ? { unclaimed: unclaimed.matcher.shows } : {}),
      ...advisoriesOf(top.sig, facts),
      ...(data ? { data } : {}),
    };
  }
  failureNote();

  // Failures that left the verdict open (the deadline hit mid-way): "could not test", never "not detected".
  // So are failures of every admin request (only the baseline got a reply).
  const deadline = failures.find((f) => f.error.code === 'EA_TIMEOUT');
  const allFailed = failures.length > 0 && failures.length >= requestsBeforeMeasuring;
  if (!auth.length && !genericAuth.length && (deadline || allFailed)) throw (deadline ?? failures[0]!).error;
  const undecided = outcomes.filter((o) => o.undecided);
  if (!auth.length && !genericAuth.length && undecided.length)
    throw new EaError(
      'EA_TOO_LARGE',
      `a reply of ${undecided.map((o) => o.sig.id).join(', ')} was cut by the byte cap before it proved anything: not decided (raise --max-bytes)`,
    );

  if (auth.length) {
    const top = auth[0]!;
    const o = outcomeOf(top.sig);
    const facts = factsOf(o);
    const leaks = o.leaks.map((h) => ({ request: h.reply.request, shows: h.matcher.shows }));
    const credential = ctx.tryDefaultCredentials ? await tryDefaultCredentials(top.sig, baseline, fetchOne) : undefined;
    publicNote();
    return {
      status: 'auth-required',
      evidence: {
        product: top.sig.product,
        ...versionOf(facts),
        proof: top.reply.request,
        reply: summarizeReply(top.reply, top.sig),
        ...(notes.length ? { notes } : {}),
      },
      facts: { ...facts, signature: top.sig.id, signatures: matches },
      ...(leaks.length ? { leaks } : {}),
      ...advisoriesOf(top.sig, facts),
      ...(credential ? { defaultCredential: credential } : {}),
    };
  }
  if (genericAuth.length) {
    const known = publicHits[0];
    const facts = known ? factsOf(outcomeOf(known.sig)) : {};
    notes.unshift(
      `every path answers ${baseReply.status} like the admin paths (the random path too): credentials are demanded site-wide; the product behind them is not identified`,
    );
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
  const facts = known ? factsOf(outcomeOf(known.sig)) : {};
  publicNote();
  if (!known) notes.push(`no admin endpoint of ${scope} answered`);
  return {
    status: 'not-detected',
    evidence: {
      ...(known
        ? { product: known.sig.product, ...versionOf(facts), proof: known.reply.request, reply: summarizePositive(known) }
        : { proof: `GET ${basePath}`, reply: summarizeReply(baseReply) }),
      notes,
    },
    facts: { ...facts, signatures: matches },
    ...(known ? advisoriesOf(known.sig, facts) : {}),
  };
}

/**
 * Repeats a request with each documented default credential (opt-in only). Accepted = the reply then satisfies one
 * of the signature's positives on that request and does not look like the baseline. Never a guess: only the
 * product's documented defaults.
 */
async function tryDefaultCredentials(
  sig: Signature,
  baseline: Baseline,
  fetchOne: (req: FetchRequest, id: string) => Promise<Fetched>,
): Promise<VerdictFacts['defaultCredential']> {
  for (const c of sig.defaultCredentials ?? []) {
    const req = sig.requests.find((r) => r.id === c.request);
    if (!req || req.method === 'POST') continue;
    const auth = c.header ?? { authorization: `Basic ${Buffer.from(`${c.user}:${c.password ?? ''}`).toString('base64')}` };
    const f = await fetchOne({ method: req.method, path: req.path, headers: { ...(req.headers ?? {}), ...auth } }, req.id);
    if (!('reply' in f) || sameAsBaseline(f.reply, baseline)) continue;
    const replies: SignatureReplies = { [req.id]: f.reply };
    if (
      sig.positive.some(
        (m) =>
          (m.on === undefined || onIds(m, sig).includes(req.id)) &&
          !m.publicByDesign &&
          satisfying({ ...m, on: req.id }, sig, replies).length,
      )
    ) {
      return { user: c.user, source: c.source };
    }
  }
  return undefined;
}
