import { severities, type Severity } from '../types.js';

/**
 * The one severity order. `severities` (types.ts) lists them worst first; the rank counts up from info, so a
 * higher rank is worse: info 0, low 1, medium 2, high 3, critical 4.
 */
export function severityRank(s: Severity): number {
  return severities.length - 1 - severities.indexOf(s);
}

/** Sort comparator, worst first (critical before info). */
export function compareSeverity(a: Severity, b: Severity): number {
  return severityRank(b) - severityRank(a);
}

/** `s` raised `by` levels, never above critical. */
export function raiseSeverity(s: Severity, by = 1): Severity {
  return severities[Math.max(0, severities.indexOf(s) - by)]!;
}

/** True when `s` is at or above `floor`. */
export function atLeast(s: Severity, floor: Severity): boolean {
  return severityRank(s) >= severityRank(floor);
}

/** The worse of two severities. */
export function worseOf(a: Severity, b: Severity): Severity {
  return atLeast(a, b) ? a : b;
}

/** Exit code 1 when any finding is at or above `failOn`. Suppressed findings (an accepted risk in force) do not count. */
export function failsAt(report: { findings: ReadonlyArray<{ severity: Severity; suppressed?: unknown }> }, failOn: Severity): boolean {
  return report.findings.some((f) => !f.suppressed && atLeast(f.severity, failOn));
}
