// ClickHouse probes against replays of CURRENT versions (24.8, 25.3, 25.8, 25.11) on 127.0.1.30–35, port 0.
// The real Debian 18.16 server stays in clickhouse.test.ts (no exception header there: the body code decides).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clickhouseHttp from '../../../probes/clickhouse-http.js';
import clickhouseNative from '../../../probes/clickhouse-native.js';
import { clickhouseBodyException } from '../../../src/protocols/tsv.js';
import { startClickhouseReplay, type ClickhouseReplay, type ClickhouseVariant } from '../../fixtures/current/clickhouse.js';
import { createHarness } from '../../support/probe-harness.js';
import { isDeclared } from '../../../src/probe.js';

const harness = createHarness();
const replays = new Map<ClickhouseVariant, ClickhouseReplay>();
const variants: ClickhouseVariant[] = [
  '24.8-open',
  '25.3-default-localhost-only',
  '25.3-required-password',
  '24.8-open-late-error',
  '25.8-open-late-error',
  '25.11-open-late-error',
];

beforeAll(async () => {
  let n = 30;
  for (const v of variants) replays.set(v, await startClickhouseReplay(v, `127.0.1.${n++}`));
});
afterAll(async () => {
  await harness.close();
  await Promise.all([...replays.values()].map((r) => r.close()));
});

const run = (v: ClickhouseVariant, port: 'httpPort' | 'nativePort') => {
  const r = replays.get(v)!;
  return harness.probe('clickhouse', r.host, r[port], { probes: [port === 'httpPort' ? clickhouseHttp : clickhouseNative] });
};

describe('clickhouse HTTP probe: current versions (replayed)', () => {
  it.each([
    ['24.8-open', 'exposed', undefined, /^200 24\.8\.4\.13$/],
    ['25.3-default-localhost-only', 'auth-required', 516, /^403 Code: 516\. DB::Exception: default: Authentication failed/],
    ['25.3-required-password', 'auth-required', 194, /^401 Code: 194\. DB::Exception: default: Authentication failed/],
  ] as const)('%s → %s', async (v, status, code, reply) => {
    const { probe, observation: o } = await run(v, 'httpPort');
    expect(probe).toBe('clickhouse-http');
    expect(o.status).toBe(status);
    expect(o.evidence.product).toBe('ClickHouse');
    expect(o.evidence.reply).toMatch(reply);
    expect(o.facts.displayName).toBe('ch-replay-1');
    if (code) expect(o.facts.exceptionCode).toBe(code);
    if (status === 'exposed') {
      expect(o.evidence.version).toBe('24.8.4.13');
      expect(o.data?.items.find((i) => i.name === 'shop.customers')).toMatchObject({
        kind: 'table',
        engine: 'MergeTree',
        rows: 120000,
        fields: ['id', 'email', 'password_hash'],
      });
      expect(o.data?.totals).toMatchObject({ databases: 2, tables: 2, rows: 600000 });
      expect(o.data?.truncated).toBeUndefined();
    } else {
      expect(o.evidence.requests).toHaveLength(1);
      expect(o.data).toBeUndefined();
    }
    for (const r of o.evidence.requests) expect(isDeclared(clickhouseHttp.meta.sends, r), r).toBe(true);
  });

  it.each(['24.8-open-late-error', '25.8-open-late-error', '25.11-open-late-error'] as const)(
    '%s: an exception after 200 OK is a failed query, never a database named "Code: 159…"',
    async (v) => {
      const { observation: o } = await run(v, 'httpPort');
      expect(o.status).toBe('exposed');
      const names = o.data?.items.map((i) => i.name) ?? [];
      expect(names.join('\n')).not.toMatch(/Code:|__exception__|k3v9qz0m2b7xw4ra|DB::Exception/);
      // Complete rows before the error are kept; the listing is marked incomplete and the error is noted.
      expect(names.sort()).toEqual(['default', 'shop.customers', 'shop.orders']);
      expect(o.data?.truncated).toBe(true);
      expect(o.evidence.notes?.join('\n')).toMatch(/Code: 159\. DB::Exception: Timeout exceeded/);
    },
  );
});

describe('clickhouse native probe: current versions (replayed)', () => {
  it.each([
    ['24.8-open', 'exposed'],
    ['25.3-default-localhost-only', 'auth-required'],
    ['25.3-required-password', 'auth-required'],
  ] as const)('%s → %s', async (v, status) => {
    const { probe, observation: o } = await run(v, 'nativePort');
    expect(probe).toBe('clickhouse-native');
    expect(o.status).toBe(status);
    // The probe announces revision 54449 (< 54458): the server neither adds the ≥ 54470 fields nor waits for an addendum.
    expect(replays.get(v)!.received.at(-1)).toBe('Hello rev=54449 user=default password=""');
    if (status === 'exposed') {
      expect(o.facts).toMatchObject({
        serverName: 'ClickHouse',
        version: '24.8.4',
        revision: 54471,
        timezone: 'UTC',
        displayName: 'ch-replay-1',
      });
    } else {
      expect(o.facts.exceptionCode).toBe(v === '25.3-required-password' ? 194 : 516);
      expect(o.evidence.reply).toMatch(/Authentication failed/);
      expect(JSON.stringify(o)).not.toMatch(/AccessControl|0x0000/);
    }
  });
});

describe('clickhouseBodyException', () => {
  it.each([
    ['rows only', 'a\nb\n', undefined],
    ['plain text after rows (≤ 25.x)', 'a\nCode: 241. DB::Exception: Memory limit (MEMORY_LIMIT_EXCEEDED) (version 24.8.4.13)\n', 241],
    ['old comma form', "a\nCode: 60, e.displayText() = DB::Exception: Table x doesn't exist\n", 60],
    ['__exception__ marker (25.3/25.8)', 'a\n__exception__\r\nCode: 394. DB::Exception: Query was cancelled\n', 394],
    ['tagged frame (25.11+)', 'a\n__exception__\r\nt0\r\nCode: 159. DB::Exception: Timeout\n32 t0\r\n__exception__\r\n', 159],
    ['a value that merely contains Code:', 'Code: 7 is a row value\n', undefined],
  ] as const)('%s', (_n, body, code) => {
    const e = clickhouseBodyException(body);
    expect(e?.code).toBe(code);
    if (e) expect(body.slice(0, e.at)).toBe('a\n');
  });
});
