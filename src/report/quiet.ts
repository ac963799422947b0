import { changeOf } from './change-view.js';
import { terminalText } from './escape.js';
import type { Report } from './schema.js';
import { summaryLine } from './table.js';

/** Findings listed by `-q` at most; the rest are one count. */
export const quietFindingCap = 20;

/**
 * What `-q` prints (issue 23 part 5): the summary line, then one line per critical or high finding not under a
 * suppression — worst first, at most `cap`, the rest counted — so a CI log says which findings failed the job.
 */
export function quietText(report: Report, color = false, cap = quietFindingCap): string {
  const serious = report.findings.filter((f) => (f.severity === 'critical' || f.severity === 'high') && !f.suppressed);
  const lines = serious.slice(0, cap).map((f) => {
    const badges = changeOf(f).marker;
    const where = `${f.asset === f.host ? '' : `${f.asset} `}${f.host}:${f.port}`;
    return terminalText(`${f.severity.padEnd(8)} ${badges ? `${badges} ` : ''}${where} ${f.service}: ${f.title}`);
  });
  if (serious.length > cap)
    lines.push(`… and ${serious.length - cap} more critical or high findings (the report has them all: -o report.html)`);
  return [summaryLine(report, color), ...lines].map((l) => `${l}\n`).join('');
}
