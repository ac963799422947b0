import type { Endpoint } from '../types.js';
import { runTwoPhase, type EndpointSource } from './two-phase.js';
import type { AuditOptions, AuditRun } from './audit-options.js';

export { auditDefaults, type AuditOptions, type AuditRun } from './audit-options.js';

/**
 * Audits every endpoint: a connect phase decides closed and filtered, only endpoints that accepted are probed
 * (two-phase.ts). An array is read as a lazy source of its own length.
 */
export function runAudit(source: readonly Endpoint[] | EndpointSource, options: AuditOptions): Promise<AuditRun> {
  const isArray = (s: readonly Endpoint[] | EndpointSource): s is readonly Endpoint[] => Array.isArray(s);
  return runTwoPhase(isArray(source) ? { count: source.length, [Symbol.iterator]: () => source[Symbol.iterator]() } : source, options);
}
