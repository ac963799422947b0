import Table from 'cli-table3';
import pc from 'picocolors';
import { statuses, type Severity, type Status } from '../types.js';
import type { Report } from './schema.js';
import { changeOf, continuousLines, continuousSummary, whyExtras } from './change-view.js';
import { plural } from '../text.js';
import { aftermathOf, dataClassSummary } from './aftermath-view.js';
import { terminalText } from './escape.js';

/** Most characters of server-influenced text one cell shows; the JSON report keeps the full (already capped) text. */
const cellChars = 600;

/**
 * Greedy word wrap in one pass (words longer than the width are cut), so rendering is linear in its input.
 * cli-table3's own wordWrap grew about n^2.8 on a few KB of server text (a table name with spaces in a reason).
 */
export function wrapText(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let cur = '';
    for (const word of line.split(' ')) {
      if (!word) continue;
      let w = word;
      while (w.length > width) {
        if (cur) out.push(cur);
        cur = '';
        out.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!w) continue;
      if (!cur) cur = w;
      else if (cur.length + 1 + w.length <= width) cur += ` ${w}`;
      else {
        out.push(cur);
        cur = w;
      }
    }
    out.push(cur);
  }
  return out.join('\n');
}

/**
 * One cell of server-influenced text: control characters neutralised (the one neutraliser, src/report/escape.ts:
 * a reply cannot clear the screen, set the title or write the clipboard), CR and tab as spaces, length-capped, wrapped.
 */
function cell(text: string, colWidth: number): string {
  const safe = terminalText(text).replace(/[\r\t]/g, ' ');
  const capped = safe.length > cellChars ? `${safe.slice(0, cellChars)}…` : safe;
  return wrapText(capped, colWidth - 2);
}

export interface TableOptions {
  color: boolean;
  /** `--explain`: every step of each finding's response checklist (else a short view that points to it). */
  explain?: boolean;
}

type Paint = (s: string) => string;

function palette(color: boolean) {
  const c = pc.createColors(color);
  const sev: Record<Severity, Paint> = { critical: (s) => c.bold(c.red(s)), high: c.red, medium: c.yellow, low: c.cyan, info: c.dim };
  const st: Record<Status, Paint> = {
    exposed: (s) => c.bold(c.red(s)),
    'auth-required': c.green,
    denied: c.yellow,
    'not-detected': c.dim,
    closed: c.dim,
    filtered: c.dim,
    timeout: c.magenta,
    error: c.magenta,
  };
  return { c, sev, st };
}

/** One line counting endpoints per status, so "never tested" can never read as "safe". */
export function summaryLine(report: Report, color = false): string {
  const { st, c } = palette(color);
  const parts = statuses.filter((s) => report.summary.byStatus[s] > 0).map((s) => st[s](`${report.summary.byStatus[s]} ${s}`));
  const untested = report.summary.notTested ? c.magenta(` — ${report.summary.notTested} not tested (closed, timeout or error)`) : '';
  const incomplete = report.run.complete ? '' : c.bold(c.magenta(' — INCOMPLETE: the run was interrupted'));
  return `${plural(report.summary.endpoints, 'endpoint')}: ${parts.join(', ') || 'none'}${untested}${incomplete}`;
}

export function renderTable(report: Report, opts: TableOptions): string {
  const { sev, st, c } = palette(opts.color);
  const out: string[] = [];
  const style = { head: opts.color ? ['bold'] : [], border: opts.color ? ['grey'] : [] };
  if (report.findings.length) {
    const t = new Table({ head: ['severity', 'endpoint', 'service', 'finding', 'why'], style, wordWrap: false, colWidths: [12, 22, 12, 34, 50] });
    for (const f of report.findings) {
      const v = changeOf(f); // NEW / was medium / SUPPRESSED; open since …
      const why = [f.reason, ...whyExtras(f)].join('\n');
      t.push([
        [sev[f.severity](f.severity), ...v.badges.map((b) => c.bold(terminalText(b)))].join('\n'),
        cell(`${f.asset === f.host ? '' : `${f.asset}\n`}${f.host}:${f.port}`, 22),
        cell(f.service, 12),
        cell(f.title, 34),
        cell(why, 50),
      ]);
    }
    out.push(t.toString());
  } else {
    out.push(c.green('No findings.'));
  }
  out.push(...aftermathLines(report, opts));
  out.push(...continuousLines(report, opts.color)); // resolved, not retested, stale suppressions
  const e = new Table({ head: ['endpoint', 'service', 'probe', 'status', 'evidence'], style, wordWrap: false, colWidths: [22, 12, 19, 15, 62] });
  for (const r of report.endpoints) {
    const bits = [r.evidence.product, r.evidence.version, r.evidence.reply ?? r.error?.message].filter(Boolean).join(' · ');
    e.push([cell(`${r.host}:${r.port}`, 22), cell(r.service, 12), cell(r.probe, 19), st[r.status](r.status), cell(bits.slice(0, 300), 62)]);
  }
  out.push(e.toString());
  const sevCounts = Object.entries(report.summary.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => sev[s as Severity](`${n} ${s}`));
  out.push(`${summaryLine(report, opts.color)}\n${plural(report.summary.findings, 'finding')}${sevCounts.length ? `: ${sevCounts.join(', ')}` : ''}${continuousSummary(report)}`);
  const classes = dataClassSummary(report);
  if (classes) out.push(`data classes readable: ${terminalText(classes)}`);
  return `${out.join('\n')}\n`;
}

/** What leaked, since when, who else read it, what to do: per finding that has any of it (issue 13). */
function aftermathLines(report: Report, opts: TableOptions): string[] {
  const { sev, c } = palette(opts.color);
  const out: string[] = [];
  for (const f of report.findings) {
    const a = aftermathOf(f);
    if (!a) continue;
    out.push(`${sev[f.severity](f.severity)} ${terminalText(`${f.host}:${f.port} ${f.title}`)}`);
    if (a.classes) out.push(`  what it is: ${terminalText(a.classes)}`);
    const age = opts.explain ? a.age : a.age.slice(0, 3);
    for (const x of age) out.push(`  how old:    ${terminalText(x)}`);
    if (a.age.length > age.length) out.push(`  how old:    (+${a.age.length - age.length} more)`);
    if (a.access) out.push(`  others:     ${terminalText(a.access)}`);
    if (opts.explain) {
      out.push('  what to do now:');
      a.steps.forEach((x, i) => out.push(`   ${i + 1}. ${terminalText(x)}`));
    } else {
      const rotate = f.response?.rotate.find((r) => r.fingerprints?.length);
      if (rotate) out.push(`  rotate:     ${terminalText(`${rotate.count ?? ''} ${rotate.what}: ${rotate.fingerprints!.join(', ')}`.trim())}`);
      out.push(c.dim(`  ${a.steps.length} response steps: run with --explain, or see the JSON / Markdown / HTML report`));
    }
  }
  return out.length ? ['', c.bold('What leaked and what to do now'), ...out, ''] : [];
}
