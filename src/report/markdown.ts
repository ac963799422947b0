import { interruptedText } from './interrupted.js';
import { isNotTested, noServiceStatuses, notTestedStatuses, notTestedWords, statusMeaning } from '../domain/status.js';
import { endpointSource, NoServiceTally, noServiceCounts, noServicePorts, noServiceWords, type EndpointSource } from './no-service.js';
import { severities, statuses, type Status } from '../types.js';
import { changeOf, diffSummary, renderDiffMarkdown, staleSuppressionText, whyExtras } from './change-view.js';
import { codeSpan, mdFence as fence, mdHtmlText as htmlText, mdText } from './escape.js';
import type { Report } from './schema.js';
import { aftermathOf, dataClassSummary } from './aftermath-view.js';

export interface MarkdownOptions {
  /** Longest evidence excerpt shown per finding (the JSON report has it all). Default 2000 characters. */
  maxEvidenceChars?: number;
  /** Heading level of the title (2 for a PR comment under others). Default 2. */
  headingLevel?: number;
  /**
   * Most bytes the document may take (GitHub counts characters; a byte count is never below it). Default
   * `markdownLimits.comment`. Sections past it are cut row by row, with counts and `fullReport` in a closing note.
   */
  limit?: number;
  /** Where the full report is (another --out file), named in the truncation note. */
  fullReport?: string;
  /** List closed (tested, no service) endpoints one by one instead of one row per host. */
  allEndpoints?: boolean;
  /** Where the endpoints come from (the spool); default the report's array. */
  endpoints?: EndpointSource;
}

/** GitHub's limits: a PR/issue comment body (65,536 characters) and $GITHUB_STEP_SUMMARY (1 MiB per step). */
export const markdownLimits = { comment: 65_536, summary: 1024 * 1024 } as const;
export type MarkdownLimit = keyof typeof markdownLimits;

/** Room kept for the truncation note and the closing lines of an open section. */
const NOTE_RESERVE = 1024;

/**
 * Lines within a byte budget: `push` refuses a line that would pass it (and the caller counts what was left out).
 * The size of every line is counted once: linear in the document.
 */
class Budget {
  readonly out: string[] = [];
  #bytes = 0;
  readonly #limit: number;
  cut = false;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Adds the lines if all fit within the limit less `reserve`; else adds nothing and returns false. */
  push(...list: string[]): boolean {
    return this.pushWithin(list, NOTE_RESERVE);
  }

  pushWithin(list: string[], reserve: number): boolean {
    let n = 0;
    for (const l of list) n += Buffer.byteLength(l) + 1;
    if (this.#bytes + n > this.#limit - reserve) {
      this.cut = true;
      return false;
    }
    this.out.push(...list);
    this.#bytes += n;
    return true;
  }

  /** Adds lines whatever the budget (the note, closing tags: within the reserve). */
  force(...lines: string[]): void {
    for (const l of lines) this.#bytes += Buffer.byteLength(l) + 1;
    this.out.push(...lines);
  }
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters in the JSON report)` : s;
}

/** What the byte budget left out, counted per section for the truncation note. */
interface LeftOut {
  findings: number;
  details: number;
  endpoints: number;
  hosts: number;
}

/**
 * A summary for a pull-request comment or $GITHUB_STEP_SUMMARY: counts by severity and by status (with the
 * endpoints that were not tested spelled out), a findings table, and each finding's evidence folded in <details>.
 */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const max = opts.maxEvidenceChars ?? 2000;
  const h = '#'.repeat(Math.min(6, Math.max(1, opts.headingLevel ?? 2)));
  const limit = Math.max(8 * NOTE_RESERVE, opts.limit ?? markdownLimits.comment);
  const out = new Budget(limit);
  const left: LeftOut = { findings: 0, details: 0, endpoints: 0, hosts: 0 };
  pushHeader(out, report, h);
  pushSeverityCounts(out, report, h);
  pushStatusCounts(out, report, h);
  pushFindings(out, report, h, { limit, max, left });
  pushDiff(out, report, h);
  pushStaleSuppressions(out, report, h);
  const tally = pushEndpointList(out, report, opts, left);
  if (tally.endpoints && !opts.allEndpoints) pushNoServiceHosts(out, tally, left);
  if (out.cut) out.force(...truncationNote(left, limit, opts.fullReport));
  return `${out.out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** The title with the counts, the run line, and the warnings that come before any table. */
function pushHeader(out: Budget, report: Report, h: string): void {
  const { summary, run } = report;
  const sevParts = severities.filter((s) => summary.bySeverity[s] > 0).map((s) => `${summary.bySeverity[s]} ${s}`);
  out.push(
    `${h} exposure-audit: ${summary.findings} finding${summary.findings === 1 ? '' : 's'}${sevParts.length ? ` (${sevParts.join(', ')})` : ''}`,
  );
  out.push('');
  out.push(
    `Inventory ${codeSpan(run.inventory)} · ${summary.endpoints} endpoints · fail-on **${run.failOn}** · ${run.startedAt} · ${(run.durationMs / 1000).toFixed(1)} s${run.shard ? ` · shard ${run.shard.index}/${run.shard.count}` : ''} · exposure-audit ${mdText(report.tool.version)}`,
  );
  if (!run.complete) {
    out.push('');
    out.push('> [!WARNING]');
    out.push(`> **Incomplete:** ${mdText(interruptedText(run))}`);
  }
  if (summary.notTested > 0) {
    out.push('');
    out.push(
      `> **${summary.notTested} endpoint${summary.notTested === 1 ? ' was' : 's were'} not tested** (${notTestedWords}): no verdict on authentication.`,
    );
  }
  const changes = diffSummary(report);
  if (changes) {
    out.push('');
    out.push(`**Changes** ${mdText(changes)}`);
  }
}

/** Findings by severity (with the suppressed column once suppressions were applied) and the data classes readable. */
function pushSeverityCounts(out: Budget, report: Report, h: string): void {
  const { summary } = report;
  out.push('');
  out.push(`${h}# Findings by severity`);
  out.push('');
  // The suppressed column appears once suppressions were applied (then 0 is a real zero).
  const supp = summary.suppressed !== undefined;
  out.push(`| ${severities.join(' | ')} | total |${supp ? ' suppressed |' : ''}`);
  out.push(`|${severities.map(() => '---:').join('|')}|---:|${supp ? '---:|' : ''}`);
  out.push(
    `| ${severities.map((s) => summary.bySeverity[s]).join(' | ')} | ${summary.findings} |${supp ? ` ${summary.suppressed} |` : ''}`,
  );
  if (supp) {
    out.push('');
    out.push(`${summary.suppressed} suppressed: accepted risks still listed below, not counted for fail-on.`);
  }

  const classLine = dataClassSummary(report);
  if (classLine) {
    out.push('');
    out.push(`**Data classes readable:** ${mdText(classLine)}`);
  }
}

/** Endpoints by status, each with its meaning, and the not-tested total. */
function pushStatusCounts(out: Budget, report: Report, h: string): void {
  const { summary } = report;
  out.push('');
  out.push(`${h}# Endpoints by status`);
  out.push('');
  out.push('| status | endpoints | meaning |');
  out.push('|---|---:|---|');
  // The meaning from the one status table; "not tested" in bold, as the count below it.
  const meaning = (s: Status) => mdText(statusMeaning(s)).replace(/^not tested\b/, '**not tested**');
  for (const s of statuses) out.push(`| ${s} | ${summary.byStatus[s]} | ${meaning(s)} |`);
  out.push(`| **not tested** | **${summary.notTested}** | ${notTestedStatuses.join(' + ')} |`);
}

/** The findings table, then each finding's details while they fit. */
function pushFindings(out: Budget, report: Report, h: string, o: { limit: number; max: number; left: LeftOut }): void {
  out.push('');
  out.push(`${h}# Findings`);
  out.push('');
  if (report.findings.length === 0) {
    out.push('No findings.');
    return;
  }
  out.push('| severity | endpoint | service | finding | why | declared at |');
  out.push('|---|---|---|---|---|---|');
  for (const f of report.findings) {
    const v = changeOf(f); // NEW / was medium / SUPPRESSED / EXPIRED, as the table shows them
    const ep = `${f.asset === f.host ? '' : `${mdText(f.asset)} `}${codeSpan(`${f.host}:${f.port}`)}`;
    const sev = [`**${f.severity}**`, ...v.badges.map(codeSpan)].join(' ');
    const why = [f.reason, ...whyExtras(f)].map(mdText).join('<br>');
    if (
      !out.push(
        `| ${sev} | ${ep} | ${mdText(f.service)} | ${mdText(f.title)} | ${why} | ${codeSpan(`${f.source.file}:${f.source.line}`)} |`,
      )
    )
      o.left.findings++;
  }
  out.push('');
  // The details go while they fit, leaving room for the sections after them (changes, stale suppressions, the
  // endpoints not tested): at most a quarter of the limit.
  const tail = Math.min(Math.floor(o.limit / 4), NOTE_RESERVE + Buffer.byteLength(renderTail(report, h)));
  for (const f of report.findings) if (!out.pushWithin(findingDetails(f, o.max), tail)) o.left.details++;
}

/** One finding folded in <details>: why, remediation, the aftermath, and the evidence (each excerpt clipped to `max`). */
function findingDetails(f: Report['findings'][number], max: number): string[] {
  const v = changeOf(f);
  const d: string[] = [];
  d.push('<details>');
  d.push(
    `<summary>${f.severity}${v.marker ? ` (${htmlText(v.marker)})` : ''}: ${htmlText(f.title)} on ${htmlText(`${f.host}:${f.port}`)}</summary>`,
  );
  d.push('');
  d.push(`**Why:** ${mdText(f.reason)}`);
  d.push('');
  for (const x of whyExtras(f)) d.push(mdText(x), '');
  d.push(`**Remediation:** ${mdText(f.remediation)}`);
  d.push('');
  const after = aftermathOf(f);
  if (after) {
    if (after.classes) d.push(`**What it is:** ${mdText(after.classes)}`, '');
    if (after.age.length) d.push('**How old:**', '', ...after.age.map((x) => `- ${mdText(x)}`), '');
    if (after.access) d.push(`**Other readers:** ${mdText(after.access)}`, '');
    d.push('**What to do now:**', '', ...after.steps.map((x) => `- [ ] ${mdText(x)}`), '');
  }
  const ev = f.evidence;
  const facts = [
    ev.product && `product ${ev.product}`,
    ev.version && `version ${ev.version}`,
    ev.tls && 'TLS',
    ev.limited && 'limited',
    ev.truncated && 'truncated',
  ]
    .filter((x): x is string => Boolean(x))
    .map(mdText);
  if (facts.length) d.push(`**Observed:** ${facts.join(' · ')}`, '');
  d.push('**Requests sent:**', '', fence(clip(ev.requests.join('\n') || '(none)', max)), '');
  if (ev.proof) d.push('**Proof:**', '', fence(clip(ev.proof, max)), '');
  if (ev.reply) d.push('**Reply excerpt:**', '', fence(clip(ev.reply, max)), '');
  if (ev.notes?.length) d.push('**Notes:**', '', ...ev.notes.map((n) => `- ${mdText(n)}`), '');
  d.push('</details>');
  d.push('');
  return d;
}

/** The changes since the baseline, when the report was compared with one. */
function pushDiff(out: Budget, report: Report, h: string): void {
  if (!report.diff) return;
  // present.ts's `diff --format markdown`, its headings moved under this report's title.
  const base = h.length;
  const diffMd = renderDiffMarkdown(report)
    .trimEnd()
    .split('\n')
    .map((line, i) => {
      const m = /^(#+) (.*)$/.exec(line);
      if (!m) return line;
      if (i === 0) return `${h}# Changes since ${codeSpan(report.diff!.baseline)}`;
      return `${'#'.repeat(Math.min(6, base + m[1]!.length - 1))} ${m[2]}`;
    });
  out.push('', ...diffMd, '');
}

/** Suppressions that matched no finding, each with where it is declared. */
function pushStaleSuppressions(out: Budget, report: Report, h: string): void {
  const stale = (report.suppressions?.stale ?? []).map(staleSuppressionText);
  if (!stale.length) return;
  out.push('');
  out.push(`${h}# Stale suppressions`);
  out.push('');
  out.push(
    `${stale.length} suppression${stale.length === 1 ? '' : 's'} matched no finding: remove ${stale.length === 1 ? 'it' : 'them'}, or the exposure ${stale.length === 1 ? 'it' : 'they'} covered came back under another identity.`,
  );
  out.push('');
  for (const x of stale)
    out.push(`- ${codeSpan(`${x.stale.source.file}:${x.stale.source.line}`)}: ${mdText(x.text)} — ${mdText(x.stale.reason)}`);
  out.push('');
}

/** Closes an endpoint list's <details>; its bytes (and the note's) are kept free while rows are added. */
const close = ['', '</details>', ''];
const closeBytes = Buffer.byteLength(close.join('\n')) + NOTE_RESERVE;

/**
 * The endpoints not tested (and, with `allEndpoints`, the ones tested with no service) listed in one <details>.
 * Returns the tally of the endpoints tested with no service, for their one row per host.
 */
function pushEndpointList(out: Budget, report: Report, opts: MarkdownOptions, left: LeftOut): NoServiceTally {
  const { summary } = report;
  // One pass over the endpoints (memory or the spool): the ones not tested listed, the ones tested with no service
  // (closed, filtered) tallied per host, or listed too with `allEndpoints`.
  const tally = new NoServiceTally();
  const noServiceCount = noServiceStatuses.reduce((n, st) => n + summary.byStatus[st], 0);
  const nt = `${summary.notTested} endpoint${summary.notTested === 1 ? '' : 's'} not tested`;
  const listHead = !noServiceCount
    ? nt
    : opts.allEndpoints
      ? `${nt}, ${noServiceCount} tested with no service (${noServiceWords})`
      : `${nt} (${noServiceCount} more tested with no service, ${noServiceWords}: one row per host below)`;

  let opened = false;
  for (const e of endpointSource(report, opts.endpoints)()) {
    const noService = tally.add(e);
    if (!noService && !isNotTested(e.status)) continue;
    if (noService && !opts.allEndpoints) continue;
    if (!opened) {
      opened = out.pushWithin(
        ['<details>', `<summary>${listHead}</summary>`, '', '| endpoint | service | status | why |', '|---|---|---|---|'],
        closeBytes,
      );
    }
    if (
      !opened ||
      !out.pushWithin(
        [
          `| ${codeSpan(`${e.host}:${e.port}`)} | ${mdText(e.service)} | ${e.status} | ${mdText(e.error ? `${e.error.code}: ${e.error.message}` : '')} |`,
        ],
        closeBytes,
      )
    )
      left.endpoints++;
  }
  if (opened) out.force(...close);
  return tally;
}

/** The endpoints tested with no service (closed, filtered): one row per host. */
function pushNoServiceHosts(out: Budget, tally: NoServiceTally, left: LeftOut): void {
  const hosts = tally.hosts();
  const headed = out.pushWithin(
    [
      '<details>',
      `<summary>${tally.endpoints} endpoint${tally.endpoints === 1 ? '' : 's'} on ${hosts.length} host${hosts.length === 1 ? '' : 's'} tested and ${noServiceWords} (no service)</summary>`,
      '',
      `| host | ${noServiceWords} | ports |`,
      '|---|---|---|',
    ],
    closeBytes,
  );
  for (const x of hosts)
    if (!headed || !out.pushWithin([`| ${codeSpan(x.host)} | ${noServiceCounts(x)} | ${noServicePorts(x)} |`], closeBytes)) left.hosts++;
  if (headed) out.force(...close);
}

/** The closing note of a cut document: what was left out, and where the full report is. */
function truncationNote(left: LeftOut, limit: number, fullReport: string | undefined): string[] {
  const parts = [
    left.findings && `${left.findings} finding rows`,
    left.details && `${left.details} finding details`,
    left.endpoints && `${left.endpoints} not-tested endpoints`,
    left.hosts && `${left.hosts} hosts with no service`,
  ].filter(Boolean);
  const where = fullReport
    ? `the full report is ${codeSpan(fullReport)}`
    : 'write the full report with `-o report.json` or `-o report.html`';
  return [
    '',
    '> [!NOTE]',
    `> **Truncated to fit ${limit.toLocaleString('en-US')} bytes** (GitHub's ${limit <= markdownLimits.comment ? 'comment' : 'step-summary'} limit): left out ${parts.length ? parts.join(', ') : 'some sections'}; ${where}.`,
  ];
}

/** The sections after the findings' details, measured for the room they keep (diff and stale suppressions). */
function renderTail(report: Report, h: string): string {
  const parts: string[] = [];
  if (report.diff) parts.push(renderDiffMarkdown(report));
  for (const x of (report.suppressions?.stale ?? []).map(staleSuppressionText))
    parts.push(`- ${x.location}: ${x.text} — ${x.stale.reason}`);
  return `${h}${parts.join('\n')}`;
}
