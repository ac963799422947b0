import { statuses, type Status } from '../types.js';

/**
 * Not tested: no verdict on authentication (the port refused, stayed silent, or the probe failed). Reports count
 * and list these apart, so "not tested" never reads as "safe".
 */
export const notTestedStatuses: readonly Status[] = ['closed', 'timeout', 'error'];

export function isNotTested(status: Status): boolean {
  return notTestedStatuses.includes(status);
}

/**
 * Tested, no service: the connect was refused (`closed`) or dropped (`filtered`, when the engine reports it). At
 * fleet size most endpoints are these, so every renderer summarises them per host (listed one by one only with
 * `--all-endpoints`). Listed by name and kept to the statuses that exist, so a status added with this meaning
 * needs its name here and no renderer change.
 */
const noServiceNames: readonly string[] = ['closed', 'filtered'];
export const noServiceStatuses: readonly Status[] = statuses.filter((s) => noServiceNames.includes(s));

export function isNoService(status: Status): boolean {
  return noServiceStatuses.includes(status);
}

/**
 * Reached a verdict, for the continuous layer (is a baseline finding resolved?): closed counts (refused is a
 * verdict on the port), timeout and error do not.
 */
export function reachedVerdict(status: Status): boolean {
  return status !== 'timeout' && status !== 'error';
}

/**
 * Could not be tested, for `--fail-on-untested`: no verdict at all (timeout, error: a lost route, a name that did
 * not resolve, a probe that failed). Closed (refused) is a verdict on the port, and so is every status that is not
 * timeout or error (a coming `filtered` included): this is `reachedVerdict`'s complement, not a second rule.
 */
export function untestedCount(byStatus: Readonly<Partial<Record<Status, number>>>): number {
  let n = 0;
  for (const [s, count] of Object.entries(byStatus) as Array<[Status, number | undefined]>) if (!reachedVerdict(s)) n += count ?? 0;
  return n;
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
