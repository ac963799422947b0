import type { VerdictFacts } from '../types.js';
import { sameAsBaseline, type Baseline } from './baseline.js';
import type { Fetcher } from './fetch.js';
import { onIds, satisfying } from './match.js';
import type { Signature, SignatureReplies } from './signature.js';

/**
 * Repeats a request with each documented default credential (opt-in only). Accepted = the reply then satisfies one
 * of the signature's positives on that request and does not look like the baseline. Never a guess: only the
 * product's documented defaults, and only on a GET or HEAD.
 */
export async function tryDefaultCredentials(
  sig: Signature,
  baseline: Baseline,
  fetcher: Fetcher,
): Promise<VerdictFacts['defaultCredential']> {
  for (const c of sig.defaultCredentials ?? []) {
    const req = sig.requests.find((r) => r.id === c.request);
    if (!req || req.method === 'POST') continue;
    const auth = c.header ?? { authorization: `Basic ${Buffer.from(`${c.user}:${c.password ?? ''}`).toString('base64')}` };
    const f = await fetcher.fetch({ method: req.method, path: req.path, headers: { ...(req.headers ?? {}), ...auth } }, req.id, sig);
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
