import type { Status } from '../types.js';

/**
 * Recorded replies beside each signature (`signatures/<id>.replies.ts`): server states ("cases") a replay server
 * answers on loopback in tests, each reply citing where it comes from (vendor documentation with its version, the
 * product's source, or a recording of a real server). They are replayed, not observed: treat them as such.
 * test/integration/http-catalog/replies.test.ts runs every case through the product's own service probe and the http-admin
 * probe; test/integration/probes/http-admin.test.ts runs them with its detailed checks.
 */

export interface RecordedReply {
  /** Default GET. The replay server answers exact method + path (including the query), 404 JSON otherwise. */
  method?: 'GET' | 'HEAD' | 'POST';
  path: string;
  status: number;
  /** Lower-case names. A JSON body gets content-type application/json unless given. */
  headers?: Record<string, string>;
  /** Objects and arrays are sent as JSON. */
  body?: string | object;
  /** Where this reply comes from: URL and version, the product's source, or "recorded from …". */
  source: string;
}

export interface RepliesCase {
  expect: Status;
  replies: RecordedReply[];
  /** The answer to every other request (default: 404 `{"error":"not found"}`), e.g. a 401 on every path. */
  fallback?: Omit<RecordedReply, 'path' | 'method'>;
  /** The observation carries `unclaimed` (an unclaimed set-up). */
  unclaimed?: boolean;
  /** Number of `leaks` entries (public routes still revealing something while credentials are demanded). */
  leaks?: number;
  /** Number of data items the measurements yield. */
  data?: { items: number };
  /** Evidence version expected. */
  version?: string | RegExp;
  /** auth-required because every path (the random one too) demands credentials: the product is not named. */
  siteWide?: boolean;
  /**
   * The same state served by a real server where Debian packages one (test/support/servers): tests that can start it
   * run the case against it too.
   */
  real?: { kind: string; variant: 'open' | 'protected'; port: number };
}

export interface RecordedReplies {
  /** Signature id (= file name in signatures/). */
  signature: string;
  /**
   * How the product answers its landing page (`GET /`), served in every case that records no `/` of its own: the
   * replay server answers the landing page as the product does, so the generic test exercises the gate
   * (`identify` in the signature, src/http-catalog/gate.ts).
   */
  landing?: Omit<RecordedReply, 'path' | 'method'>;
  /** Each case is a server state; conventional names: exposed, secured, unclaimed, leaking. */
  cases: Record<string, RepliesCase>;
}

const caseName = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Problems with a replies file (empty when valid). */
export function repliesProblems(r: RecordedReplies): string[] {
  const problems: string[] = [];
  if (!caseName.test(r.signature ?? '')) problems.push(`signature "${r.signature}" must be kebab-case`);
  const cases = Object.entries(r.cases ?? {});
  if (!cases.length) problems.push('at least one case');
  for (const [name, c] of cases) {
    if (!caseName.test(name)) problems.push(`case "${name}" must be kebab-case`);
    const seen = new Set<string>();
    for (const [i, reply] of [...c.replies, ...(c.fallback ? [{ ...c.fallback, path: '/*' }] : [])].entries()) {
      const where = `${name}.replies[${i}]`;
      if (!reply.path.startsWith('/') || /\s/.test(reply.path)) problems.push(`${where}: path must start with / and hold no spaces`);
      if (!Number.isInteger(reply.status) || reply.status < 100 || reply.status > 599) problems.push(`${where}: bad status`);
      if ((reply.source?.trim().length ?? 0) < 10) problems.push(`${where}: every reply cites its source`);
      for (const h of Object.keys(reply.headers ?? {}))
        if (h !== h.toLowerCase()) problems.push(`${where}: header names are lower-case ("${h}")`);
      const key = `${(reply as RecordedReply).method ?? 'GET'} ${reply.path}`;
      if (seen.has(key)) problems.push(`${where}: duplicate ${key}`);
      seen.add(key);
    }
    if (c.leaks !== undefined && (!Number.isInteger(c.leaks) || c.leaks < 0)) problems.push(`${name}: leaks is a count`);
    if (c.data !== undefined && (!Number.isInteger(c.data.items) || c.data.items < 0)) problems.push(`${name}: data.items is a count`);
  }
  if (r.landing && (r.landing.source?.trim().length ?? 0) < 10) problems.push('landing: every reply cites its source');
  return problems;
}

/** The case as the replay server serves it: its own replies, then the product's landing page unless it records `/`. */
export function servedCase(r: RecordedReplies, c: RepliesCase): RepliesCase {
  const ownLanding = c.replies.some((x) => (x.method ?? 'GET') === 'GET' && x.path === '/');
  if (!r.landing || ownLanding) return c;
  return { ...c, replies: [...c.replies, { ...r.landing, path: '/' }] };
}

/** Validates a replies file at load time. */
export function defineReplies(r: RecordedReplies): RecordedReplies {
  const problems = repliesProblems(r);
  if (problems.length) throw new Error(`replies ${r.signature}: ${problems.join('; ')}`);
  return r;
}

export const defaultFallback: Omit<RecordedReply, 'path' | 'method'> = {
  status: 404,
  headers: { 'content-type': 'application/json' },
  body: { error: 'not found' },
  source: 'generic 404 of the replay server (no product answers this path)',
};
