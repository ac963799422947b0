import { noServiceWords } from '../../../src/report/no-service.js';
import { describe, expect, it } from 'vitest';
import { changeOf, diffSummary } from '../../../src/report/change-view.js';
import { codeSpan, mdText } from '../../../src/report/escape.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { severities, statuses } from '../../../src/types.js';
import { baselineFile, continuousReport, hostile, hostileReason, sampleReport, suppressionsFile } from '../../fixtures/sample-run.js';

/** Lines outside fenced code blocks (where Markdown and HTML are live). */
function liveLines(md: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (fence) {
      if (m && m[1] === fence && line.trim() === fence) fence = undefined;
    } else if (m) fence = m[1];
    else out.push(line);
  }
  expect(fence, 'an unclosed code fence').toBeUndefined();
  return out;
}

/** Table cells split on unescaped pipes. */
const cells = (row: string) =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());

describe('markdown summary', () => {
  const report = sampleReport();
  const md = renderMarkdown(report);

  it('counts findings by severity', () => {
    const head = md.split('\n').findIndex((l) => l.startsWith(`| ${severities.join(' | ')} | total |`));
    expect(head).toBeGreaterThan(0);
    expect(cells(md.split('\n')[head + 2]!)).toEqual([
      ...severities.map((s) => String(report.summary.bySeverity[s])),
      String(report.summary.findings),
    ]);
    expect(md.split('\n')[0]).toBe('## exposure-audit: 5 findings (1 critical, 1 high, 1 medium, 1 low, 1 info)');
  });

  it('counts endpoints by status, with not-tested spelled out', () => {
    const lines = md.split('\n');
    for (const s of statuses) {
      const row = lines.find((l) => l.startsWith(`| ${s} |`));
      expect(row, s).toBeDefined();
      expect(cells(row!)[1]).toBe(String(report.summary.byStatus[s]));
    }
    const nt = lines.find((l) => l.startsWith('| **not tested** |'))!;
    expect(cells(nt)[1]).toBe(`**${report.summary.notTested}**`);
    expect(md).toContain(`**${report.summary.notTested} endpoints were not tested**`);
    // Closed endpoints (tested, no service) are one row per host in their own <details>, not listed one by one.
    const closed = report.summary.byStatus.closed;
    expect(closed).toBeGreaterThan(0);
    expect(md).toContain(
      `<summary>${report.summary.notTested} endpoints not tested (${closed} more tested with no service, ${noServiceWords}: one row per host below)</summary>`,
    );
    expect(md).toMatch(new RegExp(`<summary>\\d+ endpoints? on \\d+ hosts? tested and ${noServiceWords} \\(no service\\)</summary>`));
    expect(renderMarkdown(report, { allEndpoints: true })).toContain(
      `<summary>${report.summary.notTested} endpoints not tested, ${closed} tested with no service (${noServiceWords})</summary>`,
    );
  });

  it('has one table row per finding, each with six cells whatever the evidence holds', () => {
    const rows = liveLines(md).filter((l) => /^\| \*\*(critical|high|medium|low|info)\*\* \|/.test(l));
    expect(rows).toHaveLength(report.findings.length);
    rows.forEach((r, i) => {
      const c = cells(r);
      expect(c).toHaveLength(6);
      expect(c[0]).toBe(`**${report.findings[i]!.severity}**`);
      expect(c[5]).toBe(`\`${report.findings[i]!.source.file}:${report.findings[i]!.source.line}\``);
    });
  });

  it('folds each finding’s evidence into <details>, inert', () => {
    // The hostile reply is only ever inside code fences: no live HTML, link or table syntax from it.
    const live = liveLines(md).join('\n');
    // + the endpoints not tested, + the hosts whose ports are closed.
    expect(live.match(/<details>/g)).toHaveLength(report.findings.length + 2);
    expect(live.match(/<\/details>/g)).toHaveLength(report.findings.length + 2);
    expect(live).not.toMatch(/<script|<img|onerror/i);
    expect(live).not.toContain('](http');
    expect(md).toContain(hostile.script); // verbatim, inside a fence
    // A fence longer than the ``` inside the evidence.
    expect(md).toMatch(/^````text$/m);
    // No control characters reach the output.
    // eslint-disable-next-line no-control-regex
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(md).toContain('nul\\x00bell\\x07esc\\x1b[31mred');
  });

  it('warns when the run was interrupted', () => {
    expect(md).not.toContain('Incomplete');
    expect(renderMarkdown(sampleReport({ complete: false }))).toContain('**Incomplete:** the run was interrupted');
  });

  it('says so when there is nothing to report', () => {
    const empty = {
      ...report,
      findings: [],
      summary: { ...report.summary, findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
    };
    const out = renderMarkdown(empty);
    expect(out.split('\n')[0]).toBe('## exposure-audit: 0 findings');
    expect(out).toContain('No findings.');
  });

  it('stays well under GitHub’s 65,536-character comment limit for a small report, and caps evidence', () => {
    expect(md.length).toBeLessThan(20_000);
    const long = { ...report, findings: report.findings.map((f) => ({ ...f, evidence: { ...f.evidence, reply: 'x'.repeat(50_000) } })) };
    const out = renderMarkdown(long, { maxEvidenceChars: 100 });
    expect(out.length).toBeLessThan(20_000);
    expect(out).toContain('more characters in the JSON report');
  });

  it('escapes text for cells and code spans', () => {
    expect(mdText('a|b <i>[x](y)</i>\nz')).toBe('a\\|b &lt;i&gt;\\[x\\]\\(y\\)&lt;/i&gt; z');
    expect(codeSpan('my_targets.yaml:3')).toBe('`my_targets.yaml:3`');
    expect(codeSpan('a`b|c')).toBe('``a`b\\|c``');
  });
});

describe('markdown summary: continuous auditing', () => {
  const report = continuousReport();
  const md = renderMarkdown(report);
  const lines = md.split('\n');
  const live = liveLines(md);
  const findingsAt = live.indexOf('### Findings');
  const findingRows = live
    .slice(findingsAt, live.indexOf('<details>', findingsAt))
    .filter((l) => /^\| \*\*(critical|high|medium|low|info)\*\*/.test(l));
  const rowOf = (host: string) => findingRows.find((r) => r.includes(`\`${host}:`))!;

  it.each([
    ['127.0.0.10', '**critical**', []],
    [
      '127.0.0.12',
      '**high** `was medium` `SUPPRESSED`',
      ['open since 2025\\-01\\-15, 45 days', 'suppressed until 2025\\-06\\-30 by data\\-team: '],
    ],
    ['127.0.0.13', '**medium** `NEW`', ['open since 2025\\-03\\-01 \\(today\\)']],
    ['127.0.0.14', '**low** `NEW`', []],
    ['127.0.0.15', '**info** `EXPIRED`', ['suppression by platform expired on 2025\\-02\\-28']],
  ] as const)('%s: badges by the severity (%s) and the why under the reason', (host, sev, why) => {
    const c = cells(rowOf(host));
    expect(c).toHaveLength(6);
    expect(c[0]).toBe(sev);
    const f = report.findings.find((x) => x.host === host)!;
    const parts = c[4]!.split('<br>');
    expect(parts[0]).toBe(mdText(f.reason));
    expect(parts[1]).toBe(mdText(changeOf(f).since!)); // "open since …" right under the reason
    for (const w of why) expect(c[4]).toContain(w);
  });

  it('says an expired suppression once (the reason carries it)', () => {
    const c = cells(rowOf('127.0.0.15'))[4]!;
    expect(c.split('expired on').length).toBe(2);
  });

  it('counts suppressed findings in the summary, and summarises the changes', () => {
    const head = lines.findIndex((l) => l.startsWith(`| ${severities.join(' | ')} | total | suppressed |`));
    expect(head).toBeGreaterThan(0);
    expect(cells(lines[head + 2]!)).toEqual([
      ...severities.map((s) => String(report.summary.bySeverity[s])),
      String(report.summary.findings),
      String(report.summary.suppressed),
    ]);
    expect(md).toContain(`${report.summary.suppressed} suppressed: accepted risks`);
    expect(md).toContain(`**Changes** ${mdText(diffSummary(report)!)}`);
    // Without suppressions applied there is no suppressed column.
    expect(renderMarkdown(sampleReport())).not.toContain('| suppressed |');
  });

  it('has a "Changes since <baseline>" section from the diff renderer, under this report\'s headings', () => {
    expect(lines).toContain(`### Changes since ${codeSpan(baselineFile)}`);
    const at = lines.indexOf(`### Changes since ${codeSpan(baselineFile)}`);
    const section = lines.slice(
      at + 1,
      lines.findIndex((l, i) => i > at && l.startsWith('### ')),
    );
    for (const t of [
      '#### New',
      '#### Severity changed',
      '#### Resolved',
      '#### Not re-checked (no verdict this run that proves a fix: still open, not evidence of a fix)',
    ])
      expect(section).toContain(t);
    const resolved = section.filter((l) => l.startsWith('| ~~'));
    expect(resolved).toHaveLength(report.diff!.resolved.length);
    expect(cells(resolved[0]!)).toEqual([
      `~~${report.diff!.resolved[0]!.severity}~~`,
      '`127.0.0.16:6379`',
      '`redis`',
      mdText(report.diff!.resolved[0]!.title),
    ]);
    expect(section.some((l) => l.startsWith('| medium → **high** |'))).toBe(true);
    expect(renderMarkdown(sampleReport())).not.toContain('Changes since');
    // Heading levels follow --heading-level.
    expect(renderMarkdown(report, { headingLevel: 3 }).split('\n')).toContain(`#### Changes since ${codeSpan(baselineFile)}`);
  });

  it('lists stale suppressions with file:line', () => {
    const at = lines.indexOf('### Stale suppressions');
    expect(at).toBeGreaterThan(0);
    const items = lines.slice(at).filter((l) => l.startsWith('- '));
    expect(items).toHaveLength(report.suppressions!.stale.length);
    report.suppressions!.stale.forEach((s, i) => {
      expect(items[i]!.startsWith(`- ${codeSpan(`${suppressionsFile}:${s.source.line}`)}: `)).toBe(true);
      expect(items[i]).toContain(mdText(`owner ${s.owner}, expires ${s.expires}${s.expired ? ', expired' : ''}`));
    });
    expect(renderMarkdown(sampleReport())).not.toContain('Stale suppressions');
  });

  it('keeps suppression text from the inventory inert', () => {
    expect(findingRows).toHaveLength(report.findings.length);
    const text = live.join('\n');
    expect(text).not.toMatch(/<img|onerror="window.__pwned = 3">/);
    expect(text).not.toContain('](http');
    expect(md).toContain(mdText(hostileReason));
    expect(md).toContain(hostile.script); // the evidence, still fenced
    // The findings table keeps six cells in every row, suppression reason (with a pipe) included.
    for (const r of findingRows) expect(cells(r)).toHaveLength(6);
  });
});
