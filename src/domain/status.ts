import type { Status } from '../types.js';

/**
 * Not tested: no verdict on authentication (the port refused, stayed silent, or the probe failed). Reports count
 * and list these apart, so "not tested" never reads as "safe".
 */
export const notTestedStatuses: readonly Status[] = ['closed', 'timeout', 'error'];

export function isNotTested(status: Status): boolean {
  return notTestedStatuses.includes(status);
}

/**
 * Reached a verdict, for the continuous layer (is a baseline finding resolved?): closed counts (refused is a
 * verdict on the port), timeout and error do not.
 */
export function reachedVerdict(status: Status): boolean {
  return status !== 'timeout' && status !== 'error';
}
