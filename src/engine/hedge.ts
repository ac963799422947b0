/**
 * Hedged connects: when a connect's SYN gets no answer within the network's adaptive timeout (rtt.ts), a second and
 * third connect start beside it while the first keeps waiting; the first to connect wins, the others are destroyed.
 * A SYN or SYN-ACK lost at random then costs tens of milliseconds instead of the kernel's 1 s retransmission (and,
 * when the handshake needed one, Linux starts the connection's data RTO at 3 s: TCP_TIMEOUT_FALLBACK, RFC 6298
 * section 5.7). The first attempt is never shortened: it still spans the kernel's SYN retransmission.
 *
 * Hedges are extra SYNs, so the run holds them to evidence (HedgeBudget): a few to find out, then more only while
 * hedges keep winning (a lossy link). A firewalled fleet answers nothing: its endpoints get EXPLORE hedges in all, not
 * two more SYNs each; a healthy LAN answers within the timeout and never hedges.
 */

/** Hedges the run may start before any of them has won. */
export const EXPLORE = 64;
/** Hedges each win (a hedge connected first, or an answer came only after a retransmission) allows beyond that. */
export const PER_WIN = 8;

/**
 * Hedges per connect beyond the usual ones once the run has seen loss: at 10 % loss each way a handshake fails
 * about one time in five, so three connects all fail for 0.7 % of endpoints (each then waits the kernel's 1 s
 * retransmission), five for 0.03 %.
 */
export const LOSSY_EXTRA = 2;

/** The run's hedge budget, shared by the connect phase and the probes' own connects. */
export class HedgeBudget {
  #started = 0;
  #wins = 0;
  readonly #explore: number;
  readonly #perWin: number;

  constructor(opts: { explore?: number; perWin?: number } = {}) {
    this.#explore = opts.explore ?? EXPLORE;
    this.#perWin = opts.perWin ?? PER_WIN;
  }

  get started(): number {
    return this.#started;
  }

  get wins(): number {
    return this.#wins;
  }

  /** Connects per endpoint at most, from the usual `attempts`: LOSSY_EXTRA more once a hedge has won. */
  maxAttempts(attempts: number): number {
    return this.#wins > 0 && attempts > 1 ? attempts + LOSSY_EXTRA : attempts;
  }

  /** Claims one hedge: false when the budget is spent (the caller then waits on the attempts it has). */
  take(): boolean {
    if (this.#started >= this.#explore + this.#perWin * this.#wins) return false;
    this.#started++;
    return true;
  }

  /** Evidence of loss: a hedge connected before the attempts started earlier, or an answer needed a retransmission. */
  won(): void {
    this.#wins++;
  }
}

/**
 * How one endpoint's connect hedges: one more attempt every `delayMs()` while none has connected, `extra` at most.
 * The delay is re-read at every check (the network's estimate settles as answers come in: a probe started before
 * it did must not keep the cap), and checked at least every `minDelayMs`.
 */
export interface HedgePlan {
  delayMs: () => number;
  minDelayMs: number;
  extra: number;
  budget: HedgeBudget;
}

/** Whether an endpoint whose first connect started `elapsedMs` ago, with `attempts` open, is due another one. */
export function hedgeDue(elapsedMs: number, attempts: number, maxAttempts: number, delayMs: number): boolean {
  return attempts < maxAttempts && elapsedMs >= attempts * delayMs;
}

/** Clock and timers, replaceable in tests. */
export interface HedgeTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
}

export const realTimers: HedgeTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

/**
 * Connects with `open(signal, index)`, hedged by `plan` (an attempt is due when hedgeDue says so): each attempt gets its own signal, aborted once another has
 * won (so a pending loser's socket is destroyed at once); the winner's is never aborted. Resolves with the first
 * attempt to connect; rejects only when all failed — with the first failure that is not `isTimeout` (a refusal says
 * more than silence), else the first attempt's own (it waited longest).
 */
export function hedgedConnect<S extends { close(): void }>(
  open: (signal: AbortSignal, index: number) => Promise<S>,
  plan: HedgePlan,
  isTimeout: (err: unknown) => boolean,
  timers: HedgeTimers = realTimers,
): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    const controllers: AbortController[] = [];
    const errors: unknown[] = [];
    let settled = 0;
    let winner = false;
    let timer: unknown;
    /** Stops hedging and destroys every attempt but the winner (if any). */
    const finish = (keep = -1) => {
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      controllers.forEach((c, i) => i !== keep && c.abort());
    };
    const start = () => {
      const index = controllers.length;
      const c = new AbortController();
      controllers.push(c);
      open(c.signal, index).then(
        (s) => {
          if (winner) return s.close();
          winner = true;
          if (index > 0) plan.budget.won();
          finish(index);
          resolve(s);
        },
        (err: unknown) => {
          errors[index] = err;
          settled++;
          // Waits for every attempt started: a hedge may still connect after the first failed.
          if (winner || settled < controllers.length) return;
          finish();
          reject(errors.find((e) => !isTimeout(e)) ?? errors[0]);
        },
      );
    };
    const t0 = timers.now();
    const check = () => {
      timer = undefined;
      const d = plan.delayMs();
      const elapsed = timers.now() - t0;
      if (hedgeDue(elapsed, controllers.length, plan.extra + 1, d) && plan.budget.take()) start();
      if (controllers.length > plan.extra) return;
      // The next hedge's time, or sooner: the estimate may still shrink; a budget that said no is asked again.
      const wait = controllers.length * d - elapsed;
      timer = timers.setTimeout(check, wait > 0 ? Math.min(wait, plan.minDelayMs) : plan.minDelayMs);
    };
    start();
    if (plan.extra > 0) timer = timers.setTimeout(check, Math.min(plan.delayMs(), plan.minDelayMs));
  });
}
