import { setMaxListeners } from 'node:events';
import { HttpClient } from '../net/http.js';
import type { Endpoint, EndpointResult } from '../types.js';
import { resultOf, unresolvedResult } from './result.js';
import { probeEndpoint } from './run-probe.js';
import { runTwoPhase, type EndpointSource } from './two-phase.js';
import { probeConfig } from '../domain/run-config.js';
import type { AuditOptions, AuditRun } from './audit-options.js';

export { auditDefaults, type AuditOptions, type AuditRun } from './audit-options.js';

export async function runAudit(source: readonly Endpoint[] | EndpointSource, options: AuditOptions): Promise<AuditRun> {
  const isArray = (s: readonly Endpoint[] | EndpointSource): s is readonly Endpoint[] => Array.isArray(s);
  if (options.connectPhase !== false)
    return runTwoPhase(isArray(source) ? { count: source.length, [Symbol.iterator]: () => source[Symbol.iterator]() } : source, options);
  const endpoints: readonly Endpoint[] = isArray(source) ? source : [...source];
  const startedAt = new Date();
  const signal = options.signal ?? new AbortController().signal;
  // Every probe in flight listens for the interrupt: above 10 Node prints a false "possible memory leak" warning.
  setMaxListeners(Math.max(10, options.concurrency * 4), signal);
  const http = new HttpClient({
    connectTimeoutMs: options.connectTimeoutMs,
    ...(options.sourceAddress ? { localAddress: options.sourceAddress } : {}),
  });
  const all = options.probes;
  const keep = options.keepResults ?? true;
  const results = keep ? new Array<EndpointResult>(endpoints.length) : [];
  let done = 0;
  const auditOne = async (i: number): Promise<void> => {
    const ep = endpoints[i]!;
    const t0 = performance.now();
    let result: EndpointResult;
    if (signal.aborted) {
      result = resultOf(
        ep,
        '-',
        {
          status: 'error',
          evidence: { requests: [], notes: ['not tested: the run was interrupted'] },
          facts: {},
          error: { code: 'EA_ABORTED', message: 'not tested: the run was interrupted' },
        },
        0,
      );
    } else if (ep.unresolved) {
      // The declared name did not resolve: this target is not tested, the rest of the run goes on (--strict fails fast).
      result = unresolvedResult(ep);
    } else {
      const { probe, observation } = await probeEndpoint(all, ep, { ...probeConfig(options), signal, http });
      result = resultOf(ep, probe, observation, Math.round(performance.now() - t0));
    }
    if (keep) results[i] = result;
    options.onResult?.(result, ++done, endpoints.length, i);
  };
  try {
    await feed(endpoints, options.concurrency, options.perHostConcurrency, auditOne);
  } finally {
    await http.close();
  }
  return { results, complete: !signal.aborted, startedAt, finishedAt: new Date() };
}

/**
 * Hands endpoints to the scheduler a few at a time, never more than `concurrency` at once nor more than `perHost`
 * per host, so scheduling costs the same however long the inventory is. Scheduling every endpoint up front cost about
 * 3.5 KB each (a pending promise chain, and a per-host limiter for every host) before the first probe ran: 231 MB for
 * 65,536 endpoints. An endpoint whose host is busy waits as an index, and the next host is served, so one slow host
 * never holds the others up. Resolves when every task has; rejects on the first task that throws. The one limiter on
 * this path: the global and the per-host limits are both kept here.
 */
export function feed(
  endpoints: readonly { host: string }[],
  concurrency: number,
  perHost: number,
  run: (i: number) => Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const busy = new Map<string, number>();
    const waiting = new Map<string, { list: number[]; head: number }>();
    let cursor = 0;
    let inFlight = 0;
    let failed = false;
    const start = (i: number): void => {
      const host = endpoints[i]!.host;
      busy.set(host, (busy.get(host) ?? 0) + 1);
      inFlight++;
      run(i).then(
        () => {
          inFlight--;
          const left = busy.get(host)! - 1;
          if (left === 0) busy.delete(host);
          else busy.set(host, left);
          // The host just freed a slot: its next waiting endpoint goes first.
          const w = waiting.get(host);
          if (w && !failed) {
            const next = w.list[w.head++]!;
            if (w.head === w.list.length) waiting.delete(host);
            start(next);
          }
          pump();
        },
        (err: unknown) => {
          failed = true;
          reject(err);
        },
      );
    };
    const pump = (): void => {
      while (!failed && inFlight < concurrency && cursor < endpoints.length) {
        const i = cursor++;
        const host = endpoints[i]!.host;
        if ((busy.get(host) ?? 0) < perHost && !waiting.has(host)) {
          start(i);
        } else {
          const w = waiting.get(host);
          if (w) w.list.push(i);
          else waiting.set(host, { list: [i], head: 0 });
        }
      }
      if (!failed && inFlight === 0 && cursor >= endpoints.length && waiting.size === 0) resolve();
    };
    pump();
  });
}
