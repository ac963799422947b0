import pc from 'picocolors';
import { notRetestedWhy } from '../domain/status.js';
import type { Severity } from '../types.js';
import { codeSpan, mdText, terminalText } from './escape.js';
import type { Report, ReportFinding } from './schema.js';

type DiffEntry = NonNullable<Report['diff']>['resolved'][number];
type StaleSuppression = NonNullable<Report['suppressions']>['stale'][number];

/**
 * How one finding relates to earlier runs, ready for any renderer (table, Markdown, HTML, SARIF, JUnit):
 * every field is plain text and absent when there is nothing to say.
 */
export interface ChangeView {
  change?: 'new' | 'unchanged' | 'changed-severity';
  previousSeverity?: Severity;
  /** Short badges (each at most 10 characters): `NEW` or `was medium`, then `SUPPRESSED` or `EXPIRED` (the suppression). */
  badges: string[];
  /** The badges on one line (`NEW, SUPPRESSED`), or ''. */
  marker: string;
  /** `open since 2026-10-02, 51 days`. */
  since?: string;
  /** `suppressed until 2026-12-31 by web-team: replica being decommissioned`. */
  suppression?: string;
  /** `suppression by web-team expired on 2026-10-01 (was: …)`. */
  expired?: string;
}

export function ageText(f: Pick<ReportFinding, 'firstSeen' | 'ageDays'>): string | undefined {
  if (!f.firstSeen) return undefined;
  const date = f.firstSeen.slice(0, 10);
  const n = f.ageDays ?? 0;
  return n === 0 ? `open since ${date} (today)` : `open since ${date}, ${n} day${n === 1 ? '' : 's'}`;
}

export function changeOf(f: ReportFinding): ChangeView {
  const badges: string[] = [];
  if (f.change === 'new') badges.push('NEW');
  else if (f.change === 'changed-severity' && f.previousSeverity) badges.push(`was ${f.previousSeverity}`);
  if (f.suppressed) badges.push('SUPPRESSED');
  if (f.suppressionExpired) badges.push('EXPIRED');
  const view: ChangeView = { badges, marker: badges.join(', ') };
  if (f.change) view.change = f.change;
  if (f.previousSeverity) view.previousSeverity = f.previousSeverity;
  const since = ageText(f);
  if (since) view.since = since;
  if (f.suppressed) view.suppression = `suppressed until ${f.suppressed.expires} by ${f.suppressed.owner}: ${f.suppressed.reason}`;
  if (f.suppressionExpired)
    view.expired = `suppression by ${f.suppressionExpired.owner} expired on ${f.suppressionExpired.expires} (was: ${f.suppressionExpired.reason})`;
  return view;
}

/** `vs report.json: 1 new, 1 resolved, 0 severity changed, 3 unchanged` (+ not retested), or undefined without a diff. */
export function diffSummary(report: Report): string | undefined {
  const d = report.diff;
  if (!d) return undefined;
  const parts = [`${d.new} new`, `${d.resolved.length} resolved`, `${d.changedSeverity} severity changed`, `${d.unchanged} unchanged`];
  if (d.notRetested.length) parts.push(`${d.notRetested.length} not retested`);
  return `vs ${d.baseline}: ${parts.join(', ')}`;
}

const endpointOf = (e: DiffEntry) => `${e.asset === e.host ? '' : `${e.asset} `}${e.host}:${e.port}`;

/** One plain line per resolved / not-retested baseline finding. */
export function entryLine(e: DiffEntry): string {
  const why = e.resolvedAs === 'unreachable' ? ` (resolved as unreachable after ${e.unreachableRuns ?? '?'} runs: not proven)` : '';
  return `${e.severity.padEnd(8)} ${endpointOf(e)} ${e.service}: ${e.title}${why}`;
}

/** A baseline finding still open but not re-checked this run: `open, not re-checked since 2026-12-05`. */
export function notRecheckedLine(e: DiffEntry): string {
  return `${entryLine(e)} — open, not re-checked since ${e.lastSeen ? e.lastSeen.slice(0, 10) : 'the baseline'}`;
}

/** Lines the terminal table prints after the findings: resolved, not retested, stale suppressions. */
export function continuousLines(report: Report, color = false): string[] {
  const c = pc.createColors(color);
  const out: string[] = [];
  const d = report.diff;
  if (d?.resolved.length) {
    out.push(c.green(`RESOLVED since ${d.baseline} (${d.resolved.length}):`));
    for (const e of d.resolved) out.push(`  ${c.green('✓')} ${terminalText(entryLine(e))}`);
  }
  if (d?.notRetested.length) {
    out.push(
      c.magenta(
        `NOT RETESTED (${d.notRetested.length}) — in the baseline, no verdict this run that proves a fix (${notRetestedWhy}): not evidence of a fix`,
      ),
    );
    for (const e of d.notRetested) out.push(`  ? ${terminalText(notRecheckedLine(e))}`);
  }
  const stale = report.suppressions?.stale ?? [];
  if (stale.length) {
    out.push(c.yellow(`STALE SUPPRESSIONS (${stale.length}) — matched no finding; remove them:`));
    for (const x of stale.map(staleSuppressionText)) out.push(terminalText(`  ${x.location}: ${x.text}`));
  }
  return out;
}

/**
 * One stale suppression in words, for every renderer (the table, Markdown, HTML, SARIF): its declaration
 * (`file:line:column`) and what it covered (`host 127.0.0.9, redis (owner web-team, expires 2026-06-30)`).
 */
export function staleSuppressionText(s: StaleSuppression): { stale: StaleSuppression; location: string; text: string } {
  const what = [
    s.asset && `asset ${s.asset}`,
    s.host && `host ${s.host}`,
    s.service,
    s.port && `port ${s.port}`,
    s.check && `check ${s.check}`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    stale: s,
    location: `${s.source.file}:${s.source.line}:${s.source.column}`,
    text: `${what} (owner ${s.owner}, expires ${s.expires}${s.expired ? ', expired' : ''})`,
  };
}

/** What the findings line of the table adds: suppressed count and the diff summary. */
export function continuousSummary(report: Report): string {
  const bits: string[] = [];
  if (report.summary.suppressed) bits.push(`${report.summary.suppressed} suppressed`);
  const d = diffSummary(report);
  if (d) bits.push(d);
  return bits.length ? ` (${bits.join('; ')})` : '';
}

/** `exposure-audit diff --format table`: only what changed. */
export function renderDiffText(report: Report, color = false): string {
  const c = pc.createColors(color);
  const d = report.diff;
  if (!d) return 'No baseline to compare with.\n';
  const out: string[] = [`Changes ${diffSummary(report)}`];
  const section = (title: string, fs: Report['findings'], show: (f: ReportFinding) => string) => {
    if (!fs.length) return;
    out.push('', title);
    for (const f of fs) out.push(`  ${show(f)}`);
  };
  const line = (f: ReportFinding) => {
    const v = changeOf(f);
    const extra = [v.suppression, v.expired].filter(Boolean).join('; ');
    return `${entryLine(f)}${extra ? ` — ${extra}` : ''}`;
  };
  section(
    c.bold(c.red(`NEW (${d.new})`)),
    report.findings.filter((f) => f.change === 'new'),
    line,
  );
  section(
    c.yellow(`SEVERITY CHANGED (${d.changedSeverity})`),
    report.findings.filter((f) => f.change === 'changed-severity'),
    (f) => `${f.previousSeverity} → ${line(f)}`,
  );
  const rest = continuousLines({ ...report, suppressions: undefined }, color);
  if (rest.length) out.push('', ...rest);
  if (!d.new && !d.changedSeverity && !d.resolved.length && !d.notRetested.length) out.push('', c.green('No changes.'));
  return `${out.join('\n')}\n`;
}

/** `exposure-audit diff --format markdown`: a PR-comment-sized summary of what changed. */
export function renderDiffMarkdown(report: Report): string {
  const d = report.diff;
  if (!d) return 'No baseline to compare with.\n';
  const out: string[] = [
    `## exposure-audit: changes since ${codeSpan(d.baseline)}`,
    '',
    `**${mdText(diffSummary(report)!.replace(/^vs .*?: /, ''))}**`,
  ];
  const table = (title: string, rows: Array<[string, string, string, string]>) => {
    if (!rows.length) return;
    out.push('', `### ${title}`, '', '| severity | endpoint | service | finding |', '|---|---|---|---|');
    for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  };
  const row = (e: DiffEntry, sev: string): [string, string, string, string] => [
    sev,
    codeSpan(endpointOf(e)),
    codeSpan(e.service),
    mdText(e.title),
  ];
  table(
    'New',
    report.findings.filter((f) => f.change === 'new').map((f) => row(f, `**${f.severity}**${f.suppressed ? ' (suppressed)' : ''}`)),
  );
  table(
    'Severity changed',
    report.findings.filter((f) => f.change === 'changed-severity').map((f) => row(f, `${f.previousSeverity} → **${f.severity}**`)),
  );
  table(
    'Resolved',
    d.resolved.map((e) => row(e, `~~${e.severity}~~`)),
  );
  table(
    'Not re-checked (no verdict this run that proves a fix: still open, not evidence of a fix)',
    d.notRetested.map((e) => row(e, `${e.severity}, open since ${e.lastSeen ? e.lastSeen.slice(0, 10) : 'the baseline'}`)),
  );
  table(
    'Retired (asset no longer in the inventory: not evidence of a fix)',
    (d.retired ?? []).map((e) => row(e, e.severity)),
  );
  if (!d.new && !d.changedSeverity && !d.resolved.length && !d.notRetested.length) out.push('', 'No changes.');
  return `${out.join('\n')}\n`;
}

/**
 * What a finding's "why" shows after its reason, from the change view: `open since …`, `suppressed until … by …: …`,
 * and the expired suppression unless the reason already says it (the model appends it there).
 */
export function whyExtras(f: ReportFinding): string[] {
  const v = changeOf(f);
  return [v.since, v.suppression, v.expired && !f.reason.includes(v.expired) ? v.expired : undefined].filter((x): x is string =>
    Boolean(x),
  );
}
