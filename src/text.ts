/**
 * Small wording helpers shared by the CLI and the renderers: one place for plurals and for "did you mean".
 */

/** "1 finding", "2 findings", "0 findings"; irregular plurals passed explicitly ("1 was", "2 were" style too). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Levenshtein distance (insert, delete, substitute), case-insensitive; small inputs only (names, commands). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[t.length]!;
}

/** The closest candidate within a distance of a third of the word's length (at least 1), else undefined. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(input.length / 3));
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = c.toLowerCase().startsWith(input.toLowerCase()) && input.length >= 3 ? 0.5 : editDistance(input, c);
    if (d <= limit && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

/** " (did you mean redis?)" or "". */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const c = closest(input, candidates);
  return c && c !== input ? ` (did you mean ${c}?)` : '';
}
