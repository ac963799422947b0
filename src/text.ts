import { closest as closestList } from './domain/suggest.js';

/**
 * Small wording helpers shared by the CLI and the renderers: one place for plurals and for "did you mean".
 */

/** "1 finding", "2 findings", "0 findings"; irregular plurals passed explicitly ("1 was", "2 were" style too). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one closest candidate (the edit-distance rule lives in src/domain/suggest.ts), else undefined. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  return closestList(input, candidates, 1)[0];
}

/** " (did you mean redis?)" or "": the short form, for messages that list nothing else. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const c = closest(input, candidates);
  return c && c !== input ? ` (did you mean ${c}?)` : '';
}
