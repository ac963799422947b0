import { describe, expect, it } from 'vitest';
import { hostRuns } from '../../../src/report/host-runs.js';
import { buildReport } from '../../../src/report/model.js';
import { renderTable, wrapCell } from '../../../src/report/table.js';
import { probeMetas } from '../../../src/cli/registry.js';
import type { EndpointResult } from '../../../src/types.js';
import { sampleInventory, sampleResults } from '../../fixtures/sample-run.js';

/** The table at fleet size (issue 23 part 9): words kept whole, errors readable, identical host rows as ranges. */
describe('wrapping at separators', () => {
  it.each([
    ['users.password_hash', 10, ['users.', 'password_', 'hash']],
    ['passwor_d', 7, ['passwor', '_d']],
    ['/api/v1/flows/?remove_example_flows=true', 16, ['/api/v1/flows/?', 'remove_example_', 'flows=true']],
    ['redis-prod-7.corp.invalid did not resolve', 14, ['redis-prod-7.', 'corp.invalid', 'did not', 'resolve']],
    ['abcdefghij', 4, ['abcd', 'efgh', 'ij']],
  ] as const)('%j at %i columns', (text, w, want) => {
    expect(wrapCell(text, w, 10)).toEqual(want);
  });

  it('never splits a word between letters when a separator or space could break it', () => {
    const text = 'customers.password_hash api_keys.secret_token sessions.refresh_token';
    // The pieces a line may be made of: the text cut after each separator and at each space.
    const piece = /(?<=[._])| /;
    const pieces = new Set(text.split(piece));
    for (const w of [12, 17, 24, 30]) {
      const lines = wrapCell(text, w, 100);
      for (const l of lines) {
        expect(l.length).toBeLessThanOrEqual(w);
        for (const p of l.split(piece)) expect(pieces.has(p), `${w}: ${lines.join(' / ')}`).toBe(true);
      }
    }
  });
});

function report(results: EndpointResult[]) {
  return buildReport(
    { results, complete: true, startedAt: new Date('2026-05-04T03:00:00Z'), finishedAt: new Date('2026-05-04T03:00:09Z') },
    { inventory: sampleInventory, failOn: 'high', probes: probeMetas },
  );
}

describe('host ranges', () => {
  const closed = sampleResults().find((r) => r.status === 'closed')!;
  const at = (host: string, port: number): EndpointResult => ({ ...structuredClone(closed), host, declaredHost: host, asset: host, port });
  /** A /22 on 3 ports, all closed, except 127.9.2.7 which has a 4th port: 1,024 hosts. */
  const fleet: EndpointResult[] = [];
  for (let h = 0; h < 1024; h++) {
    const host = `127.9.${h >> 8}.${h & 255}`;
    for (const p of [6379, 8123, 9200]) fleet.push(at(host, p));
    if (host === '127.9.2.7') fleet.push(at(host, 11434));
  }

  it('a /22 of identical "3 closed" rows is a few range rows, split where a row differs', () => {
    const text = renderTable(report(fleet), { color: false, width: 140 });
    const hostRows = text.split('\n').filter((l) => /^│ 127\.9\./.test(l));
    expect(hostRows).toHaveLength(3);
    expect(hostRows[0]).toMatch(/^│ 127\.9\.0\.0 – 127\.9\.2\.6 \(519 hosts\) +│ 3 closed each +│ 6379, 8123, 9200 +│$/);
    expect(hostRows[1]).toMatch(/^│ 127\.9\.2\.7 +│ 4 closed +│ 6379, 8123, 9200, 11434 +│$/);
    expect(hostRows[2]).toMatch(/^│ 127\.9\.2\.8 – 127\.9\.3\.255 \(504 hosts\) +│ 3 closed each/);
  });

  it('only consecutive addresses: a gap or a host name starts a new row', () => {
    const h = (host: string) => ({ host, byStatus: { closed: 1 }, total: 1, ports: [6379], more: 0 });
    const runs = [
      ...hostRuns([h('127.0.0.1'), h('127.0.0.2'), h('127.0.0.4'), h('cache.example'), h('cache2.example'), h('::1'), h('::2')]),
    ];
    expect(runs.map((r) => [r.first, r.last, r.hosts])).toEqual([
      ['127.0.0.1', '127.0.0.2', 2],
      ['127.0.0.4', '127.0.0.4', 1],
      ['cache.example', 'cache.example', 1],
      ['cache2.example', 'cache2.example', 1],
      ['::1', '::2', 2],
    ]);
  });

  it('an error reason is readable whole, not cut after two lines', () => {
    const dns = {
      ...structuredClone(closed),
      status: 'error' as const,
      error: { code: 'EA_DNS', message: 'not tested: redis-prod-7.corp.invalid did not resolve (ENOTFOUND)' },
      evidence: { requests: [] },
    };
    const text = renderTable(report([dns as EndpointResult]), { color: false, width: 100 });
    // The evidence column's lines, in order: the whole reason is there, nothing cut.
    const evidence = text
      .split('\n')
      .filter((l) => l.startsWith('│ '))
      .map((l) => l.split('│').at(-2)!.trim())
      .join(' ');
    expect(evidence.replace(/\s+/g, '')).toContain('nottested:redis-prod-7.corp.invaliddidnotresolve(ENOTFOUND)');
    expect(text).not.toContain('…');
  });
});
