import { setMaxListeners } from 'node:events';
import { defaultConnectConcurrency } from '../net/fd-limit.js';
import { HttpClient } from '../net/http.js';
import type { Endpoint, EndpointResult, Observation } from '../types.js';
import { auditDefaults, type AuditOptions, type AuditRun } from './audit-options.js';
import { ConnectScheduler } from './connect-scheduler.js';
import { ProbeScheduler } from './probe-scheduler.js';
import { DEFAULT_ATTEMPTS } from './connect-phase.js';
import { HedgeBudget } from './hedge.js';
import { probeRace } from './probe-race.js';
import { recheckBudgetMs, Rechecks } from './recheck.js';
import { ConnectTimeouts, networkOf } from './rtt.js';
import { candidateProbes, probeEndpoint, type ProbeRunOptions } from './run-probe.js';
import type { EndpointSource, TwoPhaseOptions } from './two-phase-options.js';

/**
 * Endpoints produced lazily (a CIDR is never expanded into an array) with their count known up front: what a run
 * of 1,000,000 endpoints holds in memory is the endpoints in flight, not the inventory.
 */
export type { EndpointSource, TwoPhaseOptions } from './two-phase-options.js';

/**
 * The two-phase run:
 *
 * 1. connect phase (connect-scheduler.ts) — a bare TCP connect to each endpoint, thousands in flight, adaptive
 *    timeouts (rtt.ts), optionally paced by `rate`. Refused → `closed`, no answer → `filtered`, right there.
 * 2. probe phase (probe-scheduler.ts) — only endpoints that accepted are probed, `concurrency` at once and
 *    `perHostConcurrency` per host. It starts as soon as the first endpoint accepts: the two phases overlap, and a
 *    probe never waits behind a filtered endpoint (those only ever hold connect slots).
 *
 * Memory: endpoints are pulled from the source only when a connect slot is free, and the connect phase pauses
 * while more than `backlog` accepted endpoints wait for a probe, so what is held does not grow with the inventory.
 */
export async function runTwoPhase(source: EndpointSource, options: AuditOptions & TwoPhaseOptions): Promise<AuditRun> {
  const startedAt = new Date();
  const signal = options.signal ?? new AbortController().signal;
  // Every probe in flight listens for the interrupt: above 10 Node prints a false "possible memory leak" warning.
  setMaxListeners(Math.max(10, options.concurrency * 4 + 4), signal);
  const local = options.sourceAddress ? { localAddress: options.sourceAddress } : {};
  const http = new HttpClient({ connectTimeoutMs: options.connectTimeoutMs, ...local });
  const keep = options.keepResults ?? true;
  const total = source.count;
  const results = keep ? new Array<EndpointResult>(total) : [];
  const caps = options.caps ?? auditDefaults.caps;

  let done = 0;
  let failed = false;
  let failure: unknown;
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const fail = (err: unknown): void => {
    if (failed) return;
    failed = true;
    failure = err;
    probes.stop();
    connects.stop();
    settle.reject(err);
  };
  // Known exposures whose main-pass verdict proves nothing are held back and re-checked after it (recheck.ts).
  const rechecks = options.knownExposures?.size ? new Rechecks(options.knownExposures) : undefined;
  const emit = (result: EndpointResult, i: number): void => {
    if (failed || rechecks?.hold(result, i)) return;
    try {
      if (keep) results[i] = result;
      options.onResult?.(result, ++done, total, i);
    } catch (err) {
      fail(err);
    }
  };
  const pump = (): void => {
    if (failed) return;
    probes.pump();
    connects.pump();
    if (!failed && connects.done && probes.idle) settle.resolve();
  };

  // Default credentials go out at most once per host:port and product in a run, however many services declare the port.
  const credentialAttempts = new Set<string>();
  const probeOpts: ProbeRunOptions = {
    timeoutMs: options.timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    maxBytes: options.maxBytes,
    caps,
    ...(options.sampleRows ? { sampleRows: options.sampleRows } : {}),
    ...(options.tryDefaultCredentials ? { tryDefaultCredentials: true, credentialAttempts } : {}),
    signal,
    http,
    ...(options.sourceAddress ? { sourceAddress: options.sourceAddress } : {}),
  };
  const timeouts = new ConnectTimeouts({
    capMs: options.connectTimeoutMs,
    ...(options.connectFloorMs !== undefined ? { floorMs: options.connectFloorMs } : {}),
  });
  // Connects per endpoint (the first and its hedges), in both phases; a paced run (--rate) sends no extra SYN.
  const attempts = options.connectAttempts ?? (options.rate ? 1 : DEFAULT_ATTEMPTS);
  const hedges = new HedgeBudget();
  const probes = new ProbeScheduler({
    concurrency: options.concurrency,
    perHost: options.perHostConcurrency,
    signal,
    probe: (ep) =>
      probeAccepted(options.probes, ep, {
        ...probeOpts,
        // The probe's connect hedges after the endpoint's adaptive timeout, measured in the connect phase.
        hedge: {
          delayMs: () => timeouts.timeoutFor(networkOf(ep.host), ep.declaredHost),
          minDelayMs: timeouts.floorMs,
          extra: attempts - 1,
          budget: hedges,
        },
      }),
    emit,
    wake: pump,
    fail,
  });
  const backlogLimit = Math.max(1024, options.concurrency * 16);
  const connects = new ConnectScheduler({
    source: (rechecks ? rechecks.source(source) : source)[Symbol.iterator](),
    timeouts,
    connectLimit: options.connectConcurrency ?? defaultConnectConcurrency(),
    ...(options.rate ? { rate: options.rate } : {}),
    attempts,
    hedges,
    ...local,
    signal,
    room: () => probes.backlog < backlogLimit,
    onOpen: (ep, i) => probes.add(ep, i),
    emit,
    firstProbe: firstProbeOf(options.probes),
    wake: pump,
  });

  try {
    pump();
    await finished;
    await rechecks?.run({
      probe: (ep) => probeEndpoint(options.probes, ep, probeOpts),
      emit,
      signal,
      concurrency: options.concurrency,
      perHost: options.perHostConcurrency,
      timeoutMs: options.timeoutMs,
      budgetMs: recheckBudgetMs(options.timeoutMs),
      ...(options.onRecheck ? { onStart: options.onRecheck } : {}),
    });
    // onResult threw during the re-check pass (the main pass's `finished` has settled): the run fails all the same.
    if (failed) throw failure;
  } finally {
    connects.close();
    await http.close();
  }
  return { results, complete: !signal.aborted, startedAt, finishedAt: new Date() };
}

/** The probe a connect-phase result is filed under: the first candidate for its service and port (memoised). */
function firstProbeOf(all: AuditOptions['probes']): (ep: Endpoint) => string {
  const first = new Map<string, string>();
  return (ep) => {
    const key = `${ep.service}|${ep.port}`;
    let id = first.get(key);
    if (id === undefined) first.set(key, (id = candidateProbes(all, ep)[0]?.meta.id ?? '-'));
    return id;
  };
}

/** Probes again, at most this many times, an endpoint that accepted in the connect phase but not the probe's connect. */
const PROBE_CONNECT_RETRIES = 2;
/**
 * Probes again, at most this many times, an endpoint whose probe connected and got nothing before its deadline.
 * Two: when the handshake needed a retransmitted SYN, Linux starts the data RTO at 3 s (TCP_TIMEOUT_FALLBACK,
 * RFC 6298 section 5.7), so a request lost once then is not sent again before a 3 s deadline; at 10 % loss about
 * 3.6 % of probes meet that, 0.13 % twice (the lossy bench saw 1 in 3 runs of 254 with one retry).
 */
const PROBE_SILENT_RETRIES = 2;

/**
 * probeEndpoint for an endpoint the connect phase just saw accept. A `timeout` there says nothing yet about the
 * service when it may be a lost packet or a busy server: the endpoint is probed again, with a fresh budget, instead
 * of reading "could not test" at once —
 * - the probe's own connect got no answer (a SYN lost at random, an accept queue full again): up to twice;
 * - the probe connected and received nothing before its deadline (its request or the reply lost, and the kernel's
 *   retransmission came too late — after a lost SYN the data RTO starts at 3 s): twice, once the run has seen loss
 *   (a hedge won, or an answer came on a retransmitted SYN: hedge.ts). On a link that has lost nothing a request is
 *   resent within the kernel's 200 ms minimum RTO, so a silent endpoint there is a tarpit or a hung service: one
 *   deadline, `timeout` (not tested; a known exposure is re-checked with the full timeout, recheck.ts). A reply cut
 *   short (bytes received) is never retried.
 */
export async function probeAccepted(all: AuditOptions['probes'], ep: Endpoint, opts: ProbeRunOptions): ReturnType<typeof probeEndpoint> {
  let r = await probeRaced(all, ep, opts);
  let connect = 0;
  let silent = 0;
  for (;;) {
    if (opts.signal.aborted) return r;
    const why = timeoutKind(r.observation);
    if (why === 'connect' ? connect++ >= PROBE_CONNECT_RETRIES : why !== 'silent' || silent++ >= silentRetries(opts)) return r;
    const again = await probeRaced(all, ep, opts);
    (again.observation.evidence.notes ??= []).unshift(
      why === 'connect'
        ? `probed again: the probe's connect got no answer after the connect phase saw this endpoint accept (a lost SYN or a busy server)`
        : `probed again: the first probe received nothing before its deadline (a lost packet or a busy server)`,
    );
    r = again;
  }
}

/** Silent probes are probed again only on a run that has seen loss (no hedge plan: assume it has). */
function silentRetries(opts: ProbeRunOptions): number {
  return (opts.hedge?.budget.wins ?? 1) > 0 ? PROBE_SILENT_RETRIES : 0;
}

/** probeEndpoint, hedged on a lossy link (probe-race.ts); never when default credentials are tried. */
function probeRaced(all: AuditOptions['probes'], ep: Endpoint, opts: ProbeRunOptions): ReturnType<typeof probeEndpoint> {
  const plan = opts.hedge && opts.hedge.extra > 0 && !opts.tryDefaultCredentials ? opts.hedge : undefined;
  return probeRace((signal) => probeEndpoint(all, ep, { ...opts, signal }), opts.signal, plan);
}

/** A timeout while connecting, or after connecting with nothing received (run-probe.ts notes the phase). */
function timeoutKind(o: Observation): 'connect' | 'silent' | undefined {
  if (o.status !== 'timeout' || o.error?.code !== 'EA_TIMEOUT') return undefined;
  const notes = o.evidence.notes ?? [];
  if (notes.includes('failed during connect')) return 'connect';
  return notes.includes('failed during read') && o.evidence.reply === undefined ? 'silent' : undefined;
}
