import { describe, expect, it } from 'vitest';
import {
  ageLine,
  dateFromName,
  daysBetween,
  knownDate,
  parseRetention,
  parseRetentionDuration,
  retentionClass,
  retentionDays,
} from '../../../src/risk/data-age.js';

describe('knownDate: a zero or 1970 value is unknown, never very old', () => {
  it.each([
    ['2025-01-06', '2025-01-06'],
    ['2026-11-30 23:59:59', '2026-11-30'],
    ['0000-00-00', undefined],
    ['0000-00-00 00:00:00', undefined],
    ['1970-01-01', undefined],
    ['1970-01-01 03:00:00', undefined], // ClickHouse zero DateTime printed in a UTC+3 server time zone
    ['1678752000000', '2023-03-14'], // Elasticsearch creation.date, epoch ms
    ['1678752000', '2023-03-14'], // epoch seconds
    ['0', undefined],
    ['', undefined],
    ['yesterday', undefined],
    [undefined, undefined],
  ])('%s → %s', (v, want) => expect(knownDate(v)).toBe(want));
});

describe('dateFromName', () => {
  it.each([
    ['logs-app-2024.06', '2024-06-01'],
    ['logs-2024.06.17', '2024-06-17'],
    ['events_2024-06-17', '2024-06-17'],
    ['metrics-20240617', '2024-06-17'],
    ['archive-2019', undefined], // a year alone is not a date
    ['customers', undefined],
    ['build-20241317', undefined], // month 13
    ['v1.2024', undefined],
  ])('%s → %s', (name, want) => expect(dateFromName(name)).toBe(want));
});

describe('retention parsing (inventory `retention:`)', () => {
  it.each([
    ['30d', 30],
    ['30', 30],
    [30, 30],
    ['12w', 84],
    ['6mo', 180],
    ['6 months', 180],
    ['1y', 365],
    ['2 years', 730],
    ['0d', undefined],
    [0, undefined],
    ['-5d', undefined],
    ['30m', undefined], // minutes are not a retention; months are `mo`
    ['1.5d', undefined],
    ['soon', undefined],
  ])('%s → %s days', (v, want) => expect(parseRetentionDuration(v)).toBe(want));

  it.each([
    ['chat', 'chat'],
    ['prompts', 'chat'],
    ['logs', 'logs'],
    ['requests', 'logs'],
    ['PII', 'personal'],
    ['models', 'model-weights'],
    ['all', 'all'],
    ['*', 'all'],
    ['chats-and-logs', undefined],
  ])('key %s → class %s', (k, want) => expect(retentionClass(k)).toBe(want));

  it('a map: classes to days, problems reported, not thrown', () => {
    expect(parseRetention({ chat: '30d', logs: 90, all: '1y' })).toEqual({ days: { chat: 30, logs: 90, all: 365 }, problems: [] });
    const bad = parseRetention({ chats: '30x', nonsense: '30d' });
    expect(bad.days).toEqual({});
    expect(bad.problems).toHaveLength(2);
    expect(bad.problems[0]).toMatch(/chats: expected a retention such as 30d/);
    expect(bad.problems[1]).toMatch(/unknown data class "nonsense" \(known: all, credentials/);
  });

  it('InfluxDB retention-policy durations (hook): 0s is forever', () => {
    expect(retentionDays('0s')).toBe(Infinity);
    expect(retentionDays('720h0m0s')).toBe(30);
    expect(retentionDays('168h')).toBe(7);
    expect(retentionDays('nonsense')).toBeUndefined();
  });
});

describe('age lines', () => {
  it('the issue example', () => {
    expect(daysBetween('2025-01-06', '2026-11-30')).toBe(693);
    expect(
      ageLine({ kind: 'table', name: 'app.chat_history', rows: 2000, oldest: '2025-01-06', newest: '2026-11-30', ageFrom: 'partitions' }),
    ).toBe('app.chat_history: 2,000 rows from 2025-01-06 to 2026-11-30 (693 days)');
  });
  it.each([
    [
      { kind: 'index' as const, name: 'customers', rows: 125000, oldest: '2023-03-14', ageFrom: 'created' as const },
      'customers: 125,000 documents index created 2023-03-14',
    ],
    [
      { kind: 'index' as const, name: 'logs-2024.06.17', oldest: '2024-06-17', newest: '2024-06-17', ageFrom: 'name' as const },
      'logs-2024.06.17: dated 2024-06-17 (by its name)',
    ],
    [
      { kind: 'measurement' as const, name: 'telemetry.autogen', storeRetention: '0s', ageFrom: 'retention-policy' as const },
      'telemetry.autogen: kept forever (retention policy)',
    ],
    [{ kind: 'table' as const, name: 'default.plain', rows: 5 }, undefined],
  ])('%j', (item, want) => expect(ageLine(item)).toBe(want));
});
