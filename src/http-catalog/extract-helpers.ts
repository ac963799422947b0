import { jsonAt } from './json-path.js';

/** Regexes see at most this much of a server's body (64 KiB, the default reply cap). */
export const scanLimit = 64 * 1024;

// Helpers for signatures' extractors and summaries: they read server text, so they never throw and cap what they keep.

/** A string at a JSON path, trimmed and capped; undefined when absent or not a scalar. */
export function str(value: unknown, path: string, max = 80): string | undefined {
  const v = jsonAt(value, path);
  if (typeof v === 'string' && v.trim()) return v.trim().slice(0, max);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The first capture of `re` in `text`, trimmed and capped. */
export function capture(text: string | undefined, re: RegExp, max = 80): string | undefined {
  // Server text: patterns are linear-time and see a bounded slice only.
  const m = text ? re.exec(text.slice(0, scanLimit)) : null;
  return m?.[1]?.trim().slice(0, max) || undefined;
}

/** Object keys or array length, never values: a safe default description of a JSON reply. */
export function describeJson(value: unknown, max = 12): string | undefined {
  if (Array.isArray(value)) return `JSON array of ${value.length}`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    return `JSON object with ${keys.slice(0, max).join(', ')}${keys.length > max ? ` (+${keys.length - max})` : ''}`;
  }
  return undefined;
}

/** Drops undefined values so facts stay compact. */
export function compact(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}
