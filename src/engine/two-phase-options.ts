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
  /** Connect attempts before an endpoint is called filtered (default 2). */
  connectAttempts?: number;
}
