import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { endpointKey } from '../domain/finding.js';
import { provesResolved } from '../domain/status.js';
import { plural } from '../text.js';
import type { Endpoint, EndpointResult, Observation } from '../types.js';
import { resultOf } from './result.js';
import type { EndpointSource } from './two-phase-options.js';

/**
 * Memory of what was open (issue 21 part 3): an endpoint that an open finding of the state file or the --baseline
 * sits on is never moved to "no verdict" on one unlucky attempt. When the main pass ends it with a verdict that
 * proves nothing — `filtered` (the connect phase's adaptive timeout), `timeout` or `error` (a busy server, a lost
 * packet, a loaded auditor) — its result is held back, and after the main pass it is probed again through the
 * ordinary probe path with the run's full --timeout and --connect-timeout (no adaptive connect timeout), up to
 * RECHECK_ATTEMPTS times a short backoff apart. The first attempt that proves something (exposed, auth-required,
 * denied, not-detected, closed) is the verdict; if none does, the main pass's verdict stays, and either way the
 * row's notes say it was re-checked and what each attempt got. Bounded: only known exposures, each at most
 * RECHECK_ATTEMPTS × (--timeout + backoff), `concurrency` at once and `perHostConcurrency` per host, the whole pass
 * within recheckBudgetMs; the interrupt ends it (a row not re-checked yet keeps its main-pass verdict and says so).
 */

/** Attempts after the main pass, at most, on a known exposure whose verdict proves nothing. */
export const RECHECK_ATTEMPTS = 2;
/**
 * Wait before re-check attempt n: n × this. Long enough for a full accept queue to drain or a lost packet's
 * retransmission to pass; short beside the --timeout each attempt may spend.
 */
export const RECHECK_BACKOFF_MS = 500;

/**
 * The whole re-check pass ends this long after it starts: ten endpoints' worth of full re-checks in a row (75 s at the
 * default 3 s --timeout), so a night when the network to hundreds of known exposures is down costs minutes, not an
 * hour. A row not re-checked by then keeps its main-pass verdict and says so.
 */
export function recheckBudgetMs(timeoutMs: number): number {
  let one = 0;
  for (let n = 1; n <= RECHECK_ATTEMPTS; n++) one += n * RECHECK_BACKOFF_MS + timeoutMs;
  return 10 * one;
}

type Checked = Pick<EndpointResult, 'host' | 'port' | 'service' | 'status' | 'error'>;

/**
 * Whether a main-pass result is re-checked: its endpoint is a known exposure and its verdict does not prove the
 * finding resolved (domain/status.ts provesResolved). Not when the interrupt cut it short or its name did not
 * resolve: probing again cannot change those.
 */
export function needsRecheck(result: Checked, known: ReadonlySet<string>): boolean {
  if (provesResolved(result.status)) return false;
  if (result.error?.code === 'EA_ABORTED' || result.error?.code === 'EA_DNS') return false;
  return known.has(endpointKey(result));
}

export interface RecheckRun {
  /** Probes one endpoint once, with the run's full timeouts (the engine's probeEndpoint). */
  probe: (ep: Endpoint) => Promise<{ probe: string; observation: Observation }>;
  emit: (result: EndpointResult, i: number) => void;
  signal: AbortSignal;
  concurrency: number;
  perHost: number;
  timeoutMs: number;
  /** The pass's time budget (recheckBudgetMs): no attempt starts after it. */
  budgetMs: number;
  /** The re-check pass starts with this many endpoints (not called when there are none). */
  onStart?: (count: number) => void;
}

interface Held {
  ep: Endpoint;
  i: number;
  result: EndpointResult;
}

/** One run's re-checks: remembers known exposures as the source produces them, holds their results, re-checks them. */
export class Rechecks {
  readonly #known: ReadonlySet<string>;
  readonly #hosts: ReadonlySet<string>;
  /** Known exposures produced and not reported yet, by their index in the source. */
  readonly #endpoints = new Map<number, Endpoint>();
  readonly #held: Held[] = [];

  constructor(known: ReadonlySet<string>) {
    this.#known = known;
    this.#hosts = new Set([...known].map((k) => k.slice(0, k.indexOf('|'))));
  }

  /** Results held for a re-check. */
  get count(): number {
    return this.#held.length;
  }

  /**
   * The source, noting the known exposures it produces with their index (the k-th endpoint produced is index k,
   * AuditOptions.onResult's `index`): only those are kept, so memory grows with the findings, not the inventory.
   */
  source(src: EndpointSource): EndpointSource {
    const endpoints = this.#endpoints;
    const hosts = this.#hosts;
    const known = this.#known;
    return {
      count: src.count,
      *[Symbol.iterator]() {
        let i = 0;
        for (const ep of src) {
          if (hosts.has(ep.host) && !ep.unresolved && known.has(endpointKey(ep))) endpoints.set(i, ep);
          i++;
          yield ep;
        }
      },
    };
  }

  /** A main-pass result: true when it is held for the re-check pass (then not emitted now). */
  hold(result: EndpointResult, i: number): boolean {
    const ep = this.#endpoints.get(i);
    if (!ep) return false;
    this.#endpoints.delete(i);
    if (!needsRecheck(result, this.#known)) return false;
    this.#held.push({ ep, i, result });
    return true;
  }

  /** After the main pass: re-checks every held result and emits each one's final verdict. */
  async run(r: RecheckRun): Promise<void> {
    const held = this.#held.splice(0);
    if (!held.length) return;
    r.onStart?.(held.length);
    const until = performance.now() + r.budgetMs;
    const all = pLimit(Math.max(1, r.concurrency));
    const perHost = new Map<string, LimitFunction>();
    const hostLimit = (host: string): LimitFunction => {
      let l = perHost.get(host);
      if (!l) perHost.set(host, (l = pLimit(Math.max(1, r.perHost))));
      return l;
    };
    await Promise.all(held.map((h) => hostLimit(h.ep.host)(() => all(async () => r.emit(await recheckOne(h, r, until), h.i)))));
  }
}

/** The CLI's note when the re-check pass starts. */
export const recheckNote = (n: number): string =>
  `re-checking ${plural(n, 'known exposure')} that got no verdict, with the full timeout (at most ${RECHECK_ATTEMPTS} more attempts each)`;

/** What one attempt got, in a few words: `timeout (EA_TIMEOUT)`, `exposed`. */
const outcome = (o: Pick<Observation, 'status' | 'error'>): string => (o.error ? `${o.status} (${o.error.code})` : o.status);

/** Up to RECHECK_ATTEMPTS probes of one held endpoint; the first that proves something wins, else the main pass's row stays. */
async function recheckOne(h: Held, r: RecheckRun, until: number): Promise<EndpointResult> {
  const got: string[] = [];
  let spentMs = 0;
  let why = 'the run was interrupted';
  for (let n = 1; n <= RECHECK_ATTEMPTS; n++) {
    if (performance.now() + n * RECHECK_BACKOFF_MS > until) {
      why = `the re-check pass's ${Math.round(r.budgetMs / 1000)} s budget was spent`;
      break;
    }
    try {
      await sleep(n * RECHECK_BACKOFF_MS, undefined, { signal: r.signal });
    } catch {
      break; // interrupted
    }
    const t0 = performance.now();
    const { probe, observation } = await r.probe(h.ep);
    spentMs += performance.now() - t0;
    if (r.signal.aborted && !provesResolved(observation.status)) break;
    got.push(outcome(observation));
    if (provesResolved(observation.status)) {
      const note = `${rechecked(got.length, r.timeoutMs)} after the main pass's ${outcome(h.result)}: ${got.join(', ')}`;
      observation.evidence = { ...observation.evidence, notes: [note, ...(observation.evidence.notes ?? [])] };
      return resultOf(h.ep, probe, observation, Math.round(h.result.durationMs + spentMs));
    }
  }
  const note = got.length
    ? `${rechecked(got.length, r.timeoutMs)}: ${got.join(', ')}; no verdict, so the known exposure stays open`
    : `a known exposure, not re-checked: ${why}`;
  const evidence = { ...h.result.evidence, notes: [note, ...(h.result.evidence.notes ?? [])] };
  return { ...h.result, evidence, durationMs: Math.round(h.result.durationMs + spentMs) };
}

const rechecked = (n: number, timeoutMs: number): string => `known exposure re-checked ${n}× with the full timeout (${timeoutMs} ms)`;
