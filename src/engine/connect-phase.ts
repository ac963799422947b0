import net from 'node:net';
import { errnoRow } from '../net/errno.js';
import { networkOf, type ConnectTimeouts } from './rtt.js';

/**
 * The connect phase: a bare TCP connect to each endpoint, thousands in flight, before any protocol is spoken.
 * Nothing is written: an accepted connection is closed at once (FIN), and the probe phase reconnects. Measured on
 * loopback (2 cores, load average 14): a connect + close costs 0.77 ms in sequence, 0.78 ms each with 2,000 in
 * parallel; only endpoints that accepted pay it, against a probe's several round trips. Handing the socket over
 * would tie every probe and the HTTP pool (undici) to this phase for that. What it decides:
 *
 * - accepted → `open`: the probe phase tests it;
 * - refused (RST) → `refused`: the verdict is `closed`, no probe runs;
 * - no answer within the adaptive timeout, twice (one retransmission for loss, as nmap does), or an ICMP
 *   host/network unreachable → `filtered`: a firewall drops it; not reachable from this vantage point;
 * - out of local resources (file descriptors, ephemeral ports) → `busy`: the caller retries later with fewer in flight.
 *
 * Timeouts are re-read on every tick from the adaptive estimate (rtt.ts), so connects started before any answer
 * was measured (with the cap) end as soon as their network's estimate says they should.
 */

export type ConnectOutcome =
  | { kind: 'open'; rttMs: number; attempts: number }
  | { kind: 'refused'; rttMs: number; attempts: number; err: NodeJS.ErrnoException }
  | { kind: 'filtered'; attempts: number; waitedMs: number; why: string }
  | { kind: 'busy'; code: string }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'aborted' };

/** What a failed connect says about the endpoint: the one errno table (net/errno.ts) decides. */
function outcomeOfErrno(err: NodeJS.ErrnoException, attempt: number, waitedMs: number): ConnectOutcome {
  const code = err.code ?? 'EUNKNOWN';
  const row = errnoRow(code, 'connect', err.message);
  if (row.local) return { kind: 'busy', code };
  if (row.status === 'filtered') return { kind: 'filtered', attempts: attempt, waitedMs, why: code };
  return { kind: 'error', code, message: err.message };
}

export interface ConnectPhaseOptions {
  timeouts: ConnectTimeouts;
  /** Connect attempts before an endpoint that never answers is called filtered (default 2: one retransmission). */
  attempts?: number;
  localAddress?: string;
  signal: AbortSignal;
  /**
   * Called on every tick with the connects in flight that have waited longer than `slowMs` (waiting on the
   * network, not on this process): the caller sizes its in-flight limit from it.
   */
  onTick?: (slow: number, lagMs: number) => void;
  slowMs?: number;
}

interface Attempt {
  socket: net.Socket;
  host: string;
  port: number;
  network: string;
  target: string;
  started: number;
  /** When the first attempt started: what a filtered endpoint cost. */
  first: number;
  attempt: number;
  settled: boolean;
  done: (o: ConnectOutcome) => void;
}

/** How often in-flight connects are checked against their current timeout. */
const TICK_MS = 10;

export class ConnectPhase {
  readonly #opts: ConnectPhaseOptions;
  readonly #attempts: number;
  readonly #pending = new Set<Attempt>();
  #timer: NodeJS.Timeout | undefined;
  #lastTick: number | undefined;
  readonly #onAbort = () => {
    for (const a of [...this.#pending]) this.#finish(a, { kind: 'aborted' });
  };

  constructor(opts: ConnectPhaseOptions) {
    this.#opts = opts;
    this.#attempts = Math.max(1, opts.attempts ?? 2);
    opts.signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Connects in flight. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Connects to host:port (declared under `target`, for the timing scope); `done` is called exactly once. */
  connect(host: string, port: number, target: string, done: (o: ConnectOutcome) => void): void {
    if (this.#opts.signal.aborted) return done({ kind: 'aborted' });
    const now = performance.now();
    this.#start({
      socket: undefined as unknown as net.Socket,
      host,
      port,
      network: networkOf(host),
      target,
      started: now,
      first: now,
      attempt: 0,
      settled: false,
      done,
    });
  }

  /** Stops the timer and forgets the abort listener (in-flight connects, if any, are ended as aborted). */
  close(): void {
    this.#opts.signal.removeEventListener('abort', this.#onAbort);
    for (const a of [...this.#pending]) this.#finish(a, { kind: 'aborted' });
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #start(a: Attempt): void {
    a.attempt++;
    a.started = performance.now();
    a.settled = false;
    let socket: net.Socket;
    try {
      socket = net.connect({ host: a.host, port: a.port, ...(this.#opts.localAddress ? { localAddress: this.#opts.localAddress } : {}) });
    } catch (err) {
      return a.done(outcomeOfErrno(err as NodeJS.ErrnoException, a.attempt, 0));
    }
    a.socket = socket;
    this.#pending.add(a);
    this.#timer ??= setInterval(() => this.#tick(), TICK_MS);
    socket.once('connect', () => {
      if (a.settled) return;
      const rtt = performance.now() - a.started;
      this.#opts.timeouts.sample(a.network, a.target, rtt);
      this.#finish(a, { kind: 'open', rttMs: rtt, attempts: a.attempt });
    });
    // `on`, not `once`: a late error on a socket already decided must find a listener (an unheard one throws).
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (a.settled) return;
      const code = err.code ?? 'EUNKNOWN';
      if (code === 'ECONNREFUSED') {
        const rtt = performance.now() - a.started;
        this.#opts.timeouts.sample(a.network, a.target, rtt);
        this.#finish(a, { kind: 'refused', rttMs: rtt, attempts: a.attempt, err });
      } else {
        this.#finish(a, outcomeOfErrno(err, a.attempt, performance.now() - a.first));
      }
    });
  }

  #finish(a: Attempt, outcome: ConnectOutcome): void {
    if (a.settled) return;
    a.settled = true;
    this.#pending.delete(a);
    a.socket.destroy();
    if (!this.#pending.size && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#lastTick = undefined;
    }
    a.done(outcome);
  }

  #tick(): void {
    const now = performance.now();
    const expired: Attempt[] = [];
    const slowMs = this.#opts.slowMs ?? this.#opts.timeouts.floorMs;
    let slow = 0;
    for (const a of this.#pending) {
      if (now - a.first >= slowMs) slow++;
      if (now - a.started >= this.#opts.timeouts.timeoutFor(a.network, a.target)) expired.push(a);
    }
    // How late this tick fired: a busy event loop, not the network, is then what holds connects up.
    const lag = this.#lastTick === undefined ? 0 : Math.max(0, now - this.#lastTick - TICK_MS);
    this.#lastTick = now;
    this.#opts.onTick?.(slow, lag);
    if (!expired.length) return;
    // Decided in the check phase, after the poll phase: an answer that arrived while the event loop was busy is
    // seen first (timers run before I/O callbacks; a stall must not turn a quick answer into "filtered").
    setImmediate(() => {
      for (const a of expired) {
        if (a.settled) continue;
        this.#pending.delete(a);
        a.settled = true;
        a.socket.destroy();
        if (a.attempt < this.#attempts && !this.#opts.signal.aborted) {
          this.#start(a);
        } else {
          if (!this.#pending.size && this.#timer) {
            clearInterval(this.#timer);
            this.#timer = undefined;
          }
          a.done(
            this.#opts.signal.aborted
              ? { kind: 'aborted' }
              : { kind: 'filtered', attempts: a.attempt, waitedMs: now - a.first, why: 'no answer' },
          );
        }
      }
    });
  }
}
