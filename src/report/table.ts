import Table from 'cli-table3';
import pc from 'picocolors';
import { statuses, type Severity, type Status } from '../types.js';
import type { Report } from './schema.js';
import { changeOf, continuousLines, continuousSummary, whyExtras } from './change-view.js';
import { plural } from '../text.js';
import { aftermathOf, dataClassSummary } from './aftermath-view.js';
import { terminalText } from './escape.js';

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
    const t = new Table({ head: ['severity', 'endpoint', 'service', 'finding', 'why'], style, wordWrap: true, colWidths: [12, 22, 12, 34, 50] });
    for (const f of report.findings) {
      const v = changeOf(f); // NEW / was medium / SUPPRESSED; open since …
      const why = [f.reason, ...whyExtras(f)].join('\n');
      t.push([[sev[f.severity](f.severity), ...v.badges.map((b) => c.bold(b))].join('\n'), `${f.asset === f.host ? '' : `${f.asset}\n`}${f.host}:${f.port}`, f.service, f.title, why]);
    }
    out.push(t.toString());
  } else {
    out.push(c.green('No findings.'));
  }
  out.push(...aftermathLines(report, opts));
  out.push(...continuousLines(report, opts.color)); // resolved, not retested, stale suppressions
  const e = new Table({ head: ['endpoint', 'service', 'probe', 'status', 'evidence'], style, wordWrap: true, colWidths: [22, 12, 19, 15, 62] });
  for (const r of report.endpoints) {
    const bits = [r.evidence.product, r.evidence.version, r.evidence.reply ?? r.error?.message].filter(Boolean).join(' · ');
    e.push([`${r.host}:${r.port}`, r.service, r.probe, st[r.status](r.status), bits.slice(0, 300)]);
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
