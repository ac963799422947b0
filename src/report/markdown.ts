import { isNotTested } from '../domain/status.js';
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
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters in the JSON report)` : s;
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

  const classLine = dataClassSummary(report);
  if (classLine) {
    out.push('');
    out.push(`**Data classes readable:** ${mdText(classLine)}`);
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
      const after = aftermathOf(f);
      if (after) {
        if (after.classes) out.push(`**What it is:** ${mdText(after.classes)}`, '');
        if (after.age.length) out.push('**How old:**', '', ...after.age.map((x) => `- ${mdText(x)}`), '');
        if (after.access) out.push(`**Other readers:** ${mdText(after.access)}`, '');
        out.push('**What to do now:**', '', ...after.steps.map((x) => `- [ ] ${mdText(x)}`), '');
      }
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

  const stale = (report.suppressions?.stale ?? []).map(staleSuppressionText);
  if (stale.length) {
    out.push('');
    out.push(`${h}# Stale suppressions`);
    out.push('');
    out.push(`${stale.length} suppression${stale.length === 1 ? '' : 's'} matched no finding: remove ${stale.length === 1 ? 'it' : 'them'}, or the exposure ${stale.length === 1 ? 'it' : 'they'} covered came back under another identity.`);
    out.push('');
    for (const x of stale) out.push(`- ${codeSpan(`${x.stale.source.file}:${x.stale.source.line}`)}: ${mdText(x.text)} — ${mdText(x.stale.reason)}`);
    out.push('');
  }

  const untested = report.endpoints.filter((e) => isNotTested(e.status));
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
