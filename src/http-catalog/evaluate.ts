import { sameAsBaseline, similarToBaseline, type Baseline } from './baseline.js';
import { onIds, replySatisfies, satisfying } from './match.js';
import {
  loginForm,
  type AuthMatcher,
  type Matcher,
  type PositiveMatcher,
  type Signature,
  type SignatureReplies,
  type SignatureReply,
} from './signature.js';

/**
 * Evaluation: one signature's replies against its matchers and the random-path baseline, nothing sent. exposed: a
 * positive (or an `unclaimed` matcher) that does not look like the baseline; auth: a "credentials demanded" signal
 * (product-naming, or generic when it looks like the baseline: the whole site asks); public-by-design hits identify
 * the product only.
 */

export interface Hit {
  sig: Signature;
  matcher: PositiveMatcher | AuthMatcher;
  reply: SignatureReply;
}

export interface Outcome {
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

/**
 * The signature's GET/HEAD replies so far name the product: a positive (public by design included), an `unclaimed`
 * or `leaks` match, or an auth reply that names the product by itself (`identifies`). The gate for any other method
 * (see fetch.ts): a POST goes only where a GET already identified the product.
 */
export function identified(sig: Signature, replies: SignatureReplies, baseline: Baseline): boolean {
  const o = evaluate(sig, replies, baseline);
  return Boolean(
    o.exposed.length ||
    o.publicHits.length ||
    o.unclaimed.length ||
    o.leaks.length ||
    o.auth.some((h) => (h.matcher as AuthMatcher).identifies),
  );
}
