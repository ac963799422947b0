import { redactedExcerpt } from '../risk/redact.js';
import type { ProbeResult } from '../probe.js';
import { severities, type Assessment, type DataInventory, type Severity, type VerdictFacts } from '../types.js';
import type { Hit, Outcome } from './evaluate.js';
import {
  describeJson,
  type AuthMatcher,
  type PositiveMatcher,
  type Signature,
  type SignatureReplies,
  type SignatureReply,
} from './signature.js';

/**
 * Verdict: the endpoint's outcomes (one per signature that ran) -> one ProbeResult. The most severe exposure leads;
 * else a product-naming "credentials demanded"; else site-wide credentials; else not detected (a public-by-design
 * hit names the product). Summaries are redacted before they are cut.
 */

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

export function summarizePositive(h: Hit): string {
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
export function summarizeReply(r: SignatureReply, sig?: Signature): string {
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

export function factsOf(o: Outcome | undefined): Record<string, unknown> {
  try {
    return o?.sig.extract?.(o.replies) ?? {};
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

/** Dotted numeric versions: -1, 0, 1. Non-numeric parts compare as 0 (`1.2.3-rc1` ~ `1.2.3`). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .replace(/^v/i, '')
      .split(/[.+-]/)
      .slice(0, 4)
      .map((x) => Number.parseInt(x, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
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

export function versionOf(f: Record<string, unknown>): { version?: string } {
  return typeof f.version === 'string' && f.version ? { version: f.version } : {};
}

export function advisoriesOf(sig: Signature, f: Record<string, unknown>): { advisories?: NonNullable<VerdictFacts['advisories']> } {
  const a = advisoriesFor(sig, typeof f.version === 'string' ? f.version : undefined);
  return a.length ? { advisories: a } : {};
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

/** Every signature's hits, gathered across outcomes, with the notes and per-signature matches they imply. */
export interface Collected {
  outcomes: Outcome[];
  baseReply: SignatureReply;
  exposed: Hit[];
  auth: Hit[];
  genericAuth: Hit[];
  publicHits: Hit[];
  matches: SignatureMatch[];
  notes: string[];
}

export function collect(outcomes: Outcome[], baseReply: SignatureReply): Collected {
  const notes: string[] = [];
  const crossOrigin = new Set<string>();
  for (const o of outcomes)
    for (const r of Object.values(o.replies)) if (r?.redirect && !r.redirect.sameOrigin) crossOrigin.add(r.redirect.location.slice(0, 200));
  for (const loc of crossOrigin) notes.push(`redirect to another origin not followed and not counted: ${loc}`);
  const exposed = outcomes.flatMap((o) => [...o.exposed, ...o.unclaimed]);
  // Replies that name the product by themselves lead (a shared path such as /api/overview may draw several).
  const auth = outcomes
    .flatMap((o) => o.auth)
    .sort((a, b) => Number(Boolean((b.matcher as AuthMatcher).identifies)) - Number(Boolean((a.matcher as AuthMatcher).identifies)));
  const genericAuth = outcomes.flatMap((o) => o.genericAuth);
  const publicHits = outcomes.flatMap((o) => o.publicHits);
  const catchAll = outcomes.flatMap((o) => o.catchAll);
  const matches: SignatureMatch[] = [];
  for (const h of exposed) matches.push(match(h, 'exposed'));
  for (const h of auth) if (!matches.some((m) => m.id === h.sig.id)) matches.push(match(h, 'auth-required'));
  for (const h of publicHits)
    if (!matches.some((m) => m.id === h.sig.id && m.verdict === 'public-by-design')) matches.push(match(h, 'public-by-design'));
  for (const h of catchAll) if (!matches.some((m) => m.id === h.sig.id)) matches.push(match(h, 'catch-all'));
  const basePath = baseReply.request.slice(baseReply.request.indexOf(' ') + 1);
  if (catchAll.length)
    notes.push(
      `the random path ${basePath} answers ${baseReply.status} like the admin paths: ${[...new Set(catchAll.map((h) => h.sig.id))].join(', ')} discarded as a catch-all`,
    );
  if (outcomes.some((o) => o.structureOnly && (o.exposed.length || o.unclaimed.length)))
    notes.push(`the random path answers ${baseReply.status} with a similar body: matched on body structure only`);
  return { outcomes, baseReply, exposed, auth, genericAuth, publicHits, matches, notes };
}

export function publicNote(c: Collected): void {
  if (c.publicHits.length)
    c.notes.push(
      `public by design, never a finding alone: ${[...new Set(c.publicHits.map((h) => `${h.reply.request} (${h.sig.product})`))].join(', ')}`,
    );
}

const outcomeOf = (c: Collected, sig: Signature) => c.outcomes.find((o) => o.sig === sig)!;

/** The exposure that leads: the most severe proof (an unclaimed set-up counts as critical); ties go to catalog order. */
export function leadingExposure(c: Collected): { top: Hit; outcome: Outcome } {
  const sev = (h: Hit) =>
    h.sig.unclaimed?.includes(h.matcher as PositiveMatcher) && !(h.matcher as PositiveMatcher).severity ? 'critical' : hitSeverity(h);
  const top = [...c.exposed].sort((a, b) => rankOf(sev(a)) - rankOf(sev(b)))[0]!;
  return { top, outcome: outcomeOf(c, top.sig) };
}

export function exposedResult(c: Collected, data: DataInventory | undefined): ProbeResult {
  const { top, outcome: o } = leadingExposure(c);
  const facts = factsOf(o);
  const unclaimed = o.unclaimed[0];
  publicNote(c);
  const truncated = c.exposed.some((h) => h.reply.truncated);
  return {
    status: 'exposed',
    evidence: {
      product: top.sig.product,
      ...versionOf(facts),
      proof: top.reply.request,
      reply: summarizePositive(top),
      ...(truncated ? { truncated: true } : {}),
      ...(c.notes.length ? { notes: c.notes } : {}),
    },
    facts: { ...facts, signature: top.sig.id, signatures: c.matches },
    assessment: assessmentOf(top, o.replies, data, unclaimed),
    ...(unclaimed ? { unclaimed: unclaimed.matcher.shows } : {}),
    ...advisoriesOf(top.sig, facts),
    ...(data ? { data } : {}),
  };
}

export function authResult(c: Collected, credential: VerdictFacts['defaultCredential']): ProbeResult {
  const top = c.auth[0]!;
  const o = outcomeOf(c, top.sig);
  const facts = factsOf(o);
  const leaks = o.leaks.map((h) => ({ request: h.reply.request, shows: h.matcher.shows }));
  publicNote(c);
  return {
    status: 'auth-required',
    evidence: {
      product: top.sig.product,
      ...versionOf(facts),
      proof: top.reply.request,
      reply: summarizeReply(top.reply, top.sig),
      ...(c.notes.length ? { notes: c.notes } : {}),
    },
    facts: { ...facts, signature: top.sig.id, signatures: c.matches },
    ...(leaks.length ? { leaks } : {}),
    ...advisoriesOf(top.sig, facts),
    ...(credential ? { defaultCredential: credential } : {}),
  };
}

export function siteWideAuthResult(c: Collected): ProbeResult {
  const known = c.publicHits[0];
  const facts = known ? factsOf(outcomeOf(c, known.sig)) : {};
  c.notes.unshift(
    `every path answers ${c.baseReply.status} like the admin paths (the random path too): credentials are demanded site-wide; the product behind them is not identified`,
  );
  publicNote(c);
  return {
    status: 'auth-required',
    evidence: {
      ...(known ? { product: known.sig.product, ...versionOf(facts) } : {}),
      // The random path itself demanded credentials: that is the proof, not whichever admin path came first.
      proof: c.baseReply.request,
      reply: summarizeReply(c.baseReply),
      notes: c.notes,
    },
    facts: { ...facts, siteWideAuth: true, signatures: c.matches },
  };
}

export function notDetectedResult(c: Collected, scope: string): ProbeResult {
  const known = c.publicHits[0];
  const facts = known ? factsOf(outcomeOf(c, known.sig)) : {};
  publicNote(c);
  if (!known) c.notes.push(`no admin endpoint of ${scope} answered`);
  return {
    status: 'not-detected',
    evidence: {
      ...(known
        ? { product: known.sig.product, ...versionOf(facts), proof: known.reply.request, reply: summarizePositive(known) }
        : { proof: c.baseReply.request, reply: summarizeReply(c.baseReply) }),
      notes: c.notes,
    },
    facts: { ...facts, signatures: c.matches },
    ...(known ? advisoriesOf(known.sig, facts) : {}),
  };
}
