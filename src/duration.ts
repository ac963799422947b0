const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Durations run from 1 ms to just under 2^31 ms (≈ 24.8 days): Node's timers overflow past that and fire at once. */
export const minDurationMs = 1;
export const maxDurationMs = 2 ** 31 - 1;

/**
 * The one duration parser, for the command line and YAML alike: `3s`, `500ms`, `1.5s`, `2m`, or a bare number of
 * milliseconds (`3000`, or the YAML number 3000). Undefined unless the result, rounded to whole milliseconds, lies
 * in [1 ms, 2^31 ms): `0.4ms` (rounds to 0) and `40000m` (overflows the timer) are refused, never clamped.
 */
export function parseDuration(v: string | number): number | undefined {
  let ms: number;
  if (typeof v === 'number') ms = v;
  else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(v);
    if (!m) return undefined;
    ms = Number(m[1]) * units[m[2] ?? 'ms']!;
  }
  if (!Number.isFinite(ms)) return undefined;
  const rounded = Math.round(ms);
  return rounded >= minDurationMs && rounded <= maxDurationMs ? rounded : undefined;
}

/** Why a duration was refused, for one-line messages. */
export const durationHint = `expected a duration from 1ms to ${maxDurationMs}ms (≈ 24 days) such as 3s, 500ms, 2m or 3000 (milliseconds)`;
