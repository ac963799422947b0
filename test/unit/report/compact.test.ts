import { describe, expect, it } from 'vitest';
import { parseReport } from '../../../src/report/compact.js';
import { renderJson } from '../../../src/report/json.js';
import { ReportBuilder } from '../../../src/report/model.js';
import type { EndpointResult } from '../../../src/types.js';
import { probeMetas } from '../../../src/cli/registry.js';

const source = { file: 'targets.yaml', line: 2, column: 11 };
const labels = { team: 'data' };
const declarations = [{ asset: 'fleet', declaredHost: '127.0.4.0/30', labels, source }];
const base = {
  port: 6379,
  service: 'redis',
  asset: 'fleet',
  declaredHost: '127.0.4.0/30',
  labels,
  source,
  probe: 'redis',
  facts: {},
  durationMs: 3,
};
const results: EndpointResult[] = [
  {
    ...base,
    host: '127.0.4.0',
    status: 'closed',
    evidence: { requests: [], notes: ['failed during connect'] },
    error: { code: 'EA_REFUSED', message: 'refused' },
  },
  { ...base, host: '127.0.4.1', status: 'filtered', evidence: { requests: [], notes: ['no answer to 2 connect attempts'] } },
  // Sent something: stays a full row even though closed.
  { ...base, host: '127.0.4.2', status: 'closed', evidence: { requests: ['PING'] }, error: { code: 'EA_REFUSED', message: 'refused' } },
  { ...base, host: '127.0.4.3', status: 'timeout', evidence: { requests: ['PING'] }, error: { code: 'EA_TIMEOUT', message: 'silent' } },
];

function report() {
  const b = new ReportBuilder({ inventory: 'targets.yaml', failOn: 'high', declarations, probes: probeMetas });
  const endpoints = results.map((r, i) => b.add(r, i).endpoint);
  return b.finish({ startedAt: new Date(0), finishedAt: new Date(1000), complete: true }, endpoints);
}

describe('compact JSON rows (schema 1.4.0)', () => {
  it('closed and filtered rows that sent nothing are one line pointing at their declaration; others stay full', () => {
    const json = renderJson(report());
    const raw = JSON.parse(json) as { declarations: unknown[]; endpoints: Array<Record<string, unknown>> };
    expect(raw.declarations).toEqual(declarations);
    expect(raw.endpoints[0]).toEqual({
      host: '127.0.4.0',
      port: 6379,
      service: 'redis',
      probe: 'redis',
      status: 'closed',
      declaration: 0,
      durationMs: 3,
      error: { code: 'EA_REFUSED', message: 'refused' },
      notes: ['failed during connect'],
    });
    expect(raw.endpoints[1]).toMatchObject({ status: 'filtered', declaration: 0 });
    expect(raw.endpoints[1]).not.toHaveProperty('asset');
    expect(raw.endpoints[2]).toHaveProperty('asset', 'fleet');
    expect(raw.endpoints[3]).toHaveProperty('labels', labels);
    // One line each.
    expect(json).toContain('\n    {"host":"127.0.4.0","port":6379');
  });

  it('reading the report back inflates every compact row to the very row it stands for', () => {
    const r = report();
    expect(parseReport(JSON.parse(renderJson(r)))).toEqual(r);
    // Written again, the compact rows are the same lines (full rows come back in the schema's key order).
    const compactLines = (json: string) => json.split('\n').filter((l) => l.includes('"declaration":'));
    expect(compactLines(renderJson(parseReport(JSON.parse(renderJson(r)))))).toEqual(compactLines(renderJson(r)));
    expect(compactLines(renderJson(r))).toHaveLength(2);
  });

  it('a compact row whose declaration is missing is refused', () => {
    const raw = JSON.parse(renderJson(report())) as { declarations: unknown[] };
    raw.declarations = [];
    expect(() => parseReport(raw)).toThrow(/declaration 0/);
  });
});
