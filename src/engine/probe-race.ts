import { setMaxListeners } from 'node:events';
import type { Observation } from '../types.js';
import { realTimers, type HedgeBudget, type HedgeTimers } from './hedge.js';

/**
 * A hedged probe attempt, on a link that has shown loss: when an endpoint's probe has not ended after a few
 * round-trip timeouts, a second attempt (its own connection, the same read-only requests) starts beside it, and
 * the first conclusive verdict wins; the other attempt is aborted (its sockets destroyed).
 *
 * Why: on a lossy link a request or reply lost twice waits on the kernel's data retransmissions (Linux: at least
 * TCP_RTO_MIN = 200 ms, doubling: 0.2, 0.6, 1.4, 3 s after the send), and one such endpoint in a few hundred sets the
 * length of the whole run. A second connection's packets are lost independently.
 *
 * Bounded: only while this run has seen a hedge win (evidence of loss, hedge.ts), each hedge taken from the same
 * budget, at most one per attempt, and never when default credentials are tried (one attempt per product and
 * endpoint: a second attempt would not try them, and could win with a weaker verdict).
 */

/** Verdicts that settle the race; anything else waits for the other attempt. */
const conclusive = new Set(['exposed', 'auth-required', 'denied', 'not-detected', 'closed']);

/** The earliest a probe is hedged (ms): a single lost segment is retransmitted after TCP_RTO_MIN (200 ms). */
export const PROBE_HEDGE_MIN_MS = 400;

export interface ProbeRacePlan {
  /** The network's adaptive connect timeout now (rtt.ts): re-read, the estimate settles as answers come in. */
  delayMs: () => number;
  budget: HedgeBudget;
}

/** When a probe of an endpoint whose adaptive timeout is `delayMs` gets its hedge. */
export function probeHedgeAfter(delayMs: number): number {
  return Math.max(PROBE_HEDGE_MIN_MS, 4 * delayMs);
}

/** How often a probe that may still be hedged asks again (ms). */
const CHECK_MS = 100;

type Probed = { probe: string; observation: Observation };

/**
 * Runs `attempt(signal)` and, when the plan allows, a second one once probeHedgeAfter() has passed; resolves with the first
 * conclusive result (the other aborted), else with the first attempt's once both ended. Rejects only as `attempt`
 * does (an engine bug).
 */
export function probeRace(
  attempt: (signal: AbortSignal) => Promise<Probed>,
  run: AbortSignal,
  plan: ProbeRacePlan | undefined,
  timers: HedgeTimers = realTimers,
): Promise<Probed> {
  if (!plan) return attempt(run);
  return new Promise<Probed>((resolve, reject) => {
    const controllers: AbortController[] = [];
    const results: Array<Probed | undefined> = [];
    const t0 = timers.now();
    let done = false;
    let ends = 0;
    let timer: unknown;
    let after = 0;
    const stop = () => {
      done = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    };
    const start = () => {
      const i = controllers.length;
      const c = new AbortController();
      controllers.push(c);
      const signal = AbortSignal.any([run, c.signal]);
      // Every session and request of the attempt listens on it (as on the run's signal, see two-phase.ts).
      setMaxListeners(100, signal);
      attempt(signal).then((r) => ended(i, r), fail);
    };
    const fail = (err: unknown) => {
      if (done) return;
      stop();
      reject(err);
    };
    const ended = (i: number, r: Probed) => {
      if (done) return;
      results[i] = r;
      ends++;
      const win = conclusive.has(r.observation.status) ? r : ends === controllers.length ? results[0] : undefined;
      if (!win) return;
      stop();
      controllers.forEach((c, k) => results[k] !== win && c.abort());
      if (controllers.length > 1) {
        if (win === results[1]) plan.budget.won();
        (win.observation.evidence.notes ??= []).push(
          `probed twice in parallel: no verdict ${after} ms into the first attempt (a lost packet); the ${win === results[0] ? 'first' : 'second'} attempt's verdict`,
        );
      }
      resolve(win);
    };
    // Asked again until the hedge is due: the estimate may shrink, and loss may be seen only after this probe began.
    const check = () => {
      timer = undefined;
      if (done || run.aborted) return;
      after = Math.round(probeHedgeAfter(plan.delayMs()));
      const elapsed = timers.now() - t0;
      if (elapsed >= after && plan.budget.wins > 0 && plan.budget.take()) return start();
      timer = timers.setTimeout(check, Math.max(CHECK_MS, after - elapsed));
    };
    start();
    timer = timers.setTimeout(check, PROBE_HEDGE_MIN_MS);
  });
}
