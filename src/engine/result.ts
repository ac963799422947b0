import type { Endpoint, EndpointResult, Observation } from '../types.js';

/**
 * `{ ...ep, probe, ...observation, durationMs }`, same keys in the same order, built with Object.assign: V8 gave
 * every spread result a hidden class of its own (about 300 bytes each, held until the report is written). Endpoint
 * fields that are probe input, not report output (declared buckets, whether ports were declared, an unresolved
 * name's code) are left out: the report's schema has no place for them.
 */
export function resultOf(ep: Endpoint, probe: string, observation: Observation, durationMs: number): EndpointResult {
  const result = Object.assign({}, ep, { probe }, observation, { durationMs }) as EndpointResult &
    Partial<Pick<Endpoint, 'buckets' | 'portDeclared' | 'unresolved'>>;
  if (ep.buckets) delete result.buckets;
  if (ep.portDeclared !== undefined) delete result.portDeclared;
  if (ep.unresolved !== undefined) delete result.unresolved;
  return result;
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
