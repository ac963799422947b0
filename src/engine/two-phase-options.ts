import type { Endpoint } from '../types.js';

/** A lazy endpoint list: its count is known, its endpoints are produced as they are taken. */
export interface EndpointSource extends Iterable<Endpoint> {
  readonly count: number;
}

export interface TwoPhaseOptions {
  /** Connects in flight in the connect phase (default: from the open-files limit, see net/fd-limit.ts). */
  connectConcurrency?: number;
  /** Connects started per second, at most (fragile networks, IDS thresholds). Default: unlimited. */
  rate?: number;
  /** Lowest adaptive connect timeout (rtt.ts). */
  connectFloorMs?: number;
  /**
   * Connects per endpoint at most, the first and its hedges started one adaptive timeout apart, all ending at one
   * deadline (connect-phase.ts; default 3, or 1 with --rate: a paced run sends no extra SYN).
   */
  connectAttempts?: number;
}
