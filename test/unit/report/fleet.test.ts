// Outputs at fleet size (issue 14): a synthetic run of 32,769 endpoints on 4,097 hosts — mostly closed ports, some
// timeouts, a finding every 512 endpoints — built with the report model (no network), rendered by every format
// that reads endpoints. Closed endpoints (tested, no service) are one row / note per host; Markdown stays within
// GitHub's limits; no table line is wider than the width asked for; the spool gives what memory gives.
import { noServiceWords, NoServiceTally } from '../../../src/report/no-service.js';
import { hostRuns } from '../../../src/report/host-runs.js';
import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { probeMetas } from '../../../src/cli/registry.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderJsonEndpoint } from '../../../src/report/json.js';
import { markdownLimits, renderMarkdown } from '../../../src/report/markdown.js';
import { buildReport } from '../../../src/report/model.js';
import { maxSarifNotTested, renderSarif } from '../../../src/report/sarif.js';
import type { Report } from '../../../src/report/schema.js';
import { ResultSpool } from '../../../src/report/spool.js';
import { renderTable } from '../../../src/report/table.js';
import type { EndpointResult } from '../../../src/types.js';
import { sampleInventory, sampleResults } from '../../fixtures/sample-run.js';

const TOTAL = 32_769;
const PORTS = [6379, 6380, 8123, 9000, 9200, 5601, 8080, 11434];

function fleet(): Report {
  const sample = sampleResults();
  const exposed = sample.filter((r) => r.status === 'exposed');
  const timeout = sample.find((r) => r.status === 'timeout')!;
  const closed = sample.find((r) => r.status === 'closed')!;
  const results: EndpointResult[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const h = i >> 3;
    const host = `127.${10 + (h >> 16)}.${(h >> 8) & 255}.${h & 255}`;
    const base = i % 512 === 5 ? exposed[(i >> 9) % exposed.length]! : i % 37 === 0 ? timeout : closed;
    results.push({
      ...structuredClone(base),
      host,
      declaredHost: host,
      asset: host,
      port: base.status === 'closed' || base.status === 'timeout' ? PORTS[i & 7]! : base.port,
    });
  }
  return buildReport(
    { results, complete: true, startedAt: new Date('2026-05-04T03:00:00Z'), finishedAt: new Date('2026-05-04T03:00:09Z') },
    { inventory: sampleInventory, failOn: 'high', probes: probeMetas },
  );
}

const report = fleet();
const closedHosts = new Set(report.endpoints.filter((e) => e.status === 'closed').map((e) => e.host)).size;
/** The host rows of the table: consecutive addresses with the same no-service row are one range row. */
const tally = new NoServiceTally();
for (const e of report.endpoints) tally.add(e);
const hostRows = [...hostRuns(tally.hosts())].length;
const listed = TOTAL - report.summary.byStatus.closed;

describe('a 32,769-endpoint report', () => {
  it('is the fleet the test means', () => {
    expect(report.summary.endpoints).toBe(TOTAL);
    expect(report.summary.byStatus.closed).toBeGreaterThan(30_000);
    expect(report.summary.byStatus.timeout).toBeGreaterThan(800);
    expect(report.findings.length).toBeGreaterThan(50);
    expect(closedHosts).toBe(4097);
  });

  it.each([40, 60, 100, 137, 200])('draws the table within %i columns, closed endpoints one row per host or range', (width) => {
    const text = renderTable(report, { color: false, width });
    const lines = text.split('\n');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
    // One endpoint row per listed endpoint (a row starts with its host:port), one host row per closed host or range.
    // (A narrow endpoint column wraps the address: count the rows' first lines, endpoints and hosts alike.)
    const firstLines = lines.filter((l) => /^│ 127\./.test(l)).length;
    expect(hostRows).toBeLessThan(closedHosts);
    expect(firstLines).toBeGreaterThanOrEqual(listed + hostRows);
    const all = renderTable(report, { color: false, width, allEndpoints: true });
    for (const l of all.split('\n')) expect([...l].length).toBeLessThanOrEqual(width);
    if (width >= 100) {
      expect(text).toContain(`${report.summary.byStatus.closed} endpoints on ${closedHosts} hosts tested and ${noServiceWords}`);
      // Wide enough for whole addresses and statuses: a closed endpoint's row only with allEndpoints.
      // (At 100 columns a long host:port breaks after its colon: the port on the next line.)
      const closedRow = (l: string) => /^│ 127\.\S+:\d* /.test(l) && /│ closed +│/.test(l);
      expect(lines.filter(closedRow)).toHaveLength(0);
      expect(all.split('\n').filter(closedRow).length).toBe(report.summary.byStatus.closed);
    }
    expect(all).not.toContain(`tested and ${noServiceWords} (no service)`);
  });

  it('keeps colour codes out of the width', () => {
    const lines = renderTable(report, { color: true, width: 80 }).split('\n');
    // eslint-disable-next-line no-control-regex -- measuring without the colour codes
    for (const l of lines) expect([...l.replace(/\u001b\[[0-9;]*m/g, '')].length).toBeLessThanOrEqual(80);
  });

  it.each([
    ['comment', markdownLimits.comment],
    ['summary', markdownLimits.summary],
  ] as const)('keeps Markdown under GitHub’s %s limit, with counts and where the full report is', (_name, limit) => {
    // Every endpoint listed (--all-endpoints): 32,769 rows are over either limit.
    const md = renderMarkdown(report, { limit, fullReport: 'out/report.html', allEndpoints: true });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(limit);
    expect(md.length).toBeLessThanOrEqual(limit);
    expect(md).toContain(`Truncated to fit ${limit.toLocaleString('en-US')} bytes`);
    expect(md).toContain('`out/report.html`');
    expect(md).toMatch(/left out \d+ /);
    // The findings table comes first; rows that do not fit are counted in the note.
    const rows = md.match(/^\| \*\*(critical|high|medium|low|info)\*\*/gm)?.length ?? 0;
    const cut = Number(/left out (\d+) finding rows/.exec(md)?.[1] ?? 0);
    expect(rows).toBeGreaterThan(0);
    expect(rows + cut).toBe(report.findings.length);
    if (limit === markdownLimits.summary) expect(cut).toBe(0);
    // <details> blocks stay balanced when cut.
    const lines = md.split('\n');
    expect(lines.filter((l) => l === '<details>').length).toBe(lines.filter((l) => l === '</details>').length);
  });

  it('fits the step summary whole when closed endpoints are summarised, and leaves it untruncated', () => {
    const summary = renderMarkdown(report, { limit: markdownLimits.summary });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(markdownLimits.summary);
    expect(summary).not.toContain('Truncated to fit');
    const md = renderMarkdown(report, { limit: 64 * 1024 * 1024 });
    expect(md).toBe(summary);
    expect(md).not.toContain('Truncated to fit');
    expect(md).toContain(
      `<summary>${report.summary.byStatus.closed} endpoints on ${closedHosts} hosts tested and ${noServiceWords} (no service)</summary>`,
    );
  });

  it('lists endpoints in HTML with closed ones one row per host', () => {
    const html = renderHtml(report);
    expect(html.match(/<tr class="[^"]*" data-order=/g)).toHaveLength(listed);
    const hostTable = html.slice(html.indexOf('data-testid="no-service-hosts"'));
    expect(hostTable.slice(0, hostTable.indexOf('</table>')).match(/<tr><td><code>/g)).toHaveLength(closedHosts);
    expect(renderHtml(report, { allEndpoints: true }).match(/<tr class="[^"]*" data-order=/g)).toHaveLength(TOTAL);
  });

  it('gives SARIF one note per host with closed ports, never a warning per closed port', () => {
    const sarif = JSON.parse(renderSarif(report, { probes: probeMetas })) as Log;
    const notes = sarif.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    expect(notes.filter((n) => (n.message.text ?? '').startsWith('Tested, no service on '))).toHaveLength(closedHosts);
    expect(notes.filter((n) => n.level === 'warning' && /closed/.test(n.message.text ?? ''))).toHaveLength(0);
    // Timeouts: the first maxSarifNotTested one by one, then one counting the rest.
    const timeouts = report.summary.byStatus.timeout;
    expect(notes.filter((n) => (n.message.text ?? '').startsWith('Not tested: '))).toHaveLength(
      Math.min(timeouts, maxSarifNotTested) + (timeouts > maxSarifNotTested ? 1 : 0),
    );
  });

  it('renders from the spool what it renders from memory', () => {
    const spool = ResultSpool.create(report.endpoints.length);
    try {
      // Appended out of order, as results complete.
      for (let i = report.endpoints.length - 1; i >= 0; i--) spool.append(i, renderJsonEndpoint(report.endpoints[i]!));
      const endpoints = function* () {
        for (const r of spool.records()) yield JSON.parse(r) as Report['endpoints'][number];
      };
      const light = { ...report, endpoints: [] };
      expect(renderTable(light, { color: false, width: 100, endpoints })).toBe(renderTable(report, { color: false, width: 100 }));
      expect(renderMarkdown(light, { endpoints })).toBe(renderMarkdown(report));
      expect(renderHtml(light, { endpoints })).toBe(renderHtml(report));
      expect(renderSarif(light, { probes: probeMetas, endpoints })).toBe(renderSarif(report, { probes: probeMetas }));
    } finally {
      spool.remove();
    }
  });
});
