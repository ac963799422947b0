import type { Report } from './schema.js';

/**
 * What an interrupted run's report says about what it left out, in every renderer's banner: endpoints never
 * started are one count (run.notStarted), not one row each; those caught in flight are rows with status error.
 */
export function interruptedText(run: Report['run']): string {
  const never = run.notStarted ? `${run.notStarted} endpoint${run.notStarted === 1 ? ' was' : 's were'} never started (not listed); ` : '';
  return `the run was interrupted: ${never}endpoints caught in flight are reported as error (not tested), not as safe.`;
}
