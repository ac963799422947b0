import { parseJsonPrefix } from '../protocols/json-prefix.js';
import type { HttpResponse } from '../net/http.js';
import { jsonLookup } from './json-path.js';
import {
  scanLimit,
  type JsonCondition,
  type Matcher,
  type Signature,
  type SignatureReplies,
  type SignatureReply,
  type TextPattern,
} from './signature.js';

/**
 * Matching one reply against a matcher. Every pattern sees a bounded slice of the server's text (`scanLimit`),
 * and signatures only use linear-time patterns (test/unit/http-catalog/regex-safety.test.ts runs each on hostile input).
 */
export function testPattern(p: TextPattern, s: string, caseInsensitive = false): boolean {
  const t = s.length > scanLimit ? s.slice(0, scanLimit) : s;
  if (typeof p !== 'string') return p.test(t);
  return caseInsensitive ? t.toLowerCase().includes(p.toLowerCase()) : t.includes(p);
}

function jsonHolds(body: unknown, c: JsonCondition): boolean {
  const path = typeof c === 'string' ? c : c.path;
  const at = jsonLookup(body, path);
  if (!at.found || at.value === undefined || at.value === null) return false;
  if (typeof c === 'string') return true;
  if (c.equals !== undefined && at.value !== c.equals) return false;
  if (c.match !== undefined && typeof at.value !== 'string' && typeof at.value !== 'number') return false;
  if (c.match !== undefined && !testPattern(c.match, String(at.value))) return false;
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

export function onIds(m: Matcher, sig: Signature): string[] {
  if (m.on === undefined) return sig.requests.map((r) => r.id);
  return Array.isArray(m.on) ? m.on : [m.on];
}

/** Every reply (in request order) that satisfies the matcher. */
export function satisfying(m: Matcher, sig: Signature, replies: SignatureReplies): SignatureReply[] {
  return onIds(m, sig)
    .map((id) => replies[id])
    .filter((r): r is SignatureReply => r !== undefined && replySatisfies(m, r));
}

/** What a JSON text may start with (RFC 8259: whitespace, then a value). */
const jsonStart = /^\s*[{["\-0-9tfn]/;

/** A reply as signatures see it; JSON is parsed once, on demand, and only when the body is complete. */
export function toReply(requestId: string, request: string, res: HttpResponse): SignatureReply {
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
          // An HTML page, a 404 text: no JSON value starts with its first character, so no SyntaxError is built
          // (with its stack) for every such reply a signature asks about.
          if (!jsonStart.test(res.text)) return (parsed = undefined);
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

export function mediaType(r: Pick<SignatureReply, 'headers'>): string {
  return (r.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
