/**
 * The one edit-distance helper: "did you mean" for names a user typed (services, targets, commands).
 * Levenshtein distance (insert, delete, substitute: cost 1 each), case-insensitive.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The closest candidates to `typed` (at most a third of its length away, at least 1 edit allowed; a prefix counts
 * too), best first. Empty when nothing is close: then list what there is instead.
 */
export function closest(typed: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  const scored: Array<[string, number]> = [];
  for (const c of new Set(candidates)) {
    const d = editDistance(typed, c);
    if (d <= limit || (typed.length >= 3 && c.toLowerCase().startsWith(typed.toLowerCase()))) scored.push([c, d]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([c]) => c);
}

/** ` (did you mean "redis"?)`, or ` (known: a, b, c)` when nothing is close; '' when there are no candidates. */
export function didYouMean(typed: string, candidates: readonly string[], noun = ''): string {
  const near = closest(typed, candidates);
  if (near.length) return ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)`;
  if (!candidates.length) return '';
  const shown = candidates.slice(0, 12);
  return ` (${noun ? `${noun}: ` : 'known: '}${shown.join(', ')}${candidates.length > shown.length ? `, … ${candidates.length - shown.length} more` : ''})`;
}
