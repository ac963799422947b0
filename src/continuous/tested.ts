import { endpointKey } from '../domain/finding.js';
import { provesResolved } from '../domain/status.js';
import type { Report, ReportEndpoint } from '../report/schema.js';

/** What suppressions match on besides the finding itself: how the endpoint was declared. */
export type EndpointIdentity = Pick<ReportEndpoint, 'declaredHost' | 'hostname'>;

export { endpointKey };

/**
 * What the continuous layer (diff, state, suppressions) needs to know about this run's endpoints besides its
 * findings. A report held in memory answers from its endpoints (testedFromReport); a streamed run, whose
 * endpoints are never all in memory, from what a TestedRecorder kept as they went by.
 */
export interface TestedEndpoints {
  /** The endpoint (`endpointKey`) reached a verdict that proves a finding gone from it resolved (`provesResolved`). */
  retested(key: string): boolean;
  /** The endpoint a finding of this run came from. */
  endpoint(key: string): EndpointIdentity | undefined;
}

export function testedFromReport(report: Pick<Report, 'endpoints'>): TestedEndpoints {
  let retested: Set<string> | undefined;
  let byKey: Map<string, ReportEndpoint> | undefined;
  return {
    retested: (key) => (retested ??= new Set(report.endpoints.filter((e) => provesResolved(e.status)).map(endpointKey))).has(key),
    endpoint: (key) => (byKey ??= new Map(report.endpoints.map((e) => [endpointKey(e), e]))).get(key),
  };
}

/**
 * Keeps, as results stream past, only what the continuous layer will ask about: whether each `watched` endpoint
 * (one a finding of the baseline or of the state file sits on) reached a verdict that proves a fix, and how each endpoint that gave
 * a finding was declared. Memory grows with the findings, old and new, not with the endpoints.
 */
export class TestedRecorder implements TestedEndpoints {
  readonly #watched: ReadonlySet<string>;
  readonly #retested = new Set<string>();
  readonly #identities = new Map<string, EndpointIdentity>();

  constructor(watched: Iterable<string>) {
    this.#watched = new Set(watched);
  }

  /** One redacted result; `gaveFinding` when the classifier made a finding of it. */
  note(e: Pick<ReportEndpoint, 'host' | 'port' | 'service' | 'status' | 'declaredHost' | 'hostname'>, gaveFinding: boolean): void {
    if (!gaveFinding && !this.#watched.size) return;
    const key = endpointKey(e);
    if (provesResolved(e.status) && this.#watched.has(key)) this.#retested.add(key);
    if (gaveFinding)
      this.#identities.set(key, { declaredHost: e.declaredHost, ...(e.hostname !== undefined ? { hostname: e.hostname } : {}) });
  }

  /** Only watched endpoints are known: the diff and the state ask about no other. */
  retested(key: string): boolean {
    return this.#retested.has(key);
  }

  endpoint(key: string): EndpointIdentity | undefined {
    return this.#identities.get(key);
  }
}
