// The continuous-auditing fields in every format at once: the fixture is what `scan --baseline --suppressions`
// produces (built with src/continuous/*), and each format must say what the table says, in present.ts's words.
import { describe, expect, it } from 'vitest';
import { changeOf, diffSummary } from '../../../src/report/change-view.js';
import { probeMetas } from '../../../src/cli/registry.js';
import { escapeHtml, mdText, xmlEscape } from '../../../src/report/escape.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { reportSchema } from '../../../src/report/schema.js';
import { renderTable } from '../../../src/report/table.js';
import { baselineFile, continuousReport } from '../../fixtures/sample-run.js';

const report = continuousReport();

describe('the continuous fixture', () => {
  it('is a valid report with a diff, a suppressed and an expired finding, stale suppressions and ages', () => {
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.diff).toMatchObject({ baseline: baselineFile, new: 2, unchanged: 2, changedSeverity: 1 });
    expect(report.diff!.resolved.map((e) => `${e.host}:${e.port}`)).toEqual(['127.0.0.16:6379']);
    expect(report.diff!.notRetested.map((e) => `${e.host}:${e.port}`)).toEqual(['127.0.0.19:9000']);
    expect(report.findings.map((f) => changeOf(f).marker)).toEqual(['', 'was medium, SUPPRESSED', 'NEW', 'NEW', 'EXPIRED']);
    expect(report.findings.map((f) => f.ageDays)).toEqual([45, 45, 0, 0, 45]);
    expect(report.summary.suppressed).toBe(1);
    expect(report.suppressions).toMatchObject({ declared: 4, applied: 1, expired: 2 });
    expect(report.suppressions!.stale.map((s) => [s.source.line, s.expired])).toEqual([
      [11, false],
      [15, true],
    ]);
  });
});

// How each format carries a piece of plain text (present.ts wording) once escaped for its syntax.
const formats = [
  ['table', () => renderTable(report, { color: false }), (s: string) => s],
  ['markdown', () => renderMarkdown(report), mdText],
  ['html', () => renderHtml(report), escapeHtml],
  ['junit', () => renderJunit(report), xmlEscape],
  ['sarif', () => renderSarif(report, { probes: probeMetas }), (s: string) => JSON.stringify(s).slice(1, -1)],
] as const;

type FormatName = (typeof formats)[number][0];
/** What each format carries as text (SARIF puts a stale suppression's file:line in a location; JUnit has no place for it). */
const carries: Record<string, readonly FormatName[]> = {
  age: ['markdown', 'html', 'junit', 'sarif'],
  resolved: ['table', 'markdown', 'html', 'junit', 'sarif'],
  stale: ['table', 'markdown', 'html'],
  diffSummary: ['markdown', 'html'],
};

describe.each(formats)('%s', (name, render, esc) => {
  const out = render();
  // The table wraps its cells: compare with whitespace folded (its words, not its line breaks).
  const fold = (s: string) => (name === 'table' ? s.replace(/[\s│]+/g, ' ') : s);
  const has = (text: string) => expect(fold(out), text).toContain(fold(esc(text)));

  it("shows each finding's badges", () => {
    for (const f of report.findings) for (const b of changeOf(f).badges) has(b);
  });

  it('shows the suppression in force, and the expired one', () => {
    const suppressed = report.findings.find((f) => f.suppressed)!;
    const expired = report.findings.find((f) => f.suppressionExpired)!;
    if (name === 'table') has(`suppressed until ${suppressed.suppressed!.expires} by ${suppressed.suppressed!.owner}:`);
    else has(changeOf(suppressed).suppression!);
    has(changeOf(expired).expired!);
  });

  if (carries.age!.includes(name)) {
    it('shows each finding\'s age ("open since …")', () => {
      for (const f of report.findings) has(changeOf(f).since!);
    });
  }
  if (carries.resolved!.includes(name)) {
    it('names each resolved finding', () => {
      for (const e of report.diff!.resolved) {
        has(e.title);
        has(`${e.host}:${e.port}`);
      }
    });
  }
  if (carries.stale!.includes(name)) {
    it("names each stale suppression's declaration", () => {
      for (const s of report.suppressions!.stale) has(`${s.source.file}:${s.source.line}`);
    });
  }
  if (carries.diffSummary!.includes(name)) {
    it('summarises the diff as the table does', () => {
      has(diffSummary(report)!);
    });
  }
});

describe('a shard run (--shard K/N)', () => {
  const shard = { ...report, run: { ...report.run, shard: { index: 2, count: 4 } } };
  it.each([
    ['markdown', () => renderMarkdown(shard), 'shard 2/4'],
    ['html', () => renderHtml(shard), '<span data-testid="shard">shard 2/4</span>'],
    ['junit', () => renderJunit(shard), '<property name="shard" value="2/4"/>'],
  ] as const)('%s says which share of the endpoints it covers', (_name, render, text) => {
    expect(render()).toContain(text);
  });
  it('sarif says which share of the endpoints it covers', () => {
    expect(
      (JSON.parse(renderSarif(shard, { probes: probeMetas })) as { runs: Array<{ properties: Record<string, unknown> }> }).runs[0]!
        .properties.shard,
    ).toEqual({ index: 2, count: 4 });
  });
});

describe('a run where nothing is open any more', () => {
  const clean = {
    ...report,
    findings: [],
    summary: { ...report.summary, findings: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
  };
  it.each(formats)('%s still lists what was resolved', (_name, _render, esc) => {
    const render = {
      table: () => renderTable(clean, { color: false }),
      markdown: () => renderMarkdown(clean),
      html: () => renderHtml(clean),
      junit: () => renderJunit(clean),
      sarif: () => renderSarif(clean, { probes: probeMetas }),
    }[_name];
    const out = render();
    expect(out).toContain(esc(report.diff!.resolved[0]!.title));
  });
});
