import { setMaxListeners } from 'node:events';
import { probeConfig } from '../domain/run-config.js';
import { errorCodes } from '../errors.js';
import { HttpClient } from '../net/http.js';
import { defaultConnectConcurrency } from '../net/fd-limit.js';
import type { Endpoint, EndpointResult, Observation } from '../types.js';
import type { AuditOptions, AuditRun } from './audit-options.js';
import type { EndpointSource, TwoPhaseOptions } from './two-phase-options.js';
import { ConnectPhase, type ConnectOutcome } from './connect-phase.js';
import { resultOf, unresolvedResult } from './result.js';
import { ConnectTimeouts } from './rtt.js';
import { candidateProbes, probeEndpoint } from './run-probe.js';

/**
 * Endpoints produced lazily (a CIDR is never expanded into an array) with their count known up front: what a run
 * of 1,000,000 endpoints holds in memory is the endpoints in flight, not the inventory.
 */
export type { EndpointSource, TwoPhaseOptions } from './two-phase-options.js';

/**
 * The two-phase run (the default):
 *
 * 1. connect phase — a bare TCP connect to each endpoint, `connectConcurrency` (thousands) in flight, adaptive
 *    timeouts (rtt.ts), optionally paced by `rate`. Refused → `closed`, no answer → `filtered`, right there.
 * 2. probe phase — only endpoints that accepted are probed, `concurrency` at once and `perHostConcurrency` per
 *    host, as before. It starts as soon as the first endpoint accepts: the two phases overlap, and a probe never
 *    waits behind a filtered endpoint (those only ever hold connect slots).
 *
 * Memory: endpoints are pulled from the source only when a connect slot is free, and the connect phase pauses
 * while more than `backlog` accepted endpoints wait for a probe, so what is held does not grow with the inventory.
 */
export async function runTwoPhase(source: EndpointSource, options: AuditOptions & TwoPhaseOptions): Promise<AuditRun> {
  const startedAt = new Date();
  const signal = options.signal ?? new AbortController().signal;
  setMaxListeners(Math.max(10, options.concurrency * 4 + 4), signal);
  const http = new HttpClient({
    connectTimeoutMs: options.connectTimeoutMs,
    ...(options.sourceAddress ? { localAddress: options.sourceAddress } : {}),
  });
  const all = options.probes;
  const keep = options.keepResults ?? true;
  const total = source.count;
  const results = keep ? new Array<EndpointResult>(total) : [];
  const timeouts = new ConnectTimeouts({
    capMs: options.connectTimeoutMs,
    ...(options.connectFloorMs !== undefined ? { floorMs: options.connectFloorMs } : {}),
  });
  let connectLimit = Math.max(1, options.connectConcurrency ?? defaultConnectConcurrency());
  /**
   * Connects in flight right now, at most connectLimit. Thousands in flight only pay when connects wait on the
   * network (dropped SYNs, long RTTs); when they answer at once (refused, LAN) they only cost memory (65,536
   * refused endpoints: 200 MiB peak RSS with 8,192 in flight, 146 MiB with 1,024, same time). So it starts at
   * INITIAL_WINDOW and doubles on every tick (10 ms) where at least half of it waits longer than the timeout floor
   * while the event loop keeps up, and halves when almost none does.
   */
  let window = Math.min(connectLimit, INITIAL_WINDOW);
  const connects = new ConnectPhase({
    timeouts,
    signal,
    onTick: (slow, lagMs) => {
      // Only when this process is idle enough (the tick came on time): if the event loop is what is late, more
      // sockets in flight add memory, not speed.
      if (slow * 2 >= window && window < connectLimit && lagMs < MAX_LAG_TO_GROW_MS) {
        window = Math.min(connectLimit, window * 2);
        pump();
      } else if (slow * 8 < window && window > INITIAL_WINDOW) {
        window = Math.max(INITIAL_WINDOW, Math.floor(window / 2));
      }
    },
    ...(options.connectAttempts !== undefined ? { attempts: options.connectAttempts } : {}),
    ...(options.sourceAddress ? { localAddress: options.sourceAddress } : {}),
  });
  const backlogLimit = Math.max(1024, options.concurrency * 16);
  const minGapMs = options.rate ? 1000 / options.rate : 0;
  let nextConnectAt = 0;
  let rateTimer: NodeJS.Timeout | undefined;
  let batchPending = false;

  const it = source[Symbol.iterator]();
  let produced = 0;
  let exhausted = false;
  let done = 0;
  let connecting = 0;
  /** Endpoints that accepted, waiting for a probe slot (FIFO; `head` is the next). */
  let queue: Array<{ ep: Endpoint; i: number }> = [];
  let head = 0;
  /** Endpoints waiting for their host's per-host slot. */
  const waiting = new Map<string, { list: Array<{ ep: Endpoint; i: number }>; head: number }>();
  let waitingCount = 0;
  const busy = new Map<string, number>();
  let probing = 0;
  /** Endpoints to connect again after the process ran out of descriptors or ports. */
  const retry: Array<{ ep: Endpoint; i: number; tries: number }> = [];

  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  let failed = false;

  const emit = (result: EndpointResult, i: number): void => {
    if (failed) return;
    try {
      if (keep) results[i] = result;
      options.onResult?.(result, ++done, total, i);
    } catch (err) {
      failed = true;
      settle.reject(err);
    }
  };
  const firstProbes = new Map<string, string>();
  const firstProbe = (ep: Endpoint): string => {
    const key = `${ep.service}|${ep.port}`;
    let id = firstProbes.get(key);
    if (id === undefined) firstProbes.set(key, (id = candidateProbes(all, ep)[0]?.meta.id ?? '-'));
    return id;
  };
  const aborted = (ep: Endpoint, i: number): void =>
    emit(
      resultOf(
        ep,
        '-',
        {
          status: 'error',
          evidence: { requests: [], notes: ['not tested: the run was interrupted'] },
          facts: {},
          error: { code: 'EA_ABORTED', message: 'not tested: the run was interrupted' },
        },
        0,
      ),
      i,
    );

  const onConnect = (ep: Endpoint, i: number, tries: number, o: ConnectOutcome, ms: number): void => {
    connecting--;
    switch (o.kind) {
      case 'open':
        queue.push({ ep, i });
        break;
      case 'refused': {
        // The same observation a probe's own refused connect gives (run-probe.ts, fromSocketError), so a report reads
        // the same; built without an EaError (capturing a stack per refused port was 10% of a sweep's CPU).
        emit(
          resultOf(
            ep,
            firstProbe(ep),
            {
              status: 'closed',
              evidence: { requests: [], notes: ['failed during connect'] },
              facts: {},
              error: { code: 'EA_REFUSED', message: refusedMessage },
            },
            ms,
          ),
          i,
        );
        break;
      }
      case 'filtered': {
        const note =
          o.why === 'no answer'
            ? `no answer to ${o.attempts} connect attempt${o.attempts === 1 ? '' : 's'} (adaptive timeout, cap ${options.connectTimeoutMs} ms): a firewall drops it; not reachable from this vantage point`
            : `connect failed with ${o.why}: not reachable from this vantage point`;
        emit(resultOf(ep, firstProbe(ep), { status: 'filtered', evidence: { requests: [], notes: [note] }, facts: {} }, ms), i);
        break;
      }
      case 'busy':
        // Out of descriptors or ports: fewer in flight from now on, and this endpoint again shortly.
        connectLimit = Math.max(16, Math.min(connectLimit, connecting) - 16);
        window = Math.min(window, connectLimit);
        if (tries < 8) {
          retry.push({ ep, i, tries: tries + 1 });
          setTimeout(pump, 20 * (tries + 1));
          return;
        }
        emit(
          resultOf(
            ep,
            firstProbe(ep),
            {
              status: 'error',
              evidence: { requests: [], notes: [`out of local resources (${o.code})`] },
              facts: {},
              error: { code: 'EA_UNREACHABLE', message: `could not open a connection: ${o.code}` },
            },
            ms,
          ),
          i,
        );
        break;
      case 'error':
        emit(
          resultOf(
            ep,
            firstProbe(ep),
            {
              status: 'error',
              evidence: { requests: [], notes: ['failed during connect'] },
              facts: {},
              error: { code: 'EA_RESET', message: `connect failed (${o.code})` },
            },
            ms,
          ),
          i,
        );
        break;
      case 'aborted':
        aborted(ep, i);
        break;
    }
    pump();
  };

  const startConnect = (ep: Endpoint, i: number, tries: number): void => {
    // The declared name did not resolve: nothing to connect to; reported as not tested (error / EA_DNS).
    if (ep.unresolved) {
      emit(unresolvedResult(ep), i);
      return;
    }
    connecting++;
    const t0 = performance.now();
    connects.connect(ep.host, ep.port, ep.declaredHost, (o) => onConnect(ep, i, tries, o, Math.round(performance.now() - t0)));
  };

  const startProbe = (ep: Endpoint, i: number): void => {
    busy.set(ep.host, (busy.get(ep.host) ?? 0) + 1);
    probing++;
    const t0 = performance.now();
    probeOne(ep).then(
      ({ probe, observation }) => {
        probing--;
        const left = busy.get(ep.host)! - 1;
        if (left === 0) busy.delete(ep.host);
        else busy.set(ep.host, left);
        emit(resultOf(ep, probe, observation, Math.round(performance.now() - t0)), i);
        // The host just freed a slot: its next waiting endpoint goes first.
        const w = waiting.get(ep.host);
        if (w && !failed) {
          const next = w.list[w.head++]!;
          waitingCount--;
          if (w.head === w.list.length) waiting.delete(ep.host);
          if (signal.aborted) aborted(next.ep, next.i);
          else startProbe(next.ep, next.i);
        }
        pump();
      },
      (err: unknown) => {
        failed = true;
        settle.reject(err);
      },
    );
  };

  const probeOne = (ep: Endpoint): Promise<{ probe: string; observation: Observation }> =>
    probeEndpoint(all, ep, {
      ...probeConfig(options),
      signal,
      http,
    });

  function pump(): void {
    if (failed) return;
    // Probe phase first: accepted endpoints, within the global and per-host limits.
    while (head < queue.length && probing < options.concurrency) {
      const { ep, i } = queue[head++]!;
      if (signal.aborted) {
        aborted(ep, i);
        continue;
      }
      if ((busy.get(ep.host) ?? 0) < options.perHostConcurrency && !waiting.has(ep.host)) startProbe(ep, i);
      else {
        const w = waiting.get(ep.host);
        if (w) w.list.push({ ep, i });
        else waiting.set(ep.host, { list: [{ ep, i }], head: 0 });
        waitingCount++;
      }
    }
    if (signal.aborted && waitingCount) {
      // Interrupted: nothing waiting for a host slot will be probed now.
      for (const w of waiting.values()) for (let k = w.head; k < w.list.length; k++) aborted(w.list[k]!.ep, w.list[k]!.i);
      waiting.clear();
      waitingCount = 0;
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head > 4096) {
      queue = queue.slice(head);
      head = 0;
    }
    // Connect phase: pull endpoints from the source while a slot is free and the probe backlog is short, at most
    // BATCH per turn of the event loop: starting 4,096 connects in one go blocked it for most of a second, and every
    // answer that arrived meanwhile was timed late (a refused port measured at 700 ms inflated every timeout).
    let started = 0;
    while (!failed && connecting < window && queue.length - head + waitingCount < backlogLimit) {
      if (started >= BATCH) {
        if (!batchPending) {
          batchPending = true;
          setImmediate(() => {
            batchPending = false;
            pump();
          });
        }
        break;
      }
      started++;
      if (signal.aborted) {
        for (const r of retry.splice(0)) aborted(r.ep, r.i);
        if (exhausted) break;
        const n = it.next();
        if (n.done) {
          exhausted = true;
          break;
        }
        aborted(n.value, produced++);
        continue;
      }
      if (minGapMs) {
        const now = performance.now();
        if (now < nextConnectAt) {
          rateTimer ??= setTimeout(
            () => {
              rateTimer = undefined;
              pump();
            },
            Math.ceil(nextConnectAt - now),
          );
          break;
        }
        nextConnectAt = Math.max(now, nextConnectAt) + minGapMs;
      }
      const r = retry.shift();
      if (r) {
        startConnect(r.ep, r.i, r.tries);
        continue;
      }
      if (exhausted) break;
      const n = it.next();
      if (n.done) {
        exhausted = true;
        break;
      }
      startConnect(n.value, produced++, 0);
    }
    if (!failed && exhausted && !retry.length && connecting === 0 && probing === 0 && head === queue.length && waitingCount === 0)
      settle.resolve();
  }

  try {
    pump();
    await finished;
  } finally {
    if (rateTimer) clearTimeout(rateTimer);
    connects.close();
    await http.close();
  }
  return { results, complete: !signal.aborted, startedAt, finishedAt: new Date() };
}

/** fromSocketError's message for ECONNREFUSED. */
const refusedMessage = `${errorCodes.EA_REFUSED} (ECONNREFUSED)`;

/** The connect window to start with (see runTwoPhase). */
const INITIAL_WINDOW = 512;

/** A tick later than this (ms) means the event loop is busy: the window does not grow. */
const MAX_LAG_TO_GROW_MS = 25;

/** Connects started per turn of the event loop (see pump). */
const BATCH = 64;
