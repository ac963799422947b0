import { setMaxListeners } from 'node:events';
import type { Observation } from '../types.js';
import type { HedgeBudget } from './hedge.js';

/**
 * A hedged probe attempt, on a link that has shown loss: when an endpoint's probe has not ended after a few
 * round-trip timeouts, a second attempt (its own connection, the same read-only requests) starts beside it, and
 * the first conclusive verdict wins; the other attempt is aborted (its sockets destroyed).
 *
 * Why: on a lossy link a request or reply lost twice waits on the kernel's data retransmissions (Linux: at least
 * TCP_RTO_MIN = 200 ms, doubling: 0.2, 0.6, 1.4, 3 s after the send), and one such endpoint in a few hundred sets the
 * length of the whole run. A second connection's packets are lost independently.
 *
 * Bounded: only once this run has seen a hedge win (evidence of loss, hedge.ts), each hedge taken from the same
 * budget, at most one per attempt, and never when default credentials are tried (one attempt per product and
 * endpoint: a second attempt would not try them, and could win with a weaker verdict).
 */

/** Verdicts that settle the race; anything else waits for the other attempt. */
const conclusive = new Set(['exposed', 'auth-required', 'denied', 'not-detected', 'closed']);

/** The earliest a probe is hedged (ms): a single lost segment is retransmitted after TCP_RTO_MIN (200 ms). */
export const PROBE_HEDGE_MIN_MS = 400;

export interface ProbeRacePlan {
  /** The network's adaptive connect timeout (rtt.ts). */
  delayMs: number;
  budget: HedgeBudget;
}

/** When a probe of an endpoint whose adaptive timeout is `delayMs` gets its hedge. */
export function probeHedgeAfter(delayMs: number): number {
  return Math.max(PROBE_HEDGE_MIN_MS, 4 * delayMs);
}

type Probed = { probe: string; observation: Observation };

/**
 * Runs `attempt(signal)` and, when the plan allows, a second one after probeHedgeAfter(); resolves with the first
 * conclusive result (the other aborted), else with the first attempt's once both ended. Rejects only as `attempt`
 * does (an engine bug).
 */
export function probeRace(attempt: (signal: AbortSignal) => Promise<Probed>, run: AbortSignal, plan: ProbeRacePlan | undefined): Promise<Probed> {
  if (!plan || plan.budget.wins === 0) return attempt(run);
  return new Promise<Probed>((resolve, reject) => {
    const controllers: AbortController[] = [];
    const results: Array<Probed | undefined> = [];
    let done = false;
    let ends = 0;
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
      done = true;
      clearTimeout(timer);
      reject(err);
    };
    const ended = (i: number, r: Probed) => {
      if (done) return;
      results[i] = r;
      ends++;
      const win = conclusive.has(r.observation.status) ? r : ends === controllers.length ? results[0] : undefined;
      if (!win) return;
      done = true;
      clearTimeout(timer);
      controllers.forEach((c, k) => results[k] !== win && c.abort());
      if (controllers.length > 1) {
        if (win === results[1]) plan.budget.won();
        (win.observation.evidence.notes ??= []).push(
          `probed twice in parallel: no verdict ${probeHedgeAfter(plan.delayMs)} ms into the first attempt (a lost packet); the ${win === results[0] ? 'first' : 'second'} attempt's verdict`,
        );
      }
      resolve(win);
    };
    const timer = setTimeout(() => {
      if (!done && !run.aborted && plan.budget.take()) start();
    }, probeHedgeAfter(plan.delayMs));
    start();
  });
}
