import { runDefaults, type RunConfig } from '../domain/run-config.js';
import type { Probe } from '../probe.js';
import type { EndpointResult } from '../types.js';
import type { TwoPhaseOptions } from './two-phase-options.js';

/** A run: its resolved configuration (domain/run-config.ts: resolveRunConfig) and what is only known at run time. */
export interface AuditOptions extends RunConfig, Omit<TwoPhaseOptions, keyof RunConfig> {
  signal?: AbortSignal;
  /** The probes to run (the CLI passes the registry's). */
  probes: readonly Probe[];
  /**
   * Each result as it completes (in completion order, not inventory order): `index` is its place in `endpoints`.
   * With `keepResults: false` this is the only place results go.
   */
  onResult?: (result: EndpointResult, done: number, total: number, index: number) => void;
  /**
   * The re-check pass starts (engine/recheck.ts): this many known exposures got no verdict that proves anything in
   * the main pass and are probed again with the full timeout before their rows are reported.
   */
  onRecheck?: (count: number) => void;
  /** Default true: the run's `results` array holds every result. False: results go to onResult only, `results` is empty. */
  keepResults?: boolean;
}

/** The built-in defaults (their one home is domain/run-config.ts). */
export const auditDefaults = runDefaults;

export interface AuditRun {
  /** In inventory order; empty when the run was made with `keepResults: false`. */
  results: EndpointResult[];
  /** False when the run was interrupted: endpoints not reached carry status error / EA_ABORTED. */
  complete: boolean;
  startedAt: Date;
  finishedAt: Date;
}
