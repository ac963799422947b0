import type { Severity } from '../types.js';
import { compareSeverity } from './severity.js';

/**
 * The endpoint a finding sits on, as one key (`host|port|service`): what the diff, the state file and the engine's
 * re-check of known exposures (RunConfig.knownExposures) ask about.
 */
export const endpointKey = (e: { host: string; port: number; service: string }): string => `${e.host}|${e.port}|${e.service}`;

/** What the finding order reads. */
export interface Sortable {
  severity: Severity;
  host: string;
  port: number;
  fingerprint?: string;
}

/**
 * The one finding order: worst first, then host and port; then the fingerprint (a stable tie-break for findings of
 * a report read back), or the caller's `tie` (a run's inventory order).
 */
export function compareFindings(a: Sortable, b: Sortable, tie?: number): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    a.host.localeCompare(b.host) ||
    a.port - b.port ||
    (tie ?? (a.fingerprint !== undefined && b.fingerprint !== undefined ? a.fingerprint.localeCompare(b.fingerprint) : 0))
  );
}
