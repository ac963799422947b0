import { createHash, randomUUID } from 'node:crypto';
import { jsonElements } from './json-path.js';
import { mediaType } from './match.js';
import type { Measurement, SignatureReply } from './signature.js';

/**
 * The random-path baseline. Before any catalog request, `GET /ea-<16 hex>`: catch-all servers (SPAs, honeypots,
 * `location / {return 200}`, JSON APIs that answer every path alike) answer it like anything else. A positive that
 * looks like it is dropped; a "credentials demanded" that looks like it means the whole site asks; a measurement
 * whose reply looks like it (or whose listing the baseline reply yields too) reports nothing.
 */
export const baselineRequest = 'GET /ea-<16 hex>';
export const baselinePattern = /^GET \/ea-[0-9a-f]{16}$/;

export interface Baseline {
  reply: SignatureReply;
  path: string;
  hash: string;
}

/**
 * 16 random hex digits: the first 16 of a random UUID (v4; its version nibble is the 13th digit, fixed at 4, which no
 * catch-all can use). randomUUID draws from a cached entropy pool; randomBytes(8) entered OpenSSL on every call
 * (6 µs warm, up to 33 µs in a cold run: 1.4% of a web-farm run's CPU).
 */
export function randomPath(): string {
  const id = randomUUID();
  return `/ea-${id.slice(0, 8)}${id.slice(9, 13)}${id.slice(14, 18)}`;
}

function pathOf(request: string): string {
  return request.slice(request.indexOf(' ') + 1);
}

/** Body hash with the request's own path taken out (catch-alls that echo the path still look alike). */
export function bodyHash(text: string, path: string): string {
  let t = text;
  for (const p of new Set([path, path.split('?')[0]!, encodeURI(path)])) if (p.length > 1) t = t.split(p).join('{path}');
  return createHash('sha256').update(t).digest('hex');
}

export function makeBaseline(reply: SignatureReply): Baseline {
  const path = pathOf(reply.request);
  return { reply, path, hash: bodyHash(reply.text, path) };
}

export function sameAsBaseline(r: SignatureReply, b: Baseline): boolean {
  return r.status === b.reply.status && mediaType(r) === mediaType(b.reply) && bodyHash(r.text, pathOf(r.request)) === b.hash;
}

/** Same status and media type, and a length within 10% (or 32 bytes). */
export function similarToBaseline(r: SignatureReply, b: Baseline): boolean {
  if (r.status !== b.reply.status || mediaType(r) !== mediaType(b.reply)) return false;
  const a = r.text.length;
  const c = b.reply.text.length;
  return Math.abs(a - c) <= Math.max(32, 0.1 * Math.max(a, c));
}

/**
 * The baseline extended to JSON APIs: a measurement's reply proves nothing when it looks like the random path's
 * reply, or when the random path's JSON yields a listing at the same path (a JSON catch-all answers every path
 * with the same document, so every "list" is found everywhere).
 */
export function measurementLooksLikeBaseline(r: SignatureReply, b: Baseline, list?: Pick<Measurement, 'list'>): boolean {
  if (r.status < 200 || r.status > 299) return true;
  if (sameAsBaseline(r, b) || similarToBaseline(r, b)) return true;
  if (list && b.reply.status >= 200 && b.reply.status <= 299) {
    const els = jsonElements(b.reply.json(), list.list);
    if (els && els.length > 0) return true;
  }
  return false;
}
