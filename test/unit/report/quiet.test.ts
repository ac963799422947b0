import { describe, expect, it } from 'vitest';
import { quietText } from '../../../src/report/quiet.js';
import type { Report } from '../../../src/report/schema.js';
import { summaryLine } from '../../../src/report/table.js';
import { sampleReport } from '../../fixtures/sample-run.js';

type Finding = Report['findings'][number];

/** `-q`'s text from a report: summary line first, critical/high findings after it, capped with a count. */
describe('quietText', () => {
  const base = sampleReport();
  const serious = base.findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
  const other = base.findings.filter((f) => f.severity !== 'critical' && f.severity !== 'high');

  it('the summary line, then one line per critical or high finding; nothing for lower severities', () => {
    expect(serious.length).toBeGreaterThan(0);
    const lines = quietText(base).trimEnd().split('\n');
    expect(lines[0]).toBe(summaryLine(base));
    expect(lines).toHaveLength(1 + serious.length);
    for (const [i, f] of serious.entries()) expect(lines[i + 1]).toContain(`${f.host}:${f.port} ${f.service}: `);
    for (const f of other) expect(lines.slice(1).join('\n')).not.toContain(f.title);
  });

  it('caps the list and counts the rest; suppressed findings are left out', () => {
    const many: Finding[] = Array.from({ length: 25 }, (_, i) => ({ ...serious[0]!, port: 1000 + i }));
    const suppressed: Finding = {
      ...serious[0]!,
      port: 2000,
      suppressed: { reason: 'lab', owner: 'me', expires: '2030-01-01' } as Finding['suppressed'],
    };
    const text = quietText({ ...base, findings: [...many, suppressed] }, false, 20);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[21]).toBe('… and 5 more critical or high findings (the report has them all: -o report.html)');
    expect(text).not.toContain(':2000 ');
  });

  it('control characters from a server never reach the terminal', () => {
    const f: Finding = { ...serious[0]!, title: 'evil\u001b[2Jtitle' };
    // eslint-disable-next-line no-control-regex -- an ANSI escape is what must be absent
    expect(quietText({ ...base, findings: [f] })).not.toMatch(/\x1b/);
  });
});
