import { EaError, isEaError } from '../errors.js';
import type { ProbeContext } from '../probe.js';
import type { Baseline } from './baseline.js';
import { identified } from './evaluate.js';
import { forbiddenReason } from './forbidden.js';
import { toReply } from './match.js';
import type { MeasureRequest } from './measure.js';
import { requestLine, type Signature, type SignatureReplies, type SignatureReply, type SignatureRequest } from './signature.js';

/**
 * Fetching: every request the catalog sends goes through one cache per endpoint (a path several signatures share
 * is sent once), after the forbidden-route check, and a request with any method but GET or HEAD only for a
 * signature that a GET already identified on this endpoint (`readOnlyMethods`; the TGI signature's
 * `POST /tokenize {}` never reaches a web server that nothing identified as TGI).
 */

export const DEFAULT_MAX_BYTES = 64 * 1024;

/** Methods sent before anything is identified. Every other method waits for a GET that identifies the product. */
export const readOnlyMethods: readonly string[] = ['GET', 'HEAD'];

export type Fetched = { reply: SignatureReply } | { error: EaError };

/**
 * "Busy, try later": 429 Too Many Requests, or 503 Service Unavailable with Retry-After (RFC 9110 §10.2.3,
 * RFC 6585 §4). Such a reply says nothing about the product or its authentication.
 */
export function isBusyReply(r: Pick<SignatureReply, 'status' | 'headers'>): boolean {
  return r.status === 429 || (r.status === 503 && r.headers['retry-after'] !== undefined);
}
export type FetchRequest = Omit<MeasureRequest, 'method'> & { method: SignatureRequest['method']; maxBytes?: number };

export interface Fetcher {
  /** Sends (once) and labels the reply with `id`. `sig`: the signature it is sent for (the non-GET scope). */
  fetch(req: FetchRequest, id: string, sig?: Signature): Promise<Fetched>;
  /** Marks a signature identified on this endpoint: its other methods may now be sent. */
  identify(sig: Signature): void;
  /** Requests that failed, in order. */
  readonly failures: Array<{ request: string; error: EaError }>;
  /** Non-GET requests held back because nothing identified their product (request lines). */
  readonly withheld: string[];
  /** Requests the server answered "busy, try later" (isBusyReply). */
  readonly busy: string[];
  /** Distinct requests sent (or refused) so far. */
  size(): number;
  /** Throws EA_ABORTED once the run is interrupted. */
  abortCheck(): void;
}

export function createFetcher(ctx: ProbeContext): Fetcher {
  const cache = new Map<string, Promise<Fetched>>();
  const failures: Fetcher['failures'] = [];
  const withheld: string[] = [];
  const busy: string[] = [];
  const known = new Set<string>();
  const send = (req: FetchRequest, id: string): Promise<Fetched> =>
    ctx
      .http({
        method: req.method,
        path: req.path,
        maxBytes: req.maxBytes ?? DEFAULT_MAX_BYTES,
        ...(req.headers ? { headers: req.headers } : {}),
        ...(req.body !== undefined ? { body: req.body } : {}),
      })
      .then(
        (res): Fetched => {
          const reply = toReply(id, requestLine(req), res);
          if (isBusyReply(reply)) busy.push(`${reply.request} (${reply.status})`);
          return { reply };
        },
        (err: unknown): Fetched => {
          const e = isEaError(err) ? err : new EaError('EA_PROTOCOL', String((err as Error)?.message ?? err));
          failures.push({ request: requestLine(req), error: e });
          return { error: e };
        },
      );
  return {
    failures,
    withheld,
    busy,
    size: () => cache.size,
    identify: (sig) => void known.add(sig.id),
    abortCheck() {
      if (ctx.limits.signal.aborted) throw new EaError('EA_ABORTED', 'the run was interrupted');
    },
    fetch(req, id, sig) {
      const why = forbiddenReason(req.method, req.path);
      if (why) return Promise.resolve({ error: new EaError('EA_PROTOCOL', `refused to send ${req.method} ${req.path}: ${why}`) });
      if (!readOnlyMethods.includes(req.method) && !(sig && known.has(sig.id))) {
        // Enforced here, whatever the caller: a non-GET request needs a product identified by a GET first.
        withheld.push(requestLine(req));
        return Promise.resolve({
          error: new EaError('EA_SCOPE', `${requestLine(req)} not sent: no GET identified ${sig?.product ?? 'the product'} here`),
        });
      }
      const key = `${req.method} ${req.path} ${req.body ?? ''} ${JSON.stringify(req.headers ?? {})}`;
      let p = cache.get(key);
      if (!p) {
        p = send(req, id);
        cache.set(key, p);
      }
      return p;
    },
  };
}

/**
 * One signature's requests, in order. GET/HEAD first go out as declared; a request with another method only once
 * the replies so far identify the product (evaluate.ts `identified`), so such requests are held back otherwise.
 */
export async function fetchSignature(sig: Signature, fetcher: Fetcher, baseline: Baseline): Promise<SignatureReplies> {
  const replies: SignatureReplies = {};
  const ordered = [
    ...sig.requests.filter((r) => readOnlyMethods.includes(r.method)),
    ...sig.requests.filter((r) => !readOnlyMethods.includes(r.method)),
  ];
  for (const req of ordered) {
    if (!readOnlyMethods.includes(req.method) && identified(sig, replies, baseline)) fetcher.identify(sig);
    const f = await fetcher.fetch(req, req.id, sig);
    fetcher.abortCheck();
    // The cache is shared: the same request may carry another signature's id. Re-label for this one.
    if ('reply' in f) replies[req.id] = { ...f.reply, requestId: req.id, json: f.reply.json };
  }
  return replies;
}
