import { describe, expect, it } from 'vitest';
import {
  accessTraceLine,
  checklistLines,
  dataAgeLines,
  responseChecklist,
  retentionExcess,
  withFirstSeen,
} from '../../../src/classify/aftermath.js';
import { classifyAll } from '../../../src/classify/classify.js';
import { probeMetas } from '../../../src/cli/registry.js';
import type { EndpointResult } from '../../../src/types.js';

const now = new Date('2026-12-01T12:00:00Z');

function result(over: Partial<EndpointResult> = {}): EndpointResult {
  return {
    host: '127.0.0.2',
    port: 8123,
    service: 'clickhouse',
    asset: 'replica',
    declaredHost: '127.0.0.2',
    labels: {},
    source: { file: 't.yaml', line: 3, column: 11 },
    probe: 'clickhouse-http',
    status: 'exposed',
    evidence: { requests: [], product: 'ClickHouse' },
    facts: {},
    durationMs: 1,
    data: {
      items: [
        {
          kind: 'table',
          name: 'app.chat_history',
          rows: 2000,
          oldest: '2025-01-06',
          newest: '2026-11-30',
          ageFrom: 'partitions',
          fields: ['day', 'message'],
        },
        { kind: 'table', name: 'app.metrics', rows: 10, oldest: '2020-01-01', newest: '2026-11-30', ageFrom: 'partitions' },
        { kind: 'table', name: 'app.plain', rows: 3 },
      ],
      totals: { rows: 2013 },
    },
    ...over,
  };
}
const meta = probeMetas.find((m) => m.id === 'clickhouse-http');

describe('access traces are worded as what they are', () => {
  it.each([
    [undefined, undefined],
    [
      { source: 'system.query_log', unavailable: 'system.query_log does not exist on this server (query logging is not configured)' },
      /^no access trace: .*not configured\); this does not mean nobody else read the data$/,
    ],
    [
      { source: 'system.query_log', otherAddresses: [], otherQueries: 0, since: '2026-11-02' },
      /no client address other than the auditor's own since 2026-11-02 \(the log covers only what it kept\)/,
    ],
    [
      {
        source: 'system.query_log',
        otherAddresses: ['127.0.1.1', '127.0.1.2', '127.0.1.3', '127.0.1.4'],
        otherQueries: 1204,
        since: '2026-11-02',
      },
      /^4 other client addresses \(127\.0\.1\.1, 127\.0\.1\.2, 127\.0\.1\.3, …\) ran 1,204 queries since 2026-11-02 \(system\.query_log\)$/,
    ],
    [
      { source: 'INFO stats', connectionsReceived: 52311, connectedClients: 3, uptimeSeconds: 40 * 86_400 },
      /^52,311 connections received in 40 days of uptime, 3 open now \(INFO stats: counts, not who\)$/,
    ],
    [{ source: 'INFO stats', connectionsReceived: 4, uptimeSeconds: 30 }, /in 1 minute of uptime/],
  ])('%j', (a, want) => {
    const line = accessTraceLine(a);
    if (want === undefined) expect(line).toBeUndefined();
    else expect(line).toMatch(want);
    // Never worded as innocence.
    expect(line ?? '').not.toMatch(/nobody (else )?(read|accessed)(?! the data$)|no one|safe|not accessed/);
  });
});

describe('data age lines', () => {
  it('oldest first; unknown items left out; key expiry share', () => {
    expect(dataAgeLines(result())).toEqual([
      'app.metrics: 10 rows from 2020-01-01 to 2026-11-30 (2525 days)',
      'app.chat_history: 2,000 rows from 2025-01-06 to 2026-11-30 (693 days)',
    ]);
    const redis = result({ data: { items: [], totals: { keys: 40 }, expiry: { keys: 40, expiring: 10 } } });
    expect(dataAgeLines(redis)).toEqual(['30 of 40 keys (75%) have no expiry: kept until someone deletes them']);
  });
});

describe('retention', () => {
  it.each([
    ['chat 30d: only the chat table', { chat: 30 }, ['app.chat_history']],
    ['all 365d: both dated tables', { all: 365 }, ['app.metrics', 'app.chat_history']],
    ['chat 1000d: within', { chat: 1000 }, []],
    ['logs 1d: no log table here', { logs: 1 }, []],
  ])('%s', (_n, retention, items) => {
    expect(retentionExcess(result({ retention }), now).map((x) => x.item)).toEqual(items);
  });

  it('only for exposed stores', () => {
    expect(retentionExcess(result({ retention: { all: 1 }, status: 'auth-required' }), now)).toEqual([]);
  });

  it('its own finding (check retention-exceeded), high for chat, medium otherwise; none without a setting', () => {
    const chat = classifyAll(result({ retention: { chat: 30 } }), meta, { now }).find(
      (f) => f.check === 'clickhouse-http:retention-exceeded',
    )!;
    expect(chat.severity).toBe('high');
    expect(chat.reason).toBe('high: app.chat_history: data from 2025-01-06 is 694 days old, retention for chat is 30 days');
    const all = classifyAll(result({ retention: { all: 3000, logs: 5 } }), meta, { now }).find(
      (f) => f.check === 'clickhouse-http:retention-exceeded',
    );
    expect(all).toBeUndefined();
    const metrics = classifyAll(result({ retention: { all: 700 } }), meta, { now }).find(
      (f) => f.check === 'clickhouse-http:retention-exceeded',
    )!;
    expect(metrics.severity).toBe('medium');
    expect(classifyAll(result(), meta, { now }).map((f) => f.check)).toEqual(['clickhouse-http:unauthenticated']);
  });

  it('InfluxDB hook: facts.retentionPolicies (as the InfluxDB probe records them) give store retention; forever exceeds a limit', () => {
    const influx = result({
      service: 'influxdb',
      probe: 'influxdb',
      data: {
        items: [
          { kind: 'database', name: 'telemetry' },
          { kind: 'measurement', name: 'telemetry.request_log' },
          { kind: 'measurement', name: 'ops.cpu' },
        ],
        totals: {},
      },
      facts: {
        retentionPolicies: {
          telemetry: [{ name: 'autogen', duration: '0s', default: true }],
          ops: [{ name: 'week', duration: '168h0m0s', default: true }],
        },
      },
      retention: { logs: 90 },
    });
    expect(dataAgeLines(influx)).toEqual([
      'telemetry: kept forever (retention policy)',
      'telemetry.request_log: kept forever (retention policy)',
      'ops.cpu: kept for 168h0m0s (retention policy)',
    ]);
    expect(retentionExcess(influx, now).map((x) => [x.item, x.cls])).toEqual([['telemetry.request_log', 'logs']]);
    // A bounded policy (7 days) is not "forever"; no facts, no store retention.
    expect(dataAgeLines(result({ data: { items: [{ kind: 'database', name: 'x' }], totals: {} } }))).toEqual([]);
  });

  it('a store-side retention of forever (InfluxDB hook) exceeds any class limit', () => {
    const r = result({
      data: {
        items: [{ kind: 'measurement', name: 'telemetry.request_log', storeRetention: '0s', ageFrom: 'retention-policy' }],
        totals: {},
      },
      retention: { logs: 90 },
    });
    expect(retentionExcess(r, now)).toMatchObject([{ item: 'telemetry.request_log', cls: 'logs', oldest: 'forever' }]);
  });
});

describe('response checklist', () => {
  const sampled = result({
    data: {
      items: [{ kind: 'table', name: 'gw.request_log', rows: 500, fields: ['ts', 'api_key', 'email'] }],
      totals: { rows: 500 },
      sample: {
        rows: 100,
        sources: ['gw.request_log'],
        secrets: [
          { pattern: 'openai-key', label: 'sk- API keys', meaning: '', count: 37, fingerprints: ['sk-…a1b2#3f9c0e11'] },
          { pattern: 'email', label: 'email addresses', meaning: '', count: 12, fingerprints: [] },
        ],
      },
    },
    access: { source: 'system.query_log', otherAddresses: ['127.0.0.77'], otherQueries: 3 },
  });

  it('rotate by count and fingerprint, revoke, whose data, logs to pull (the other address first), the fix', () => {
    const c = responseChecklist(sampled, 'set a password');
    expect(c.rotate).toEqual([{ what: 'sk- API keys', count: 37, fingerprints: ['sk-…a1b2#3f9c0e11'] }]);
    expect(c.revoke[0]).toMatch(/^sessions and tokens stored in gw\.request_log/);
    expect(c.readable.join('\n')).toMatch(/inference and request logs of the callers whose requests were logged: gw\.request_log/);
    expect(c.readable.join('\n')).toMatch(/12 e-mail addresses seen in sampled rows/);
    expect(c.logs[0]).toMatch(/^everything from 127\.0\.0\.77 /);
    expect(c.logs.join('\n')).toMatch(/system\.query_log/);
    // No dates from classify: the same report however it is built; the first-seen sets them (withFirstSeen).
    expect(c.window).toEqual({ basis: 'this-run' });
    expect(c.fix).toBe('set a password');
  });

  it('without --sample: points to --sample for counts, never invents fingerprints', () => {
    const c = responseChecklist(result({ data: { items: [{ kind: 'table', name: 'app.api_keys', rows: 5 }], totals: {} } }), 'fix');
    expect(c.rotate).toEqual([
      { what: 'credentials stored in app.api_keys (run with --sample N to count them and get their fingerprints)' },
    ]);
  });

  it('the window starts at the state file first-seen; lines read as steps', () => {
    const c = withFirstSeen(responseChecklist(sampled, 'fix'), '2026-11-02T08:00:00.000Z', 'state', now);
    expect(c.window).toEqual({ from: '2026-11-02T08:00:00.000Z', to: now.toISOString(), basis: 'state' });
    const lines = checklistLines(c);
    expect(lines[0]).toBe('Rotate 37 sk- API keys: sk-…a1b2#3f9c0e11');
    expect(lines).toContain('Investigate 2026-11-02 to 2026-12-01 (first seen open, state file)');
    expect(lines.at(-1)).toBe('Fix: fix');
    expect(checklistLines(withFirstSeen(responseChecklist(sampled, 'fix'), now.toISOString(), 'this-run', now))).toContain(
      'Investigate from 2026-12-01 (first seen in this run; earlier exposure unknown)',
    );
    expect(checklistLines(withFirstSeen(responseChecklist(sampled, 'fix'), '2026-10-01T00:00:00Z', 'baseline', now))).toContain(
      'Investigate 2026-10-01 to 2026-12-01 (first seen open, baseline report)',
    );
    expect(checklistLines(responseChecklist(sampled, 'fix'))).toContain(
      'Investigate since the service was first reachable (no first-seen recorded; earlier exposure unknown)',
    );
  });

  it('every finding carries one; classes, age and trace only on exposed stores', () => {
    const [f] = classifyAll(sampled, meta, { now });
    expect(f!.dataClasses).toEqual(['credentials', 'logs', 'personal']);
    expect(f!.accessTrace).toMatch(/^1 other client address \(127\.0\.0\.77\) ran 3 queries/);
    expect(f!.response!.rotate[0]!.count).toBe(37);
    const [closed] = classifyAll(result({ status: 'auth-required', expect: 'closed', data: undefined }), meta, { now });
    expect(closed!.dataClasses).toBeUndefined();
    expect(closed!.response).toMatchObject({ rotate: [], readable: [] });
  });
});
