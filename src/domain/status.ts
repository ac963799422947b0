import { statuses, type Status } from '../types.js';

/** What one endpoint status means, for every output and for the continuous layer. */
export interface StatusMeaning {
  /** One line, shown beside the status in every report (table legend, Markdown, HTML, README). */
  meaning: string;
  /**
   * Tested: the endpoint reached a verdict in this run (the service answered, or the connect was refused or got no
   * answer). The complement is "not tested" — summary.notTested, the banners, JUnit `skipped`, the metric
   * `exposure_audit_endpoints_not_tested`, `--fail-on-untested` and its stderr line all count exactly these.
   */
  tested: boolean;
  /**
   * Proves a finding resolved: a finding of an earlier run that is gone from an endpoint with this status is fixed
   * (positive evidence: the service answered and no longer shows it, or the port actively refuses connections). A
   * dropped connect (`filtered`) is tested but proves nothing: a busy server or a lost packet looks the same.
   */
  provesResolved: boolean;
  /** Tested, no service: summarised per host by every renderer (listed one by one only with `--all-endpoints`). */
  noService: boolean;
}

/**
 * The one table of status meanings. Every renderer, the summary, the diff, the state file, metrics and
 * `--fail-on-untested` read it through the predicates below; README.md's status table is generated from it
 * (scripts/gen-status-table.ts) and test/unit/domain/status-table.test.ts checks the README holds that output.
 */
export const statusTable: Readonly<Record<Status, StatusMeaning>> = {
  exposed: { meaning: 'answers without credentials', tested: true, provesResolved: true, noService: false },
  'auth-required': { meaning: 'asks for credentials', tested: true, provesResolved: true, noService: false },
  denied: { meaning: 'refuses this client without asking for credentials', tested: true, provesResolved: true, noService: false },
  'not-detected': { meaning: 'something else answers on this port', tested: true, provesResolved: true, noService: false },
  closed: { meaning: 'tested, no service: connection refused', tested: true, provesResolved: true, noService: true },
  filtered: {
    meaning: 'tested, no service: no answer to the connect (a firewall drops it), not reachable from this vantage point',
    tested: true,
    provesResolved: false,
    noService: true,
  },
  timeout: { meaning: 'not tested: accepted, then no reply in time', tested: false, provesResolved: false, noService: false },
  error: {
    meaning: 'not tested: the probe failed (reset, TLS, garbage, busy, probe bug)',
    tested: false,
    provesResolved: false,
    noService: false,
  },
};

export const statusMeaning = (status: Status): string => statusTable[status].meaning;

/** Not tested: no verdict on authentication. Reports count and list these apart, so "not tested" never reads as "safe". */
export const notTestedStatuses: readonly Status[] = statuses.filter((s) => !statusTable[s].tested);

export function isNotTested(status: Status): boolean {
  return !statusTable[status].tested;
}

/** The not-tested statuses in words, for every "N not tested (timeout or error)". */
export const notTestedWords = notTestedStatuses.join(' or ');

/** Tested, no service (closed, filtered): at fleet size most endpoints are these, so every renderer summarises them per host. */
export const noServiceStatuses: readonly Status[] = statuses.filter((s) => statusTable[s].noService);

export function isNoService(status: Status): boolean {
  return statusTable[status].noService;
}

/**
 * A finding gone from an endpoint with this status is resolved (the diff's `resolved`, the state file's fixed). Any
 * other status leaves it "not retested": open, not evidence of a fix.
 */
export function provesResolved(status: Status): boolean {
  return statusTable[status].provesResolved;
}

/** Why a baseline finding is "not retested", in words from the table: "filtered, timeout, error, interrupted, not in this run". */
export const notRetestedWhy = `${statuses.filter((s) => !statusTable[s].provesResolved).join(', ')}, interrupted, not in this run`;

/** Endpoints not tested, from counts per status: the summary's `notTested` and `--fail-on-untested` both count this. */
export function untestedCount(byStatus: Readonly<Partial<Record<Status, number>>>): number {
  return notTestedStatuses.reduce((n, s) => n + (byStatus[s] ?? 0), 0);
}

/**
 * The stderr line of `--fail-on-untested`: the summary's own count (the number the summary line, the banners, JSON
 * and metrics show), then the count per not-tested status.
 */
export function untestedMessage(
  summary: { endpoints: number; notTested: number; byStatus: Readonly<Partial<Record<Status, number>>> },
  t: UntestedThreshold,
): string {
  const by = notTestedStatuses.map((s) => `${s} ${summary.byStatus[s] ?? 0}`).join(', ');
  return `${summary.notTested} of ${summary.endpoints} endpoints could not be tested (${by}), over --fail-on-untested ${'count' in t ? t.count : `${t.percent}%`}`;
}

/** `--fail-on-untested` threshold: more than `count` endpoints, or more than `percent` % of them, untested fails. */
export type UntestedThreshold = { count: number } | { percent: number };

export function parseUntestedThreshold(v: string): UntestedThreshold | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2]) return n <= 100 ? { percent: n } : undefined;
  return Number.isInteger(n) ? { count: n } : undefined;
}

/** True when the untested endpoints are over the threshold. */
export function failsOnUntested(untested: number, endpoints: number, t: UntestedThreshold): boolean {
  return 'count' in t ? untested > t.count : untested * 100 > t.percent * endpoints;
}
