import pLimit from 'p-limit';
import { EaError } from '../errors.js';
import type { ProbeContext, ProbeResult } from '../probe.js';
import type { DataInventory, ProbeTarget } from '../types.js';
import { makeBaseline, randomPath } from './baseline.js';
import { tryDefaultCredentials } from './credentials.js';
import { evaluate } from './evaluate.js';
import { createFetcher, DEFAULT_MAX_BYTES, fetchSignature, isBusyReply, type Fetcher } from './fetch.js';
import { gate, gated, landingPath } from './gate.js';
import { toReply } from './match.js';
import { runMeasurements } from './measure.js';
import type { Signature, SignatureReply } from './signature.js';
import { authResult, collect, exposedResult, leadingExposure, notDetectedResult, siteWideAuthResult, type Collected } from './verdict.js';

export { DEFAULT_MAX_BYTES } from './fetch.js';
export { advisoriesFor, compareVersions, type SignatureMatch, type SignatureVerdict } from './verdict.js';

/**
 * The catalog engine: runs signatures against one HTTP endpoint and decides.
 *
 * 1. The random-path baseline first (baseline.ts), then the landing page when a signature is gated on it (gate.ts):
 *    on an ordinary web server, products whose markers show nowhere are not asked about.
 * 2. The remaining signatures' requests (fetch.ts: cached across signatures, a non-GET only after a GET identified
 *    the product), at most CONCURRENCY signatures at a time, each evaluated alone (evaluate.ts).
 * 3. One verdict (verdict.ts): exposed, auth-required (product-naming or site-wide), or not-detected.
 * 4. Only when exposed: the proving signature's measurements (measure.ts, Observation.data) and its assessment.
 */

const CONCURRENCY = 4;

/** The run may repeat a request with a signature's documented default credential (ctx.tryDefaultCredentials). */
export type CatalogContext = ProbeContext;

async function measureExposure(c: Collected, fetcher: Fetcher, baseline: ReturnType<typeof makeBaseline>, ctx: CatalogContext) {
  const { top } = leadingExposure(c);
  if (!top.sig.measure?.length) return undefined;
  fetcher.identify(top.sig);
  const measured = await runMeasurements(
    top.sig,
    async (req, id) => {
      const f = await fetcher.fetch(req, id, top.sig);
      fetcher.abortCheck();
      return 'reply' in f ? f.reply : undefined;
    },
    baseline,
    ctx.caps,
  );
  c.notes.push(...measured.notes);
  return measured.data;
}

function failureNote(c: Collected, fetcher: Fetcher): void {
  const { failures, withheld } = fetcher;
  if (failures.length)
    c.notes.push(
      `${failures.length} request(s) failed: ${failures
        .slice(0, 5)
        .map((f) => `${f.request} (${f.error.code})`)
        .join(', ')}`,
    );
  if (withheld.length) c.notes.push(`not sent, no GET identified the product first: ${[...new Set(withheld)].slice(0, 5).join(', ')}`);
}

/** The landing page, when a gated signature needs it (shared with any signature that requests `GET /` itself). */
async function landingReply(sigs: readonly Signature[], fetcher: Fetcher): Promise<SignatureReply | undefined> {
  if (!gated(sigs).length) return undefined;
  const f = await fetcher.fetch({ method: 'GET', path: landingPath }, 'landing');
  fetcher.abortCheck();
  return 'reply' in f ? f.reply : undefined;
}

/** Runs `sigs` against the target: one verdict for the endpoint. */
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
  const fetcher = createFetcher(ctx);
  const { run, skipped } = gate(sigs, await landingReply(sigs, fetcher), baseReply);

  const limit = pLimit(CONCURRENCY);
  const outcomes = await limit.map(run, async (sig) => evaluate(sig, await fetchSignature(sig, fetcher, baseline), baseline));
  const aborted = fetcher.failures.find((f) => f.error.code === 'EA_ABORTED');
  if (aborted) throw aborted.error;
  const requestsBeforeMeasuring = fetcher.size();

  const c = collect(outcomes, baseReply);
  if (skipped.length)
    c.notes.push(
      `identified first: the landing page and the random path rule out ${skipped.length} product(s); their paths were not requested`,
    );
  if (c.exposed.length) {
    const data: DataInventory | undefined = await measureExposure(c, fetcher, baseline, ctx);
    failureNote(c, fetcher);
    return exposedResult(c, data);
  }
  failureNote(c, fetcher);

  // Failures that left the verdict open (the deadline hit mid-way): "could not test", never "not detected".
  // So are failures of every admin request (only the baseline got a reply).
  const failures = fetcher.failures;
  const deadline = failures.find((f) => f.error.code === 'EA_TIMEOUT');
  const allFailed = failures.length > 0 && failures.length >= requestsBeforeMeasuring;
  if (!c.auth.length && !c.genericAuth.length && (deadline || allFailed)) throw (deadline ?? failures[0]!).error;
  // "Busy, try later" proves nothing either way: could not test (EA_BUSY), never "not detected". An auth reply that
  // names the product still stands (positive evidence); so does an exposure (handled above).
  if (isBusyReply(baseReply)) fetcher.busy.unshift(`${baseReply.request} (${baseReply.status})`);
  if (!c.auth.length && !c.genericAuth.length && fetcher.busy.length)
    throw new EaError('EA_BUSY', `the server answered busy: ${fetcher.busy.slice(0, 3).join(', ')}${fetcher.busy.length > 3 ? ', …' : ''}`);
  const undecided = outcomes.filter((o) => o.undecided);
  if (!c.auth.length && !c.genericAuth.length && undecided.length)
    throw new EaError(
      'EA_TOO_LARGE',
      `a reply of ${undecided.map((o) => o.sig.id).join(', ')} was cut by the byte cap before it proved anything: not decided (raise --max-bytes)`,
    );

  if (c.auth.length) {
    const top = c.auth[0]!;
    const mayTry = ctx.tryDefaultCredentials && (ctx.firstCredentialAttempt?.(top.sig.id) ?? true);
    const credential = mayTry ? await tryDefaultCredentials(top.sig, baseline, fetcher) : undefined;
    return authResult(c, credential);
  }
  if (c.genericAuth.length) return siteWideAuthResult(c);
  return notDetectedResult(c, scope);
}
