import type { DataAgeSource, DataItem } from '../types.js';
import { dataClasses, type DataClassId } from './data-classes.js';

/**
 * Data age from metadata only, and the inventory `retention:` setting it is judged against.
 *
 * Sources (each probe fills DataItem.oldest / newest / ageFrom; nothing here reads a row):
 * - ClickHouse `system.parts` min_date/max_date (Date partition keys) and min_time/max_time (DateTime keys): both
 *   pairs exist in 18.16 and in current releases. A table not partitioned by time reports `0000-00-00` /
 *   `1970-01-01 00:00:00`: unknown, never "very old" (`knownDate`).
 * - Elasticsearch index `creation.date` (epoch ms): the index is at least that old; and date-suffixed index names
 *   (`logs-2024.06.01`, `app-2024-06`), which `dateFromName` reads for any store.
 * - Redis: no dates; INFO keyspace `keys` vs `expires` gives the share of keys kept until deleted (DataInventory.expiry).
 * - InfluxDB (hook, the probe lands from another branch): its `facts.retentionPolicies` (`{ <db>: [{ name, duration,
 *   default }] }` from `SHOW RETENTION POLICIES`) are read by `withStoreRetention`, or a probe sets `storeRetention`
 *   on its items itself (duration `0s` = forever; `retentionDays` reads it); classify reports "kept forever".
 * - MongoDB (hook): collection ObjectId timestamps would be a row read, so no age; its `serverStatus`
 *   `connections.totalCreated` / `current` fit AccessTraces.connectionsReceived / connectedClients.
 */

const dayMs = 86_400_000;

/** `YYYY-MM-DD` of a store's date or date-time text, or undefined for a zero / 1970 / unparsable value (unknown). */
export function knownDate(value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let t: number;
  if (typeof value === 'number' || /^\d{10,13}$/.test(value)) {
    const n = Number(value);
    t = n < 1e11 ? n * 1000 : n; // seconds or milliseconds since the epoch
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})|)/.exec(value);
    if (!m) return undefined;
    t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  }
  if (!Number.isFinite(t)) return undefined;
  const iso = new Date(t).toISOString().slice(0, 10);
  // 0000-00-00 parses to year 0 (or NaN); the epoch's first days are ClickHouse's zero in any server time zone.
  if (iso < '1971-01-01') return undefined;
  return iso;
}

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / dayMs);
}

/**
 * A date suffix in a name: `logs-2024.06.01`, `events_2024-06-01`, `app-2024.06`, `metrics-20240601`. Months give
 * their first day. Returns undefined for anything that is not a plausible date (year 1971–2099).
 */
export function dateFromName(name: string): string | undefined {
  const m = /(?:^|[-_.:/])((?:19[7-9]\d|20\d\d))[-_.]?(0[1-9]|1[0-2])(?:[-_.]?(0[1-9]|[12]\d|3[01])|)$/.exec(name);
  if (!m) return undefined;
  return knownDate(`${m[1]}-${m[2]}-${m[3] ?? '01'}`);
}

/** Items whose names carry dates get oldest/newest from them when the store gave none (ageFrom: `name`). */
export function withNameDates(items: DataItem[]): DataItem[] {
  return items.map((i) => {
    if (i.oldest || i.newest) return i;
    const d = dateFromName(i.name);
    return d ? { ...i, oldest: d, newest: d, ageFrom: 'name' as DataAgeSource } : i;
  });
}

/**
 * InfluxDB 1.x hook: the InfluxDB probe (landing from another branch) records `facts.retentionPolicies` as
 * `{ <db>: [{ name, duration, default }] }` from `SHOW RETENTION POLICIES ON <db>`. The default policy's duration
 * becomes `storeRetention` on the database item and its `<db>.<measurement>` items (`0s` = kept forever).
 */
export function withStoreRetention(items: DataItem[], facts: Record<string, unknown> | undefined): DataItem[] {
  const rps = facts?.retentionPolicies;
  if (!rps || typeof rps !== 'object') return items;
  const byDb = new Map<string, string>();
  for (const [db, list] of Object.entries(rps as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const def = (list as Array<{ duration?: unknown; default?: unknown }>).find((p) => p?.default === true) ?? list[0];
    if (typeof def?.duration === 'string' && retentionDays(def.duration) !== undefined) byDb.set(db, def.duration);
  }
  if (!byDb.size) return items;
  return items.map((i) => {
    if (i.storeRetention) return i;
    const db = i.kind === 'database' ? i.name : i.name.split('.')[0]!;
    const d = byDb.get(db);
    return d ? { ...i, storeRetention: d, ...(i.ageFrom ? {} : { ageFrom: 'retention-policy' as DataAgeSource }) } : i;
  });
}

/** Days in a retention-policy duration (InfluxDB `720h0m0s`, `0s` = forever → Infinity). */
export function retentionDays(duration: string): number | undefined {
  if (/^(0s?|inf|forever|infinite)$/i.test(duration.trim())) return Infinity;
  const m = /^(?:(\d+)w|)(?:(\d+)d|)(?:(\d+)h|)(?:(\d+)m|)(?:(\d+)s|)$/.exec(duration.trim());
  if (!m || !m[0]) return undefined;
  const [w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return w * 7 + d + (h + (mi + s / 60) / 60) / 24;
}

/** One retention duration in days: `30d`, `12w`, `6mo`, `1y`, or a bare number of days. */
export function parseRetentionDuration(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  const m = /^\s*(\d+)\s*(days|day|d|weeks|week|w|months|month|mo|years|year|y|)\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'd').toLowerCase();
  const days = unit.startsWith('w') ? n * 7 : unit.startsWith('mo') ? n * 30 : unit.startsWith('y') ? n * 365 : n;
  return days > 0 ? days : undefined;
}

/** The data class a retention key names (an id or one of its keys), `all` for every class, else undefined. */
export function retentionClass(key: string): DataClassId | 'all' | undefined {
  const k = key.trim().toLowerCase();
  if (k === 'all' || k === '*') return 'all';
  return dataClasses.find((c) => c.id === k || c.retentionKeys.includes(k))?.id;
}

/** Parses an inventory `retention:` map into class → days; problems are returned, not thrown. */
export function parseRetention(raw: Record<string, string | number>): { days: Record<string, number>; problems: string[] } {
  const days: Record<string, number> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const cls = retentionClass(key);
    const d = parseRetentionDuration(value);
    if (!cls)
      problems.push(
        `unknown data class "${key}" (known: all, ${dataClasses.flatMap((c) => [c.id, ...c.retentionKeys.filter((x) => x !== c.id)]).join(', ')})`,
      );
    else if (d === undefined) problems.push(`${key}: expected a retention such as 30d, 12w, 6mo or 1y`);
    else days[cls] = d;
  }
  return { days, problems };
}

/** "2,000 rows from 2025-01-06 to 2026-11-30 (693 days)": one item's age line, or undefined when unknown. */
export function ageLine(item: DataItem): string | undefined {
  if (!item.oldest && !item.newest && !item.storeRetention) return undefined;
  const rows =
    item.rows !== undefined
      ? `${item.rows.toLocaleString('en-US')} ${item.kind === 'index' ? 'documents' : item.kind === 'key' ? 'keys' : 'rows'}`
      : undefined;
  const parts: string[] = [];
  if (rows) parts.push(rows);
  if (item.ageFrom === 'created' && item.oldest) parts.push(`index created ${item.oldest}`);
  else if (item.oldest && item.newest && item.oldest !== item.newest)
    parts.push(`from ${item.oldest} to ${item.newest} (${daysBetween(item.oldest, item.newest)} days)`);
  else if (item.oldest)
    parts.push(`${item.ageFrom === 'name' ? 'dated' : 'from'} ${item.oldest}${item.ageFrom === 'name' ? ' (by its name)' : ''}`);
  if (item.storeRetention)
    parts.push(`kept ${retentionDays(item.storeRetention) === Infinity ? 'forever' : `for ${item.storeRetention}`} (retention policy)`);
  return `${item.name}: ${parts.join(' ')}`;
}
