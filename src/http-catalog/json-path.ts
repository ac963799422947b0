/**
 * The one JSON-path walker of the catalog: matchers, extractors and measurements all read replies through it.
 * A path is dotted (`a.b.0.c`); a numeric segment indexes an array; '' is the value itself. Own properties only
 * (a server cannot reach `__proto__` or `constructor`). Never throws.
 */
export interface JsonLookup {
  found: boolean;
  value?: unknown;
}

export function jsonLookup(value: unknown, path: string): JsonLookup {
  if (path === '') return { found: value !== undefined, value };
  let cur: unknown = value;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return { found: false };
    if (Array.isArray(cur)) {
      if (!/^\d{1,9}$/.test(seg) || Number(seg) >= cur.length) return { found: false };
      cur = cur[Number(seg)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: cur };
}

/** The value at a dotted path, or undefined. */
export function jsonAt(value: unknown, path: string): unknown {
  return jsonLookup(value, path).value;
}

/**
 * A finite, non-negative number at a path (numbers or numeric strings), or undefined. `a|b` tries each path in
 * turn (versions that name the same count differently).
 */
export function jsonCount(value: unknown, path: string): number | undefined {
  for (const p of path.split('|')) {
    const v = jsonAt(value, p);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,18}$/.test(v.trim()) ? Number(v) : NaN;
    if (Number.isFinite(n) && n >= 0) return n;
  }
  return undefined;
}

/**
 * The elements a path names: an array at the path, or, when the path ends in `.*` (or is `*`), the keys of the
 * object there as names. Undefined when the path holds neither.
 */
export function jsonElements(value: unknown, path: string): Array<{ name?: string; value: unknown }> | undefined {
  const keys = path === '*' || path.endsWith('.*');
  const base = path === '*' ? '' : keys ? path.slice(0, -2) : path;
  const at = jsonAt(value, base);
  if (keys) {
    if (!at || typeof at !== 'object' || Array.isArray(at)) return undefined;
    return Object.entries(at as Record<string, unknown>).map(([name, v]) => ({ name, value: v }));
  }
  return Array.isArray(at) ? at.map((v) => ({ value: v })) : undefined;
}

/** Field names at a path: an array of strings (or of objects with a `name`), or object keys with `.*`. */
export function jsonNames(value: unknown, path: string, max: number): string[] | undefined {
  const els = jsonElements(value, path);
  if (!els) return undefined;
  const out: string[] = [];
  for (const e of els) {
    const n = e.name ?? (typeof e.value === 'string' ? e.value : typeof e.value === 'number' ? String(e.value) : undefined);
    if (n !== undefined) out.push(n);
    if (out.length >= max) break;
  }
  return out;
}
