import type { Probe } from '../probe.js';
import type { EndpointResult } from '../types.js';
import type { TwoPhaseOptions } from './two-phase-options.js';

export interface AuditOptions extends TwoPhaseOptions {
  /** Deadline for one probe attempt on one endpoint, connect included. */
  timeoutMs: number;
  connectTimeoutMs: number;
  concurrency: number;
  perHostConcurrency: number;
  /** Byte cap per probe attempt. */
  maxBytes: number;
  sourceAddress?: string;
  caps?: { items: number; fields: number };
  /** Opt-in: read at most this many rows/documents/values per sensitive-looking source, scan them for secrets. */
  sampleRows?: number;
  /** Opt-in: try each product's documented default credential once (--try-default-credentials). */
  tryDefaultCredentials?: boolean;
  signal?: AbortSignal;
  /** The probes to run (the CLI passes the registry's). */
  probes: readonly Probe[];
  /**
   * Each result as it completes (in completion order, not inventory order): `index` is its place in `endpoints`.
   * With `keepResults: false` this is the only place results go.
   */
  onResult?: (result: EndpointResult, done: number, total: number, index: number) => void;
  /** Default true: the run's `results` array holds every result. False: results go to onResult only, `results` is empty. */
  keepResults?: boolean;
}

export const auditDefaults = {
  timeoutMs: 3_000,
  connectTimeoutMs: 2_000,
  concurrency: 64,
  perHostConcurrency: 8,
  maxBytes: 1024 * 1024,
  caps: { items: 500, fields: 200 },
} as const;

export interface AuditRun {
  /** In inventory order; empty when the run was made with `keepResults: false`. */
  results: EndpointResult[];
  /** False when the run was interrupted: endpoints not reached carry status error / EA_ABORTED. */
  complete: boolean;
  startedAt: Date;
  finishedAt: Date;
}
