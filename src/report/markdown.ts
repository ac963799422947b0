import { changeOf, continuousLines, diffSummary, renderDiffMarkdown, whyExtras } from '../continuous/present.js';
import { severities, statuses, type Status } from '../types.js';
import type { Report } from './schema.js';

type StaleSuppression = NonNullable<Report['suppressions']>['stale'][number];

export interface MarkdownOptions {
  /** Longest evidence excerpt shown per finding (the JSON report has it all). Default 2000 characters. */
  maxEvidenceChars?: number;
  /** Heading level of the title (2 for a PR comment under others). Default 2. */
  headingLevel?: number;
}

const notTestedStatuses: readonly Status[] = ['closed', 'timeout', 'error'];

/** Control characters (ANSI escapes, NUL...) shown as \xNN instead of being passed to a terminal or a browser. */
function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Text for a table cell or a line: no HTML, no Markdown links or emphasis, no pipes or line breaks. */
export function mdText(s: string): string {
  return visible(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~-])/g, '\\$1')
    .replace(/\r?\n|\r/g, ' ');
}

/** An inline code span: literal text (no escapes apply inside), pipes escaped for GFM tables. */
export function codeSpan(s: string): string {
  const text = visible(s).replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

/** Text inside an HTML element such as <summary>, where Markdown escapes do not apply. */
function htmlText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r?\n|\r/g, ' ');
}

/** A fenced code block that untrusted text cannot close: the fence is longer than any backtick run inside. */
function fence(text: string, lang = 'text'): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${visible(text)}\n${f}`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters in the JSON report)` : s;
}

/**
 * Each stale suppression with the terminal table's wording (present.ts `continuousLines`), split into its
 * declaration (`file:line:column`) and the rest (`host 127.0.0.9 (owner web-team, expires 2026-06-30)`).
 * Shared by the Markdown, HTML and SARIF renderers so none of them re-words it.
 */
export function staleSuppressionLines(report: Report): Array<{ stale: StaleSuppression; location: string; text: string }> {
  const stale = report.suppressions?.stale ?? [];
  if (!stale.length) return [];
  const lines = continuousLines({ ...report, diff: undefined }, false).slice(1); // after the heading: one line each
  return stale.map((s, i) => {
    const location = `${s.source.file}:${s.source.line}:${s.source.column}`;
    const line = (lines[i] ?? '').trim();
    return { stale: s, location, text: line.startsWith(`${location}: `) ? line.slice(location.length + 2) : line };
  });
}


/**
 * A summary for a pull-request comment or $GITHUB_STEP_SUMMARY: counts by severity and by status (with the
 * endpoints that were not tested spelled out), a findings table, and each finding's evidence folded in <details>.
 */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const max = opts.maxEvidenceChars ?? 2000;
  const h = '#'.repeat(Math.min(6, Math.max(1, opts.headingLevel ?? 2)));
  const { summary, run } = report;
  const out: string[] = [];
  const sevParts = severities.filter((s) => summary.bySeverity[s] > 0).map((s) => `${summary.bySeverity[s]} ${s}`);
  out.push(`${h} exposure-audit: ${summary.findings} finding${summary.findings === 1 ? '' : 's'}${sevParts.length ? ` (${sevParts.join(', ')})` : ''}`);
  out.push('');
  out.push(
    `Inventory ${codeSpan(run.inventory)} · ${summary.endpoints} endpoints · fail-on **${run.failOn}** · ${run.startedAt} · ${(run.durationMs / 1000).toFixed(1)} s${run.shard ? ` · shard ${run.shard.index}/${run.shard.count}` : ''} · exposure-audit ${mdText(report.tool.version)}`,
  );
  if (!run.complete) {
    out.push('');
    out.push('> [!WARNING]');
    out.push('> **Incomplete:** the run was interrupted. Endpoints not reached are reported as `error` (not tested), not as safe.');
  }
  if (summary.notTested > 0) {
    out.push('');
    out.push(`> **${summary.notTested} endpoint${summary.notTested === 1 ? ' was' : 's were'} not tested** (closed, timeout or error): no verdict on authentication.`);
  }
  const changes = diffSummary(report);
  if (changes) {
    out.push('');
    out.push(`**Changes** ${mdText(changes)}`);
  }

  out.push('');
  out.push(`${h}# Findings by severity`);
  out.push('');
  // The suppressed column appears once suppressions were applied (then 0 is a real zero).
  const supp = summary.suppressed !== undefined;
  out.push(`| ${severities.join(' | ')} | total |${supp ? ' suppressed |' : ''}`);
  out.push(`|${severities.map(() => '---:').join('|')}|---:|${supp ? '---:|' : ''}`);
  out.push(`| ${severities.map((s) => summary.bySeverity[s]).join(' | ')} | ${summary.findings} |${supp ? ` ${summary.suppressed} |` : ''}`);
  if (supp) {
    out.push('');
    out.push(`${summary.suppressed} suppressed: accepted risks still listed below, not counted for fail-on.`);
  }

  out.push('');
  out.push(`${h}# Endpoints by status`);
  out.push('');
  out.push('| status | endpoints | meaning |');
  out.push('|---|---:|---|');
  const meaning: Record<Status, string> = {
    exposed: 'answers without credentials',
    'auth-required': 'asks for credentials',
    denied: 'refuses this client, without asking for credentials',
    'not-detected': 'something else answers on this port',
    closed: '**not tested**: connection refused',
    filtered: 'tested: no answer to the connect (a firewall drops it): not reachable from this vantage point',
    timeout: '**not tested**: no reply in time',
    error: '**not tested**: the probe failed',
  };
  for (const s of statuses) out.push(`| ${s} | ${summary.byStatus[s]} | ${meaning[s]} |`);
  out.push(`| **not tested** | **${summary.notTested}** | closed + timeout + error |`);

  out.push('');
  out.push(`${h}# Findings`);
  out.push('');
  if (report.findings.length === 0) {
    out.push('No findings.');
  } else {
    out.push('| severity | endpoint | service | finding | why | declared at |');
    out.push('|---|---|---|---|---|---|');
    for (const f of report.findings) {
      const v = changeOf(f); // NEW / was medium / SUPPRESSED / EXPIRED, as the table shows them
      const ep = `${f.asset === f.host ? '' : `${mdText(f.asset)} `}${codeSpan(`${f.host}:${f.port}`)}`;
      const sev = [`**${f.severity}**`, ...v.badges.map(codeSpan)].join(' ');
      const why = [f.reason, ...whyExtras(f)].map(mdText).join('<br>');
      out.push(`| ${sev} | ${ep} | ${mdText(f.service)} | ${mdText(f.title)} | ${why} | ${codeSpan(`${f.source.file}:${f.source.line}`)} |`);
    }
    out.push('');
    for (const f of report.findings) {
      const v = changeOf(f);
      out.push('<details>');
      out.push(`<summary>${f.severity}${v.marker ? ` (${htmlText(v.marker)})` : ''}: ${htmlText(f.title)} on ${htmlText(`${f.host}:${f.port}`)}</summary>`);
      out.push('');
      out.push(`**Why:** ${mdText(f.reason)}`);
      out.push('');
      for (const x of whyExtras(f)) out.push(mdText(x), '');
      out.push(`**Remediation:** ${mdText(f.remediation)}`);
      out.push('');
      const ev = f.evidence;
      const facts = [ev.product && `product ${ev.product}`, ev.version && `version ${ev.version}`, ev.tls && 'TLS', ev.limited && 'limited', ev.truncated && 'truncated']
        .filter((x): x is string => Boolean(x))
        .map(mdText);
      if (facts.length) out.push(`**Observed:** ${facts.join(' · ')}`, '');
      out.push('**Requests sent:**', '', fence(clip(ev.requests.join('\n') || '(none)', max)), '');
      if (ev.proof) out.push('**Proof:**', '', fence(clip(ev.proof, max)), '');
      if (ev.reply) out.push('**Reply excerpt:**', '', fence(clip(ev.reply, max)), '');
      if (ev.notes?.length) out.push('**Notes:**', '', ...ev.notes.map((n) => `- ${mdText(n)}`), '');
      out.push('</details>');
      out.push('');
    }
  }

  if (report.diff) {
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

  const stale = staleSuppressionLines(report);
  if (stale.length) {
    out.push('');
    out.push(`${h}# Stale suppressions`);
    out.push('');
    out.push(`${stale.length} suppression${stale.length === 1 ? '' : 's'} matched no finding: remove ${stale.length === 1 ? 'it' : 'them'}, or the exposure ${stale.length === 1 ? 'it' : 'they'} covered came back under another identity.`);
    out.push('');
    for (const x of stale) out.push(`- ${codeSpan(`${x.stale.source.file}:${x.stale.source.line}`)}: ${mdText(x.text)} — ${mdText(x.stale.reason)}`);
    out.push('');
  }

  const untested = report.endpoints.filter((e) => notTestedStatuses.includes(e.status));
  if (untested.length) {
    out.push(`<details>`);
    out.push(`<summary>${untested.length} endpoint${untested.length === 1 ? '' : 's'} not tested</summary>`);
    out.push('');
    out.push('| endpoint | service | status | why |');
    out.push('|---|---|---|---|');
    for (const e of untested) out.push(`| ${codeSpan(`${e.host}:${e.port}`)} | ${mdText(e.service)} | ${e.status} | ${mdText(e.error ? `${e.error.code}: ${e.error.message}` : '')} |`);
    out.push('');
    out.push('</details>');
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
