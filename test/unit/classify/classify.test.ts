import { describe, expect, it } from 'vitest';
import { classify as classifyWith, classifyAll, fingerprintOf } from '../../../src/classify/classify.js';
import { probeMetas } from '../../../src/cli/registry.js';
import type { DataInventory, EndpointResult } from '../../../src/types.js';

/** The classifier gets the answering probe's meta from the registry, as the CLI passes it. */
const metaOf = (r: EndpointResult) => probeMetas.find((m) => m.id === r.probe);
const classify = (r: EndpointResult) => classifyWith(r, metaOf(r));

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
    ...over,
  };
}
const withData = (items: DataInventory['items'], totals: DataInventory['totals']): DataInventory => ({ items, totals });
const metrics = withData([{ kind: 'table', name: 'app.metrics', rows: 1000, fields: ['ts', 'value'] }], { rows: 1000 });

describe('classify', () => {
  it.each([
    ['data store with data', result({ data: metrics }), 'high'],
    ['data store with data, exposure: internet', result({ data: metrics, labels: { exposure: 'internet' } }), 'critical'],
    [
      'data store with data, exposure: internal (zero trust: not lowered)',
      result({ data: metrics, labels: { exposure: 'internal' } }),
      'high',
    ],
    ['empty data store', result({ data: withData([], { rows: 0 }) }), 'medium'],
    [
      'sensitive column',
      result({ data: withData([{ kind: 'table', name: 'app.t', rows: 5, fields: ['api_key'] }], { rows: 5 }) }),
      'critical',
    ],
    ['limited login', result({ evidence: { requests: [], limited: true } }), 'medium'],
    [
      'Redis: code execution surface',
      result({ service: 'redis', probe: 'redis', port: 6379, data: withData([], { keys: 0 }) }),
      'critical',
    ],
    ['declared exposed', result({ data: metrics, expect: 'exposed' }), 'info'],
    ['denied (protected mode)', result({ status: 'denied', service: 'redis', probe: 'redis' }), 'low'],
    ['auth-required but declared closed', result({ status: 'auth-required', expect: 'closed' }), 'medium'],
    [
      'auth-required but declared closed, internet',
      result({ status: 'auth-required', expect: 'closed', labels: { exposure: 'internet' } }),
      'high',
    ],
    ['port open but declared closed', result({ status: 'not-detected', expect: 'closed' }), 'low'],
  ] as const)('%s → %s', (_n, r, severity) => {
    const f = classify(r)!;
    expect(f.severity).toBe(severity);
    expect(f.reason.startsWith(`${severity}: `)).toBe(true);
    expect(f.reason).not.toContain('\n');
  });

  it.each(['auth-required', 'not-detected', 'closed', 'timeout', 'error'] as const)('%s with no declared intent: no finding', (status) => {
    expect(classify(result({ status }))).toBeUndefined();
  });

  it('secrets found by sampling make it critical and are counted in the reason', () => {
    const data = {
      ...metrics,
      sample: {
        rows: 10,
        sources: ['app.metrics'],
        secrets: [{ pattern: 'aws-access-key', label: 'AWS access keys', meaning: '', count: 3, fingerprints: [] }],
      },
    };
    expect(classify(result({ data }))!.reason).toMatch(/^critical: .*3 AWS access keys in 10 sampled rows$/);
  });

  it('fingerprints depend on asset, service, port and check only', () => {
    const a = classify(result({ data: metrics, durationMs: 5, evidence: { requests: ['x'], version: '1' } }))!;
    const b = classify(result({ data: withData([], { rows: 0 }), durationMs: 99 }))!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(classify(result({ port: 8124, data: metrics }))!.fingerprint).not.toBe(a.fingerprint);
    expect(fingerprintOf({ asset: 'net', declaredHost: '127.0.0.0/30', host: '127.0.0.1', service: 's', port: 1 }, 'c')).not.toBe(
      fingerprintOf({ asset: 'net', declaredHost: '127.0.0.0/30', host: '127.0.0.2', service: 's', port: 1 }, 'c'),
    );
  });

  it('the typed assessment sets the base severity, the reason and the remediation (no probe id, no facts)', () => {
    const r = result({
      probe: 'some-catalog',
      service: 'http',
      assessment: { severity: 'low', reason: 'shows request counters', remediation: 'turn it off' },
    });
    const f = classify(r)!;
    expect(f.severity).toBe('low');
    expect(f.reason).toMatch(/^low: shows request counters; /);
    expect(f.remediation).toBe('turn it off');
    // A severity in facts is not a contract: it changes nothing.
    expect(classify(result({ facts: { severity: 'low' }, data: metrics }))!.severity).toBe('high');
  });

  it('meta.impact drives the base severity: code execution is critical, a data store high', () => {
    const r = result({ probe: 'x', data: metrics });
    expect(classifyWith(r, { ...metaOf(result())!, id: 'x', impact: 'code-execution' })!.severity).toBe('critical');
    expect(classifyWith(r, { ...metaOf(result())!, id: 'x', impact: 'data-store' })!.severity).toBe('high');
  });

  it('unclaimed setup: its own high finding saying the first visitor becomes admin', () => {
    const fs = classifyAll(result({ status: 'auth-required', unclaimed: 'GET /setup answers the first-run wizard' }), metaOf(result()));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('high');
    expect(fs[0]!.check).toBe('clickhouse-http:unclaimed');
    expect(fs[0]!.title).toContain('unclaimed setup: the first visitor becomes admin');
    expect(fs[0]!.reason).toContain('GET /setup answers the first-run wizard');
  });

  it('secured but leaking: a low finding naming what still leaks', () => {
    const fs = classifyAll(
      result({ status: 'auth-required', leaks: [{ request: 'GET /api/health', shows: 'version and cluster name' }] }),
      metaOf(result()),
    );
    expect(fs.map((f) => [f.check, f.severity])).toEqual([['clickhouse-http:still-leaks', 'low']]);
    expect(fs[0]!.title).toContain('version and cluster name');
    expect(fs[0]!.reason).toContain('GET /api/health');
    expect(classifyAll(result({ status: 'closed', leaks: [{ request: 'GET /', shows: 'x' }] }))).toEqual([]);
  });

  it('advisories raise a finding one level and are named in the reason', () => {
    const advisories = [
      { id: 'CVE-2099-0001', summary: 'a flaw' },
      { id: 'GHSA-xxxx', summary: 'another' },
    ];
    const f = classify(result({ data: metrics, advisories, evidence: { requests: [], product: 'ClickHouse', version: '1.2' } }))!;
    expect(f.severity).toBe('critical');
    expect(f.reason).toContain('CVE-2099-0001, GHSA-xxxx');
    expect(classify(result({ status: 'denied', service: 'redis', probe: 'redis', advisories }))!.severity).toBe('medium');
  });

  it('a default credential accepted: its own critical check', () => {
    const fs = classifyAll(
      result({ status: 'auth-required', defaultCredential: { user: 'admin', source: 'vendor docs' } }),
      metaOf(result()),
    );
    expect(fs.map((f) => [f.check, f.severity])).toEqual([['clickhouse-http:default-credential', 'critical']]);
    expect(fs[0]!.reason).toContain('admin');
  });
});
