import { EaError, isEaError } from '../errors.js';
import { HttpClient } from '../net/http.js';
import { deadlineCapFactor, type Limits } from '../net/limits.js';
import type { Probe, ProbeContext, ProbeResult } from '../probe.js';
import { redactedExcerpt } from '../risk/redact.js';
import type { Endpoint, Observation, ProbeTarget, Status } from '../types.js';
import { boundObservation } from './bound.js';
import type { HedgePlan } from './hedge.js';
import { probeSessions } from './probe-sessions.js';

export interface ProbeRunOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  sourceAddress?: string;
  caps: { items: number; fields: number };
  /** Opt-in sampling: rows per source (0 = metadata only). */
  sampleRows?: number;
  /** Opt-in: documented default credentials, once per product (ProbeContext.tryDefaultCredentials). */
  tryDefaultCredentials?: boolean;
  /** The run's memory of default-credential attempts (`host:port:product`): at most one per host:port and product. */
  credentialAttempts?: Set<string>;
  signal: AbortSignal;
  http: HttpClient;
  /**
   * Absolute deadline (ms since epoch) shared by every attempt on this endpoint: candidate probes and TLS retries
   * spend one budget. probeEndpoint sets it; runProbeOnce alone defaults to now + timeoutMs.
   */
  deadline?: number;
  /** Hedges for the probe's own TCP connects (hedge.ts); none when absent. */
  hedge?: HedgePlan;
}

/** How an error that escaped a probe reads as a verdict: refused = closed; silence = timeout; the rest = error. */
export function statusForError(err: EaError): Status {
  if (err.code === 'EA_REFUSED') return 'closed';
  if (err.code === 'EA_TIMEOUT') return 'timeout';
  return 'error';
}

/** Claims `host:port:key` in the run's set: true the first time only. */
function firstAttempt(attempts: Set<string>, target: ProbeTarget): (key: string) => boolean {
  return (key) => {
    const k = `${target.host}:${target.port}:${key}`;
    if (attempts.has(k)) return false;
    attempts.add(k);
    return true;
  };
}

function limitsFor(opts: ProbeRunOptions): Limits {
  const deadline = opts.deadline ?? Date.now() + opts.timeoutMs;
  return {
    deadline,
    // Body bytes earn time (net/limits.ts): a large reply still flowing is the server answering, not a timeout.
    cap: deadline + (deadlineCapFactor - 1) * opts.timeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs,
    maxBytes: opts.maxBytes,
    signal: opts.signal,
    ...(opts.sourceAddress ? { localAddress: opts.sourceAddress } : {}),
  };
}

/**
 * Runs one probe against one target under one deadline. Whatever the probe or the peer does, this returns an
 * observation: refused → closed, deadline → timeout, any other failure (a probe bug included) → error.
 */
export async function runProbeOnce(probe: Probe, target: ProbeTarget, opts: ProbeRunOptions): Promise<Observation & { bytesRead: number }> {
  const limits = limitsFor(opts);
  // One byte budget for the whole attempt, across every session and request: --max-bytes is per attempt.
  let bytesRead = 0;
  const left = () => Math.max(0, opts.maxBytes - bytesRead);
  const tcp = probeSessions(target, limits, { left, spend: (n) => (bytesRead += n) }, opts.hedge);
  const sent = tcp.sent;
  let httpTls = false;
  const usedTls = () => httpTls || tcp.usedTls();
  const ctx: ProbeContext = {
    limits,
    caps: opts.caps,
    sample: { rows: opts.sampleRows ?? 0, sources: 10 },
    ...(opts.tryDefaultCredentials ? { tryDefaultCredentials: true } : {}),
    ...(opts.credentialAttempts ? { firstCredentialAttempt: firstAttempt(opts.credentialAttempts, target) } : {}),
    tcp: tcp.tcp,
    async http(req) {
      if (left() === 0) throw new EaError('EA_TOO_LARGE', `the ${opts.maxBytes}-byte budget of this probe attempt is spent`);
      sent.push(`${req.method ?? 'GET'} ${req.path}`);
      httpTls ||= target.tls;
      const res = await opts.http.request(target, { ...req, maxBytes: Math.min(req.maxBytes ?? Infinity, left()) }, limits);
      bytesRead += res.body.length;
      return res;
    },
  };
  const finish = (result: ProbeResult) => {
    const evidence = { ...result.evidence, requests: sent };
    if (usedTls()) evidence.tls = true;
    return { ...boundObservation({ ...result, evidence }, opts.caps), bytesRead };
  };
  try {
    return finish(await probe.run(target, ctx));
  } catch (err) {
    // The first reply was not this protocol (an HTTP server, a banner, garbage): wrong service, not a failure.
    const absent = tcp.notThisProtocol(err);
    if (absent) return finish(absent);
    const e = isEaError(err)
      ? err
      : new EaError('EA_PROBE_CRASH', `probe ${probe.meta.id} crashed: ${(err as Error)?.message ?? String(err)}`, {}, { cause: err });
    const evidence: Observation['evidence'] = { requests: sent };
    if (usedTls()) evidence.tls = true;
    if (e.details.partial?.length) {
      // Redacted before it is cut: a token cut by the excerpt would no longer match.
      evidence.reply = redactedExcerpt(e.details.partial.toString('utf8'), 200);
      bytesRead = Math.max(bytesRead, e.details.partial.length);
    }
    if (e.code === 'EA_TOO_LARGE') evidence.truncated = true;
    if (e.details.phase) evidence.notes = [`failed during ${e.details.phase}`];
    return {
      ...boundObservation({ status: statusForError(e), evidence, facts: {}, error: { code: e.code, message: e.message } }, opts.caps),
      bytesRead,
    };
  } finally {
    // The engine owns every session: whatever the probe returned or threw, nothing stays open.
    tcp.closeAll();
  }
}

/** Closed or reset without a byte: what a TLS-only port does to plaintext (and vice versa). */
function looksLikeWrongTls(o: Observation & { bytesRead: number }): boolean {
  return o.status === 'error' && o.bytesRead === 0 && ['EA_CLOSED', 'EA_RESET', 'EA_TLS', 'EA_PROTOCOL'].includes(o.error?.code ?? '');
}

/** Statuses from most to least conclusive, to choose among several probes of one service on one port. */
const rank: Status[] = ['exposed', 'auth-required', 'denied', 'not-detected', 'error', 'timeout', 'closed'];

/**
 * Probes to try on a port, in order: those whose default ports include it first. On a service's default port (not
 * written in the inventory) only those run; on a port the inventory declares, every probe of the service runs after
 * them (an open etcd on a declared `http: [8080]` must not be missed because another product names 8080); on any
 * other port, all of the service's. probeEndpoint stops at the first conclusive verdict.
 */
export function candidateProbes(all: readonly Probe[], endpoint: Pick<Endpoint, 'service' | 'port' | 'portDeclared'>): Probe[] {
  const mine = all.filter((p) => p.meta.service === endpoint.service);
  const exact = mine.filter((p) => p.meta.defaultPorts.includes(endpoint.port));
  if (!exact.length) return mine;
  return endpoint.portDeclared ? [...exact, ...mine.filter((p) => !exact.includes(p))] : exact;
}

export async function probeEndpoint(
  all: readonly Probe[],
  endpoint: Endpoint,
  opts: ProbeRunOptions,
): Promise<{ probe: string; observation: Observation }> {
  const candidates = candidateProbes(all, endpoint);
  // Loading the HTTP client (undici, at the run's first HTTP probe: ~110 ms idle, a second on a loaded machine) is
  // this process's time, not the server's: done before the endpoint's deadline starts, so no probe sees it as spent.
  if (candidates.some((p) => p.meta.transport === 'http')) await opts.http.ready();
  // One deadline for the endpoint: every candidate probe and every TLS retry spends the same budget, so a peer that
  // stays silent and closes just before the deadline costs one --timeout, not one per attempt.
  const shared: ProbeRunOptions = { ...opts, deadline: opts.deadline ?? Date.now() + opts.timeoutMs };
  const spent = () => Date.now() >= shared.deadline!;
  let best: { probe: string; observation: Observation } | undefined;
  for (const probe of candidates) {
    if (best && (spent() || opts.signal.aborted)) {
      (best.observation.evidence.notes ??= []).push(
        `the endpoint's ${opts.timeoutMs} ms budget was spent before ${probe.meta.id} could be tried`,
      );
      break;
    }
    const tls = probe.meta.tlsPorts?.includes(endpoint.port) ?? false;
    const target: ProbeTarget = {
      host: endpoint.host,
      port: endpoint.port,
      tls,
      ...(endpoint.hostname ? { hostname: endpoint.hostname } : {}),
      ...(endpoint.buckets ? { buckets: endpoint.buckets } : {}),
    };
    let obs = await runProbeOnce(probe, target, shared);
    if (probe.meta.tls === 'optional' && looksLikeWrongTls(obs) && !opts.signal.aborted && !spent()) {
      const retry = await runProbeOnce(probe, { ...target, tls: !tls }, shared);
      if (retry.status !== 'error' || !looksLikeWrongTls(retry)) {
        retry.evidence.requests = [...obs.evidence.requests, ...retry.evidence.requests];
        (retry.evidence.notes ??= []).push(`${tls ? 'TLS' : 'plaintext'} got no reply; retried over ${tls ? 'plaintext' : 'TLS'}`);
        obs = retry;
      }
    }
    const { bytesRead: _b, ...observation } = obs;
    if (!best || rank.indexOf(observation.status) < rank.indexOf(best.observation.status)) best = { probe: probe.meta.id, observation };
    // Nothing listens, or nothing answers: another protocol on the same port would cost the same again.
    if (observation.status === 'closed' || observation.status === 'timeout') break;
    // A verdict is known: stop trying.
    if (observation.status === 'exposed' || observation.status === 'auth-required' || observation.status === 'denied') break;
  }
  return best!;
}
