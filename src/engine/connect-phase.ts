import net from 'node:net';
import { errnoRow } from '../net/errno.js';
import { hedgeDue, type HedgeBudget } from './hedge.js';
import { networkOf, type ConnectTimeouts } from './rtt.js';

/**
 * The connect phase: a bare TCP connect to each endpoint, thousands in flight, before any protocol is spoken.
 * Nothing is written: an accepted connection is closed at once (FIN), and the probe phase reconnects. Measured on
 * loopback (2 cores, load average 14): a connect + close costs 0.77 ms in sequence, 0.78 ms each with 2,000 in
 * parallel; only endpoints that accepted pay it, against a probe's several round trips. What it decides:
 *
 * - accepted → `open`: the probe phase tests it;
 * - refused (RST) → `refused`: the verdict is `closed`, no probe runs;
 * - no answer across the kernel's SYN retransmission, or an ICMP host/network unreachable → `filtered`;
 * - out of local resources (file descriptors, ephemeral ports) → `busy`: the caller retries later with fewer in flight.
 *
 * Why waiting past the retransmission, and not giving up early: a SYN lost on the way, or dropped by a busy server
 * whose accept queue is full (Linux drops it, tcp_conn_request), is sent again by this machine's kernel after its
 * initial RTO of 1 s (RFC 6298 section 2, TCP_TIMEOUT_INIT), then 3 s, 7 s. A connect that gives up before ~1 s
 * never sees that retransmission: an open Redis busy for 0.8 s read `filtered` with the old 100 ms floor. So an
 * endpoint is `filtered` only after its first attempt has waited RTO_MS plus the network's adaptive timeout
 * (rtt.ts) for the retransmitted SYN's answer, bounded by the user's --connect-timeout (the cap).
 *
 * Speed comes from asking early and in parallel, not from giving up early: when the network's timing is known and
 * the first SYN got no answer within the adaptive timeout (a LAN answers in a millisecond), up to `attempts - 1`
 * more connects ("hedges", one per adaptive timeout) start beside it, each with its own SYN and retransmission, all
 * ending at the same deadline — while the run's hedge budget allows (hedge.ts: a few, then more only while hedges
 * win, so a firewalled fleet does not triple its SYNs; once one has won, up to LOSSY_EXTRA more per endpoint, the
 * deadline unchanged). A SYN or SYN-ACK lost at random is then recovered after tens of milliseconds instead
 * of a second, and a silent endpoint still costs one deadline — RTO_MS + (attempts) × the adaptive timeout, about
 * 1.3 s on a LAN — not one full timeout per attempt. Answers are timed per socket, and (Karn's algorithm) one that
 * may answer a retransmitted SYN (after RTO_MS) is not an RTT sample.
 *
 * Timeouts are re-read on every tick from the adaptive estimate, so connects started before any answer was measured
 * (with the cap) end as soon as their network's estimate says they should.
 */

export type ConnectOutcome =
  | { kind: 'open'; rttMs: number; attempts: number }
  | { kind: 'refused'; rttMs: number; attempts: number; err: NodeJS.ErrnoException }
  | { kind: 'filtered'; attempts: number; waitedMs: number; why: string }
  | { kind: 'busy'; code: string }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'aborted' };

/** The kernel's initial SYN retransmission timeout (Linux TCP_TIMEOUT_INIT = 1 s, RFC 6298 section 2.1). */
export const RTO_MS = 1000;

/** Connects per endpoint at most by default: the first and two hedges. */
export const DEFAULT_ATTEMPTS = 3;

/** What a failed connect says about the endpoint: the one errno table (net/errno.ts) decides. */
function outcomeOfErrno(err: NodeJS.ErrnoException, attempts: number, waitedMs: number): ConnectOutcome {
  const code = err.code ?? 'EUNKNOWN';
  const row = errnoRow(code, 'connect', err.message);
  if (row.local) return { kind: 'busy', code };
  if (row.status === 'filtered') return { kind: 'filtered', attempts, waitedMs, why: code };
  return { kind: 'error', code, message: err.message };
}

export interface ConnectPhaseOptions {
  timeouts: ConnectTimeouts;
  /** Connects (SYN streams) per endpoint at most: the first and its hedges (default 3; 1 = no hedge). */
  attempts?: number;
  /** Sockets in flight at most, hedges included: a hedge waits while the phase is at it (default unlimited). */
  maxSockets?: number;
  /** The run's hedge budget (hedge.ts): hedges start only while it allows; none given, no limit. */
  hedges?: HedgeBudget;
  localAddress?: string;
  signal: AbortSignal;
  /**
   * Called on every tick with the endpoints in flight that have waited longer than `slowMs` and, of those, the ones
   * that waited past RTO_MS (surely waiting on the network, not on this process, however late the tick): the caller
   * sizes its in-flight limit from them.
   */
  onTick?: (slow: number, lagMs: number, stalled: number) => void;
  slowMs?: number;
}

interface Pending {
  host: string;
  port: number;
  network: string;
  target: string;
  /** When the first connect started: the endpoint's deadline counts from here. */
  first: number;
  sockets: Array<{ socket: net.Socket; started: number }>;
  settled: boolean;
  done: (o: ConnectOutcome) => void;
}

/** How often in-flight connects are checked against their current timeout. */
const TICK_MS = 10;

export class ConnectPhase {
  readonly #opts: ConnectPhaseOptions;
  readonly #attempts: number;
  readonly #pending = new Set<Pending>();
  #sockets = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastTick: number | undefined;
  readonly #onAbort = () => {
    for (const p of [...this.#pending]) this.#finish(p, { kind: 'aborted' });
  };

  constructor(opts: ConnectPhaseOptions) {
    this.#opts = opts;
    this.#attempts = Math.max(1, opts.attempts ?? DEFAULT_ATTEMPTS);
    opts.signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Endpoints in flight. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** When an endpoint whose first connect started `elapsed` ms ago, with adaptive timeout `a`, is called filtered. */
  deadlineFor(a: number): number {
    const cap = this.#opts.timeouts.capMs;
    return a >= cap ? cap : Math.min(cap, RTO_MS + this.#attempts * a);
  }

  /** Connects to host:port (declared under `target`, for the timing scope); `done` is called exactly once. */
  connect(host: string, port: number, target: string, done: (o: ConnectOutcome) => void): void {
    if (this.#opts.signal.aborted) return done({ kind: 'aborted' });
    const p: Pending = { host, port, network: networkOf(host), target, first: performance.now(), sockets: [], settled: false, done };
    const failure = this.#open(p);
    if (failure) return done(outcomeOfErrno(failure, 1, 0));
    this.#pending.add(p);
    this.#timer ??= setInterval(() => this.#tick(), TICK_MS);
  }

  /** Stops the timer and forgets the abort listener (in-flight connects, if any, are ended as aborted). */
  close(): void {
    this.#opts.signal.removeEventListener('abort', this.#onAbort);
    for (const p of [...this.#pending]) this.#finish(p, { kind: 'aborted' });
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Starts one more connect for `p`; returns the error when the socket could not even be created. */
  #open(p: Pending): NodeJS.ErrnoException | undefined {
    let socket: net.Socket;
    try {
      socket = net.connect({ host: p.host, port: p.port, ...(this.#opts.localAddress ? { localAddress: this.#opts.localAddress } : {}) });
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
    const s = { socket, started: performance.now() };
    p.sockets.push(s);
    this.#sockets++;
    socket.once('connect', () => this.#answered(p, s, undefined));
    // `on`, not `once`: a late error on a socket already decided must find a listener (an unheard one throws).
    socket.on('error', (err: NodeJS.ErrnoException) => this.#answered(p, s, err));
    return undefined;
  }

  #answered(p: Pending, s: { socket: net.Socket; started: number }, err: NodeJS.ErrnoException | undefined): void {
    if (p.settled || !p.sockets.includes(s)) return;
    const now = performance.now();
    const rtt = now - s.started;
    const attempts = p.sockets.length;
    if (err && err.code !== 'ECONNREFUSED') {
      const outcome = outcomeOfErrno(err, attempts, now - p.first);
      // A hedge that could not get a local port or descriptor is dropped; the other connects go on.
      if (outcome.kind === 'busy' && attempts > 1) return this.#drop(p, s);
      return this.#finish(p, outcome);
    }
    // Karn's algorithm: after RTO_MS the answer may be to the retransmitted SYN; its time is not the network's RTT.
    if (rtt < RTO_MS) this.#opts.timeouts.sample(p.network, p.target, rtt);
    // Evidence of loss for the hedge budget: a hedge answered first, or only a retransmitted SYN got an answer.
    if (s !== p.sockets[0] || rtt >= RTO_MS) this.#opts.hedges?.won();
    this.#finish(p, err ? { kind: 'refused', rttMs: rtt, attempts, err } : { kind: 'open', rttMs: rtt, attempts });
  }

  #drop(p: Pending, s: { socket: net.Socket }): void {
    p.sockets.splice(p.sockets.indexOf(s as Pending['sockets'][number]), 1);
    this.#sockets--;
    s.socket.destroy();
  }

  #finish(p: Pending, outcome: ConnectOutcome): void {
    if (p.settled) return;
    p.settled = true;
    this.#pending.delete(p);
    for (const s of p.sockets) s.socket.destroy();
    this.#sockets -= p.sockets.length;
    if (!this.#pending.size && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#lastTick = undefined;
    }
    p.done(outcome);
  }

  #tick(): void {
    const now = performance.now();
    const expired: Pending[] = [];
    const slowMs = this.#opts.slowMs ?? this.#opts.timeouts.floorMs;
    const maxSockets = this.#opts.maxSockets ?? Infinity;
    const maxAttempts = this.#opts.hedges?.maxAttempts(this.#attempts) ?? this.#attempts;
    let slow = 0;
    let stalled = 0;
    for (const p of this.#pending) {
      const elapsed = now - p.first;
      if (elapsed >= slowMs) slow++;
      if (elapsed >= RTO_MS) stalled++;
      const a = this.#opts.timeouts.timeoutFor(p.network, p.target);
      if (elapsed >= this.deadlineFor(a)) expired.push(p);
      else if (hedgeDue(elapsed, p.sockets.length, maxAttempts, a) && this.#sockets < maxSockets && (this.#opts.hedges?.take() ?? true))
        this.#open(p);
    }
    // How late this tick fired: a busy event loop, not the network, is then what holds connects up.
    const lag = this.#lastTick === undefined ? 0 : Math.max(0, now - this.#lastTick - TICK_MS);
    this.#lastTick = now;
    this.#opts.onTick?.(slow, lag, stalled);
    if (!expired.length) return;
    // Decided in the check phase, after the poll phase: an answer that arrived while the event loop was busy is
    // seen first (timers run before I/O callbacks; a stall must not turn a quick answer into "filtered").
    setImmediate(() => {
      for (const p of expired) {
        if (p.settled) continue;
        this.#finish(
          p,
          this.#opts.signal.aborted
            ? { kind: 'aborted' }
            : { kind: 'filtered', attempts: p.sockets.length, waitedMs: now - p.first, why: 'no answer' },
        );
      }
    });
  }
}
