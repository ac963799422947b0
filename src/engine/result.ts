import type { Endpoint, EndpointResult, Observation } from '../types.js';

/** Endpoint fields that are probe input, not report output: the report's schema has no place for them. */
const probeInputOnly = new Set(['buckets', 'portDeclared', 'unresolved']);

/**
 * `{ ...ep, probe, ...observation, durationMs }` without the probe-input fields, same keys in the same order. Built
 * by assignment in key order: V8 gave every spread result a hidden class of its own (about 300 bytes each, held
 * until the report is written), and deleting the left-out keys afterwards turned each result into a dictionary
 * (a sweep of 65,536 refused ports spent 190 ms here, and more again walking the slow objects to redact them).
 */
export function resultOf(ep: Endpoint, probe: string, observation: Observation, durationMs: number): EndpointResult {
  const result: Record<string, unknown> = {};
  for (const k in ep) if (!probeInputOnly.has(k)) result[k] = ep[k as keyof Endpoint];
  result.probe = probe;
  for (const k in observation) result[k] = observation[k as keyof Observation];
  result.durationMs = durationMs;
  return result as unknown as EndpointResult;
}

/** The result of an endpoint whose declared name did not resolve: not tested, the rest of the run goes on. */
export function unresolvedResult(ep: Endpoint): EndpointResult {
  const message = `not tested: ${ep.declaredHost} did not resolve (${ep.unresolved})`;
  return resultOf(
    ep,
    '-',
    { status: 'error', evidence: { requests: [], notes: [message] }, facts: {}, error: { code: 'EA_DNS', message } },
    0,
  );
}

/** The result of an endpoint the run did not reach because it was interrupted: not tested. */
export function abortedResult(ep: Endpoint): EndpointResult {
  const message = 'not tested: the run was interrupted';
  return resultOf(
    ep,
    '-',
    { status: 'error', evidence: { requests: [], notes: [message] }, facts: {}, error: { code: 'EA_ABORTED', message } },
    0,
  );
}
