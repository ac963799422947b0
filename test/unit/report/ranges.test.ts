import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sameJson } from '../../../src/report/ranges.js';
import { applyDiff, baselineFromReport, loadReportFile } from '../../../src/continuous/diff.js';
import { maxReadEndpoints, parseReport } from '../../../src/report/compact.js';
import { renderJson, renderJsonChunks, jsonEndpointRenderer } from '../../../src/report/json.js';
import { ReportBuilder } from '../../../src/report/model.js';
import type { EndpointResult } from '../../../src/types.js';
import { probeMetas } from '../../../src/cli/registry.js';

const source = { file: 'targets.yaml', line: 2, column: 11 };
const labels = { team: 'data' };
const declarations = [{ asset: 'fleet', declaredHost: '127.0.16.0/20', labels, source }];
const ports = [
  { port: 6379, service: 'redis', probe: 'redis' },
  { port: 8123, service: 'clickhouse', probe: 'clickhouse' },
];
const closed = {
  status: 'closed' as const,
  evidence: { requests: [], notes: ['failed during connect'] },
  facts: {},
  error: { code: 'EA_REFUSED', message: 'refused' },
  durationMs: 3,
};

/** 127.0.16.0/20 × 2 ports, address-major as the inventory expands; `odd` replaces the result at that address. */
function results(odd?: { host: string; result: Partial<EndpointResult> }): EndpointResult[] {
  const out: EndpointResult[] = [];
  for (let n = 0; n < 4096; n++) {
    const host = `127.0.${16 + (n >> 8)}.${n & 255}`;
    for (const p of ports) {
      const r = { ...p, host, asset: 'fleet', declaredHost: '127.0.16.0/20', labels, source, ...closed } as EndpointResult;
      out.push(odd?.host === host && p.port === 6379 ? ({ ...r, ...odd.result } as EndpointResult) : r);
    }
  }
  return out;
}

function report(rs: EndpointResult[]) {
  const b = new ReportBuilder({ inventory: 'targets.yaml', failOn: 'high', declarations, probes: probeMetas });
  const endpoints = rs.map((r, i) => b.add(r, i).endpoint);
  return b.finish({ startedAt: new Date(0), finishedAt: new Date(1000), complete: true }, endpoints);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-ranges-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('range records (schema 1.6.0)', () => {
  it('a /20 × 2 ports all closed is one range record, read back as the 8,192 verdicts it stands for', async () => {
    const r = report(results());
    const json = renderJson(r);
    const raw = JSON.parse(json) as { endpoints: Array<Record<string, unknown>> };
    expect(raw.endpoints).toEqual([
      {
        range: { from: '127.0.16.0', to: '127.0.31.255' },
        ports,
        status: 'closed',
        declaration: 0,
        count: 8192,
        durationMs: 3,
        error: closed.error,
        notes: closed.evidence.notes,
      },
    ]);
    expect(json.length).toBeLessThan(2000);
    expect(parseReport(raw)).toEqual(r);
    // The streamed path writes the same bytes from the rendered rows.
    const row = jsonEndpointRenderer(r.declarations);
    let streamed = '';
    for await (const part of renderJsonChunks(r, r.endpoints.map(row))) streamed += part;
    expect(streamed).toBe(json);
  });

  it('an endpoint with another verdict splits the run: a handful of records, every verdict kept', () => {
    const r = report(results({ host: '127.0.20.7', result: { status: 'timeout', evidence: { requests: ['PING'] } } }));
    const raw = JSON.parse(renderJson(r)) as { endpoints: Array<Record<string, unknown>> };
    expect(raw.endpoints.length).toBeLessThanOrEqual(4);
    expect(raw.endpoints.map((e) => (e.range as { from: string; to: string } | undefined) ?? e.host)).toEqual([
      { from: '127.0.16.0', to: '127.0.20.6' },
      '127.0.20.7',
      '127.0.20.7',
      { from: '127.0.20.8', to: '127.0.31.255' },
    ]);
    // The odd address's other port is a compact row of its own (a run starts at an address's first port).
    const back = parseReport(raw);
    expect(back).toEqual(r);
    expect(back.endpoints.filter((e) => e.status === 'timeout').map((e) => `${e.host}:${e.port}`)).toEqual(['127.0.20.7:6379']);
  });

  it('a run that ends after one port of an address leaves that endpoint as its own row (a range is at least 2)', () => {
    // 127.0.20.7:8123 differs: the run before it ends after 127.0.20.7:6379 alone.
    const odd: { host: string; result: Partial<EndpointResult> } = {
      host: '127.0.20.7',
      result: { status: 'timeout', evidence: { requests: ['PING'] } },
    };
    const rs = results().map((r) => (r.host === odd.host && r.port === 8123 ? ({ ...r, ...odd.result } as EndpointResult) : r));
    const r = report(rs);
    const raw = JSON.parse(renderJson(r)) as { endpoints: Array<Record<string, unknown>> };
    expect(
      raw.endpoints.map((e) => (e.range as { from: string; to: string } | undefined) ?? `${String(e.host)}:${String(e.port)}`),
    ).toEqual([{ from: '127.0.16.0', to: '127.0.20.6' }, '127.0.20.7:6379', '127.0.20.7:8123', { from: '127.0.20.8', to: '127.0.31.255' }]);
    expect(parseReport(raw)).toEqual(r);
  });

  it('diff: a finding on an address inside a range is resolved, because that endpoint was retested as closed', async () => {
    const file = path.join(tmp, 'new.json');
    fs.writeFileSync(file, renderJson(report(results())));
    const loaded = await loadReportFile(file);
    const finding = { fingerprint: 'f1', severity: 'high' as const, title: 'Redis without auth', asset: 'fleet', service: 'redis' };
    const diff = applyDiff(loaded.report, {
      name: 'old.json',
      findings: [
        { ...finding, host: '127.0.23.77', port: 6379 },
        { ...finding, fingerprint: 'f2', host: '127.0.32.1', port: 6379 },
      ],
    }).diff!;
    expect(diff.resolved.map((e) => e.host)).toEqual(['127.0.23.77']);
    // Outside the range: not in this run, so not retested.
    expect(diff.notRetested.map((e) => e.host)).toEqual(['127.0.32.1']);
  });

  it('hostile: a forged range is refused before anything is expanded', async () => {
    const raw = JSON.parse(renderJson(report(results()))) as { endpoints: Array<Record<string, unknown>> };
    const forged = (patch: Record<string, unknown>) => {
      const file = path.join(tmp, 'forged.json');
      fs.writeFileSync(file, JSON.stringify({ ...raw, endpoints: [{ ...raw.endpoints[0], ...patch }] }));
      return loadReportFile(file, '--baseline');
    };
    // Every IPv4 address: 2^32 endpoints. Expanding it would not end; it is refused from its count.
    await expect(forged({ range: { from: '0.0.0.0', to: '255.255.255.255' }, ports: [ports[0]], count: 2 ** 32 })).rejects.toThrow(
      new RegExp(`--baseline .*more than ${maxReadEndpoints} endpoints`),
    );
    await expect(forged({ count: 5 })).rejects.toThrow(/count 5 is not addresses × ports \(8192\)/);
    await expect(forged({ range: { from: '127.0.31.255', to: '127.0.16.0' } })).rejects.toThrow(/not consecutive/);
    await expect(forged({ range: { from: '127.0.16.0', to: '::1' } })).rejects.toThrow(/not consecutive/);
    await expect(forged({ range: { from: '127.0.016.0', to: '127.0.31.255' } })).rejects.toThrow(/not/);
    await expect(forged({ range: { from: '::', to: 'ffff::' }, count: 2 ** 53 })).rejects.toThrow(/count|more than/);
  });

  it('a --baseline reads findings only: a range of 4,194,304 endpoints is checked, not expanded', async () => {
    const raw = JSON.parse(renderJson(report(results()))) as { endpoints: Array<Record<string, unknown>> };
    const file = path.join(tmp, 'baseline.json');
    const range = { range: { from: '127.0.0.0', to: '127.63.255.255' }, ports: [ports[0]], count: maxReadEndpoints };
    fs.writeFileSync(file, JSON.stringify({ ...raw, endpoints: [{ ...raw.endpoints[0], ...range }] }));
    const before = process.memoryUsage().heapUsed;
    const loaded = await loadReportFile(file, '--baseline');
    expect(baselineFromReport(loaded.report, file).findings).toEqual([]);
    // Expanded, the rows would take well over a GiB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 2 ** 20);
  });
});

describe('sameJson: the template comparison of range records', () => {
  it('agrees with comparing JSON.stringify for any two values read from JSON', () => {
    const parsed = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(parsed, parsed, (a, b) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        // A value and its copy are the same; so is a copy with the same keys in the same order.
        expect(sameJson(a, JSON.parse(JSON.stringify(a)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Key order is part of the text: a row with the same error fields in another order is another template.
    expect(sameJson({ code: 'EA_REFUSED', message: 'm' }, { message: 'm', code: 'EA_REFUSED' })).toBe(false);
    expect(sameJson(['a'], { 0: 'a' })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
