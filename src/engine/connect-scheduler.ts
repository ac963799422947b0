import { errorCodes } from '../errors.js';
import { errnoRow } from '../net/errno.js';
import type { Endpoint, EndpointResult, Observation } from '../types.js';
import { ConnectPhase, RTO_MS, type ConnectOutcome } from './connect-phase.js';
import type { HedgeBudget } from './hedge.js';
import { abortedResult, resultOf, unresolvedResult } from './result.js';
import type { ConnectTimeouts } from './rtt.js';

/**
 * The connect phase's scheduler: pulls endpoints from the (lazy) source while a connect slot is free and the probe
 * backlog is short, connects them (connect-phase.ts), and decides `closed`, `filtered` and connect errors right
 * there; endpoints that accepted go to `onOpen` (the probe scheduler).
 *
 * Connects in flight are at most `window`, itself at most `connectLimit`. Thousands in flight only pay when connects
 * wait on the network (dropped SYNs, long RTTs); when they answer at once (refused, LAN) they only cost memory
 * (65,536 refused endpoints: 200 MiB peak RSS with 8,192 in flight, 146 MiB with 1,024, same time). So the window
 * starts at INITIAL_WINDOW and doubles on every tick (10 ms) where at least half of it waits longer than the timeout
 * floor while the event loop keeps up, and halves when almost none does.
 */
export interface ConnectSchedulerOptions {
  source: Iterator<Endpoint>;
  timeouts: ConnectTimeouts;
  /** Most connects in flight (from the open-files limit). */
  connectLimit: number;
  /** Connects started per second, at most (0 or undefined: unlimited). */
  rate?: number;
  attempts?: number;
  /** The run's hedge budget (hedge.ts), shared with the probes' own connects. */
  hedges?: HedgeBudget;
  localAddress?: string;
  signal: AbortSignal;
  /** False while too many accepted endpoints wait for a probe: no new connect starts. */
  room: () => boolean;
  onOpen: (ep: Endpoint, i: number) => void;
  emit: (result: EndpointResult, i: number) => void;
  /** The probe a result is filed under (the first candidate for the endpoint's service and port). */
  firstProbe: (ep: Endpoint) => string;
  /** A connect ended or a timer fired: the caller pumps both schedulers. */
  wake: () => void;
}

/** The connect window to start with. */
const INITIAL_WINDOW = 512;
/** A tick later than this (ms) means the event loop is busy: the window does not grow. */
const MAX_LAG_TO_GROW_MS = 25;
/** Connects started per turn of the event loop (see pump). */
const BATCH = 64;
/** Retries of an endpoint whose connect ran out of local resources, before it is reported EA_LOCAL_LIMIT. */
const LOCAL_RETRIES = 8;

/** fromSocketError's message for ECONNREFUSED: a refused connect reads the same from either phase. */
const refusedMessage = `${errorCodes.EA_REFUSED} (ECONNREFUSED)`;

export class ConnectScheduler {
  readonly #opts: ConnectSchedulerOptions;
  readonly #phase: ConnectPhase;
  #connectLimit: number;
  #window: number;
  readonly #minGapMs: number;
  #nextConnectAt = 0;
  #rateTimer: NodeJS.Timeout | undefined;
  #batchPending = false;
  #produced = 0;
  #exhausted = false;
  #connecting = 0;
  /** Endpoints to connect again after the process ran out of descriptors or ports. */
  readonly #retry: Array<{ ep: Endpoint; i: number; tries: number }> = [];
  #stopped = false;

  constructor(opts: ConnectSchedulerOptions) {
    this.#opts = opts;
    this.#connectLimit = Math.max(1, opts.connectLimit);
    this.#window = Math.min(this.#connectLimit, INITIAL_WINDOW);
    this.#minGapMs = opts.rate ? 1000 / opts.rate : 0;
    this.#phase = new ConnectPhase({
      timeouts: opts.timeouts,
      signal: opts.signal,
      onTick: (slow, lagMs, stalled) => this.#resize(slow, lagMs, stalled),
      // Hedges share the descriptors: the limit is half of what is left after the reserve (net/fd-limit.ts).
      maxSockets: this.#connectLimit * 2,
      ...(opts.attempts !== undefined ? { attempts: opts.attempts } : opts.rate ? { attempts: 1 } : {}),
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      ...(opts.hedges ? { hedges: opts.hedges } : {}),
    });
  }

  /** Every endpoint was pulled from the source and every connect has ended. */
  get done(): boolean {
    return this.#exhausted && !this.#retry.length && this.#connecting === 0;
  }

  stop(): void {
    this.#stopped = true;
  }

  close(): void {
    if (this.#rateTimer) clearTimeout(this.#rateTimer);
    this.#phase.close();
  }

  /**
   * Starts connects while a slot is free and the probe backlog has room, at most BATCH per turn of the event loop:
   * starting 4,096 connects in one go blocked it for most of a second, and every answer that arrived meanwhile was
   * timed late (a refused port measured at 700 ms inflated every timeout).
   */
  pump(): void {
    let started = 0;
    while (!this.#stopped && this.#connecting < this.#window && this.#opts.room()) {
      if (started++ >= BATCH) {
        this.#later();
        break;
      }
      if (this.#opts.signal.aborted) {
        if (!this.#abortNext()) break;
        continue;
      }
      if (this.#minGapMs && !this.#paced()) break;
      const r = this.#retry.shift();
      if (r) {
        this.#start(r.ep, r.i, r.tries);
        continue;
      }
      const ep = this.#take();
      if (!ep) break;
      this.#start(ep, this.#produced++, 0);
    }
  }

  #take(): Endpoint | undefined {
    if (this.#exhausted) return undefined;
    const n = this.#opts.source.next();
    if (n.done) this.#exhausted = true;
    return n.done ? undefined : n.value;
  }

  /** Interrupted: the next endpoint (a retry, else from the source) ends aborted. False when none is left. */
  #abortNext(): boolean {
    for (const r of this.#retry.splice(0)) this.#opts.emit(abortedResult(r.ep), r.i);
    const ep = this.#take();
    if (!ep) return false;
    this.#opts.emit(abortedResult(ep), this.#produced++);
    return true;
  }

  /** --rate: true when a connect may start now; otherwise a timer pumps again when it may. */
  #paced(): boolean {
    const now = performance.now();
    if (now < this.#nextConnectAt) {
      this.#rateTimer ??= setTimeout(
        () => {
          this.#rateTimer = undefined;
          this.#opts.wake();
        },
        Math.ceil(this.#nextConnectAt - now),
      );
      return false;
    }
    this.#nextConnectAt = Math.max(now, this.#nextConnectAt) + this.#minGapMs;
    return true;
  }

  #later(): void {
    if (this.#batchPending) return;
    this.#batchPending = true;
    setImmediate(() => {
      this.#batchPending = false;
      this.#opts.wake();
    });
  }

  /**
   * Grows only when this process is idle enough (the tick came on time): if the event loop is late, answers look slow
   * and more sockets add memory, not speed — unless half the window has waited past the kernel's SYN retransmission
   * (a firewalled network: those wait on the network whatever the load of this machine).
   */
  #resize(slow: number, lagMs: number, stalled: number): void {
    const waitingOnNetwork = lagMs < MAX_LAG_TO_GROW_MS || stalled * 2 >= this.#window;
    if (slow * 2 >= this.#window && this.#window < this.#connectLimit && waitingOnNetwork) {
      this.#window = Math.min(this.#connectLimit, this.#window * 2);
      this.#opts.wake();
    } else if (slow * 8 < this.#window && this.#window > INITIAL_WINDOW) {
      this.#window = Math.max(INITIAL_WINDOW, Math.floor(this.#window / 2));
    }
  }

  #start(ep: Endpoint, i: number, tries: number): void {
    // The declared name did not resolve: nothing to connect to; reported as not tested (error / EA_DNS).
    if (ep.unresolved) return this.#opts.emit(unresolvedResult(ep), i);
    this.#connecting++;
    const t0 = performance.now();
    this.#phase.connect(ep.host, ep.port, ep.declaredHost, (o) => {
      this.#connecting--;
      this.#settled(ep, i, tries, o, Math.round(performance.now() - t0));
      this.#opts.wake();
    });
  }

  #settled(ep: Endpoint, i: number, tries: number, o: ConnectOutcome, ms: number): void {
    if (o.kind === 'open') return this.#opts.onOpen(ep, i);
    if (o.kind === 'aborted') return this.#opts.emit(abortedResult(ep), i);
    if (o.kind === 'busy') {
      // Out of descriptors or ports: fewer in flight from now on, and this endpoint again shortly.
      this.#connectLimit = Math.max(16, Math.min(this.#connectLimit, this.#connecting) - 16);
      this.#window = Math.min(this.#window, this.#connectLimit);
      if (tries < LOCAL_RETRIES) {
        this.#retry.push({ ep, i, tries: tries + 1 });
        setTimeout(() => this.#opts.wake(), 20 * (tries + 1));
        return;
      }
    }
    this.#opts.emit(resultOf(ep, this.#opts.firstProbe(ep), connectObservation(o, this.#opts.timeouts.capMs), ms), i);
  }
}

/** What a connect that did not open says, as the observation of a report row. */
export function connectObservation(o: Exclude<ConnectOutcome, { kind: 'open' | 'aborted' }>, capMs: number): Observation {
  switch (o.kind) {
    case 'refused':
      // The same observation a probe's own refused connect gives (run-probe.ts, fromSocketError), so a report reads
      // the same; built without an EaError (capturing a stack per refused port was 10% of a sweep's CPU).
      return {
        status: 'closed',
        evidence: { requests: [], notes: ['failed during connect'] },
        facts: {},
        error: { code: 'EA_REFUSED', message: refusedMessage },
      };
    case 'filtered':
      return { status: 'filtered', evidence: { requests: [], notes: [filteredNote(o, capMs)] }, facts: {} };
    case 'busy':
      return {
        status: 'error',
        evidence: { requests: [], notes: [`out of local resources (${o.code})`] },
        facts: {},
        error: { code: 'EA_LOCAL_LIMIT', message: `${errorCodes.EA_LOCAL_LIMIT} (${o.code})` },
      };
    case 'error': {
      const row = errnoRow(o.code, 'connect', o.message);
      return {
        status: row.status,
        evidence: { requests: [], notes: ['failed during connect'] },
        facts: {},
        error: { code: row.code, message: `${errorCodes[row.code]} (${o.code})` },
      };
    }
  }
}

/** Why an endpoint is filtered, for its report row: what was sent, how long it waited, and what that spans. */
export function filteredNote(o: Extract<ConnectOutcome, { kind: 'filtered' }>, capMs: number): string {
  if (o.why !== 'no answer') return `connect failed with ${o.why}: not reachable from this vantage point`;
  const tries = `${o.attempts} connect attempt${o.attempts === 1 ? '' : 's'}`;
  const span =
    capMs > RTO_MS
      ? `across the kernel's SYN retransmission (cap ${capMs} ms)`
      : `--connect-timeout ${capMs} ms ends before the kernel's SYN retransmission (1 s): a lost SYN or a busy server reads as filtered`;
  return `no answer to ${tries} in ${Math.round(o.waitedMs)} ms, ${span}: a firewall drops it; not reachable from this vantage point`;
}
