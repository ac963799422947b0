import { replySatisfies } from './match.js';
import type { Signature, SignatureReply } from './signature.js';

/**
 * Identify first, then ask. Before any signature's own paths, the engine has two replies: the random-path baseline
 * and the landing page (`GET /`). When they show an ordinary web server (the landing answers 2xx, 3xx or 404, the
 * random path a plain 4xx, and neither demands credentials), a signature whose product would show itself there
 * (`identify: { landing }`: a header, a page title, a redirect to its UI, its framework's 404) runs only when one of
 * its markers holds on either reply. Everything else runs as before: signatures without `identify` (the default,
 * so a new signature is never skipped), products that hide behind their own path (`identify: 'behind-path'`:
 * a status page of any web server, a PHP application in a folder), and every signature when the endpoint does
 * not look ordinary (a catch-all, site-wide credentials, a failed landing request, a server error).
 * Markers are deliberately loose: a false hit costs a few requests, a miss would cost a detection.
 */

export const landingPath = '/';
export const landingRequest = `GET ${landingPath}`;

/** Statuses of the random path that mean "this path does not exist here" (not credentials, not busy). */
const plainMissing = new Set([400, 404, 405, 406, 410, 414]);

/** The signatures that need the landing page to be decided (only then is `GET /` sent for the gate). */
export function gated(sigs: readonly Signature[]): Signature[] {
  return sigs.filter((s) => typeof s.identify === 'object');
}

/** Landing and baseline show an ordinary web server: only then may markers rule products out. */
export function ordinaryServer(landing: SignatureReply | undefined, baseline: SignatureReply): boolean {
  if (!landing) return false;
  if (landing.headers['www-authenticate'] || baseline.headers['www-authenticate']) return false;
  const okLanding = (landing.status >= 200 && landing.status < 400) || landing.status === 404;
  return okLanding && plainMissing.has(baseline.status);
}

/** The markers of a gated signature that hold on the landing page or the random-path reply. */
export function markerHolds(sig: Signature, replies: readonly SignatureReply[]): boolean {
  if (typeof sig.identify !== 'object') return true;
  return sig.identify.landing.some((m) => replies.some((r) => replySatisfies(m, r)));
}

export interface Gate {
  run: Signature[];
  /** Ruled out by the landing page and the random path (their own paths are never requested). */
  skipped: Signature[];
}

/** Which signatures run their own requests on this endpoint (see above). */
export function gate(sigs: readonly Signature[], landing: SignatureReply | undefined, baseline: SignatureReply): Gate {
  if (!ordinaryServer(landing, baseline)) return { run: [...sigs], skipped: [] };
  const seen = [landing!, baseline];
  const run: Signature[] = [];
  const skipped: Signature[] = [];
  for (const s of sigs) (markerHolds(s, seen) ? run : skipped).push(s);
  return { run, skipped };
}
