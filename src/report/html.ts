import { interruptedText } from './interrupted.js';
import { createHash } from 'node:crypto';
import { aftermathOf, dataClassSummary } from './aftermath-view.js';
import { humanBytes, humanCount } from '../classify/classify.js';
import { compareSeverity } from '../domain/severity.js';
import {
  isNotTested as notTested,
  noServiceStatuses,
  notRetestedWhy,
  notTestedStatuses,
  notTestedWords,
  statusMeaning,
} from '../domain/status.js';
import { severities, statuses, type Severity } from '../types.js';
import { changeOf, diffSummary, staleSuppressionText, whyExtras } from './change-view.js';
import { escapeHtml } from './escape.js';
import type { Report, ReportEndpoint, ReportFinding } from './schema.js';
import { endpointSource, NoServiceTally, noServiceCounts, noServicePorts, noServiceWords, type EndpointSource } from './no-service.js';
import { trendHtml, type RunSummary } from './trend.js';
import { css, js } from './html-assets.js';

type Evidence = ReportFinding['evidence'];
type DiffEntry = NonNullable<Report['diff']>['resolved'][number];

/** Everything from a server (evidence, names, versions) passes through escapeHtml (report/escape.ts). */
export { escapeHtml };
const e = escapeHtml;

const sevColor: Record<Severity, string> = { critical: '#9b1c1c', high: '#d9480f', medium: '#c98a00', low: '#1c64b0', info: '#5f6b7a' };

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

function chart(report: Report): string {
  const max = Math.max(1, ...severities.map((s) => report.summary.bySeverity[s]));
  const rowH = 28;
  const labelW = 70;
  const barW = 300;
  const h = severities.length * rowH + 8;
  const rows = severities.map((s, i) => {
    const n = report.summary.bySeverity[s];
    const w = n === 0 ? 0 : Math.max(3, Math.round((n / max) * barW));
    const y = 4 + i * rowH;
    return (
      `<g data-only-severity="${s}" role="button" tabindex="0" aria-label="${e(`${n} ${s}: show only ${s}`)}">` +
      `<text x="0" y="${y + 17}">${s}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${barW}" height="${rowH - 8}" fill="#8881" rx="3"/>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" fill="${sevColor[s]}" rx="3" data-testid="bar-${s}"/>` +
      `<text x="${labelW + barW + 8}" y="${y + 17}" data-testid="chart-${s}">${n}</text>` +
      `</g>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 48}" height="${h}" viewBox="0 0 ${labelW + barW + 48} ${h}" role="img" aria-labelledby="chart-title" data-testid="severity-chart"><title id="chart-title">Findings by severity</title>${rows.join('')}</svg>`;
}

function evidenceHtml(ev: Evidence): string {
  const parts: string[] = [];
  const facts = [
    ev.product && `product ${ev.product}`,
    ev.version && `version ${ev.version}`,
    ev.tls && 'TLS (certificate not verified)',
    ev.limited && 'limited: metadata refused',
    ev.truncated && 'truncated by a cap',
  ].filter((x): x is string => Boolean(x));
  if (facts.length) parts.push(`<p><strong>Observed:</strong> ${facts.map(e).join(' · ')}</p>`);
  parts.push(
    `<p><strong>Requests sent</strong> (in order, exactly as sent):</p>` +
      (ev.requests.length
        ? `<ol class="req">${ev.requests.map((r) => `<li><code>${e(r)}</code></li>`).join('')}</ol>`
        : `<p class="empty">none</p>`),
  );
  if (ev.proof) parts.push(`<p><strong>Proof:</strong> <code>${e(ev.proof)}</code></p>`);
  if (ev.reply) parts.push(`<p><strong>Reply excerpt:</strong></p><pre data-testid="reply">${e(ev.reply)}</pre>`);
  if (ev.notes?.length) parts.push(`<ul>${ev.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`);
  return parts.join('\n');
}

function dataHtml(data: ReportEndpoint['data']): string {
  if (!data || data.items.length === 0) return '';
  const t = data.totals;
  const totals = [
    t.databases !== undefined && `${t.databases} databases`,
    t.tables !== undefined && `${t.tables} tables`,
    t.rows !== undefined && `${humanCount(t.rows)} rows`,
    t.keys !== undefined && `${humanCount(t.keys)} keys`,
    t.bytes !== undefined && humanBytes(t.bytes),
  ].filter((x): x is string => Boolean(x));
  const rows = data.items
    .map(
      (i) =>
        `<tr><td>${e(i.kind)}</td><td><code>${e(i.name)}</code></td><td class="num">${i.rows === undefined ? '' : e(humanCount(i.rows))}</td><td class="num">${i.bytes === undefined ? '' : e(humanBytes(i.bytes))}</td><td>${e(i.engine ?? '')}</td><td>${(i.fields ?? []).map((f) => `<code>${e(f)}</code>`).join(', ')}</td></tr>`,
    )
    .join('');
  const sample = data.sample;
  const sampled = sample
    ? `<div data-testid="sample"><strong>Sampled</strong> ${sample.rows} rows from ${sample.sources.map((x) => `<code>${e(x)}</code>`).join(', ') || 'nothing'}${sample.truncated ? ' (cut short by a cap)' : ''}: ` +
      (sample.secrets.length
        ? `<ul>${sample.secrets.map((x) => `<li>${x.count} × ${e(x.label)} (${e(x.meaning)})${x.fingerprints.length ? `: ${x.fingerprints.map((f) => `<code>${e(f)}</code>`).join(', ')}` : ''}</li>`).join('')}</ul>`
        : 'no secrets found.') +
      `</div>`
    : '';
  return (
    `<details><summary>Readable without credentials: ${e(totals.join(', ') || `${data.items.length} items`)}${data.truncated ? ' (listing truncated)' : ''}</summary>` +
    `<table><thead><tr><th>kind</th><th>name</th><th class="num">rows</th><th class="num">size</th><th>engine</th><th>fields</th></tr></thead><tbody>${rows}</tbody></table>${sampled}</details>`
  );
}

/** CSS class of a badge from present.ts (`NEW`, `was medium`, `SUPPRESSED`, `EXPIRED`). */
const badgeClass = (b: string) =>
  b === 'NEW' ? 'chg-new' : b === 'SUPPRESSED' ? 'chg-suppressed' : b === 'EXPIRED' ? 'chg-expired' : 'chg-was';

/** Words the change filter matches in `data-flags`. */
function flagsOf(f: ReportFinding): string {
  return [f.change, f.suppressed && 'suppressed', f.suppressionExpired && 'expired'].filter(Boolean).join(' ');
}

/** What it is, how old, other readers, and the response checklist (issue 13). */
function aftermathHtml(f: ReportFinding): string {
  const a = aftermathOf(f);
  if (!a) return '';
  return (
    `<div class="aftermath" data-testid="aftermath">` +
    (a.classes ? `<p data-testid="data-classes"><strong>What it is:</strong> ${e(a.classes)}</p>` : '') +
    (a.age.length
      ? `<p data-testid="data-age"><strong>How old:</strong></p><ul>${a.age.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`
      : '') +
    (a.access ? `<p data-testid="access-trace"><strong>Other readers:</strong> ${e(a.access)}</p>` : '') +
    `<p><strong>What to do now:</strong></p><ol data-testid="response">${a.steps.map((x) => `<li>${e(x)}</li>`).join('')}</ol>` +
    `</div>`
  );
}

function findingHtml(f: ReportFinding, i: number, data: ReportEndpoint['data']): string {
  const where = `${f.asset === f.host ? '' : `${f.asset} · `}${f.host}:${f.port}`;
  const labels = Object.entries(f.labels);
  const v = changeOf(f);
  const expired = v.expired && whyExtras(f).includes(v.expired) ? v.expired : undefined; // else the reason says it
  return `<article class="finding f-${f.severity}${f.suppressed ? ' suppressed' : ''}" data-testid="finding" data-order="${i}" data-severity="${f.severity}" data-service="${e(f.service)}" data-endpoint="${e(`${f.host}:${String(f.port).padStart(5, '0')}`)}" data-port="${f.port}" data-title="${e(f.title.toLowerCase())}" data-line="${f.source.line}" data-fingerprint="${e(f.fingerprint)}"${f.ageDays !== undefined ? ` data-age="${f.ageDays}"` : ''} data-flags="${e(flagsOf(f))}">
<h3><span class="badge sev-${f.severity}">${f.severity}</span>${v.badges.map((b) => ` <span class="chg ${badgeClass(b)}" data-testid="change-badge">${e(b)}</span>`).join('')} <span>${e(f.title)}</span></h3>
<div class="where">${e(where)} · ${e(f.service)} (${e(f.probe)}) · <span class="st st-${f.status}">${f.status}</span> · declared at <code>${e(`${f.source.file}:${f.source.line}:${f.source.column}`)}</code></div>
${labels.length ? `<div class="labels">${labels.map(([k, v]) => `<span>${e(k)}=${e(v)}</span>`).join('')}</div>` : ''}
<p data-testid="reason"><strong>Why:</strong> ${e(f.reason)}</p>
${v.since ? `<p class="age" data-testid="age">${e(v.since)}</p>` : ''}
${v.suppression ? `<p class="supp" data-testid="suppression">${e(v.suppression)}${f.suppressed?.source ? ` · declared at <code>${e(`${f.suppressed.source.file}:${f.suppressed.source.line}`)}</code>` : ''}</p>` : ''}
${expired ? `<p class="expired" data-testid="expired">${e(expired)}</p>` : ''}
<p data-testid="remediation"><strong>Remediation:</strong> ${e(f.remediation)}</p>
${aftermathHtml(f)}
${dataHtml(data)}
<details data-testid="evidence"><summary>Evidence</summary>
${evidenceHtml(f.evidence)}
<p class="meta">fingerprint <code>${e(f.fingerprint)}</code> · check <code>${e(f.check)}</code></p>
</details>
</article>`;
}

function endpointRow(ep: ReportEndpoint, i: number): string {
  const bits = [ep.evidence.product, ep.evidence.version].filter(Boolean).join(' ');
  const err = ep.error ? `${ep.error.code}: ${ep.error.message}` : '';
  return `<tr class="${notTested(ep.status) ? 'nt' : ''}" data-order="${i}" data-status="${ep.status}" data-endpoint="${e(`${ep.host}:${String(ep.port).padStart(5, '0')}`)}" data-asset="${e(ep.asset)}" data-service="${e(ep.service)}" data-probe="${e(ep.probe)}" data-status-order="${statuses.indexOf(ep.status)}" data-duration="${ep.durationMs}" data-line="${ep.source.line}"><td><code>${e(`${ep.host}:${ep.port}`)}</code></td><td>${e(ep.asset)}</td><td>${e(ep.service)}</td><td>${e(ep.probe)}</td><td><span class="st st-${ep.status}">${ep.status}</span></td><td>${e(bits)}${bits && err ? ' · ' : ''}${e(err)}</td><td class="num">${ep.durationMs}</td><td><code>${e(`${ep.source.file}:${ep.source.line}`)}</code></td></tr>`;
}

const entryEndpoint = (x: DiffEntry) => `${x.asset === x.host ? '' : `${x.asset} · `}${x.host}:${x.port}`;

function entryTable(entries: DiffEntry[], testid: string, struck: boolean): string {
  const rows = entries
    .map(
      (x) =>
        `<tr data-fingerprint="${e(x.fingerprint)}"><td>${struck ? `<s>${x.severity}</s>` : x.severity}</td><td><code>${e(entryEndpoint(x))}</code></td><td>${e(x.service)}</td><td>${e(x.title)}${x.lastSeen && !struck ? ` — open, not re-checked since ${e(x.lastSeen.slice(0, 10))}` : ''}${x.resolvedAs === 'unreachable' ? ' (resolved as unreachable: not proven)' : ''}</td></tr>`,
    )
    .join('');
  return `<table data-testid="${testid}-rows"><thead><tr><th>severity</th><th>endpoint</th><th>service</th><th>finding</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Resolved, not retested (from the diff) and stale suppressions: collapsed, each with its count in the summary line. */
function continuousHtml(report: Report): string {
  const d = report.diff;
  const parts: string[] = [];
  if (d) {
    parts.push(
      `<details class="cont" data-testid="resolved"><summary>Resolved since <code>${e(d.baseline)}</code>: <span data-testid="resolved-count">${d.resolved.length}</span></summary>` +
        (d.resolved.length
          ? `<p class="meta">In the baseline, gone now, and the endpoint was tested again.</p>${entryTable(d.resolved, 'resolved', true)}`
          : `<p class="empty">none</p>`) +
        `</details>`,
    );
    parts.push(
      `<details class="cont" data-testid="not-retested"><summary>Not re-checked (still open): <span data-testid="not-retested-count">${d.notRetested.length}</span></summary>` +
        (d.notRetested.length
          ? `<p class="meta">In the baseline, no verdict this run that proves a fix (${e(notRetestedWhy)}): not evidence of a fix.</p>${entryTable(d.notRetested, 'not-retested', false)}`
          : `<p class="empty">none</p>`) +
        `</details>`,
    );
    if (d.retired?.length)
      parts.push(
        `<details class="cont" data-testid="retired"><summary>Retired: <span data-testid="retired-count">${d.retired.length}</span></summary><p class="meta">In the baseline, asset no longer in the inventory: not evidence of a fix.</p>${entryTable(d.retired, 'retired', false)}</details>`,
      );
  }
  const stale = (report.suppressions?.stale ?? []).map(staleSuppressionText);
  if (report.suppressions) {
    parts.push(
      `<details class="cont" data-testid="stale"><summary>Stale suppressions: <span data-testid="stale-count">${stale.length}</span></summary>` +
        (stale.length
          ? `<p class="meta">Matched no finding: remove them, or the exposure they covered came back under another identity.</p><ul data-testid="stale-rows">${stale
              .map(
                (x) => `<li><code>${e(`${x.stale.source.file}:${x.stale.source.line}`)}</code>: ${e(x.text)} — ${e(x.stale.reason)}</li>`,
              )
              .join('')}</ul>`
          : `<p class="empty">none</p>`) +
        `</details>`,
    );
  }
  if (!parts.length) return '';
  const summary = diffSummary(report);
  return `<section id="changes" aria-label="Changes">
<h2>Changes and suppressions</h2>
${summary ? `<p class="meta" data-testid="diff-summary">${e(summary)}</p>` : ''}
${parts.join('\n')}
</section>`;
}

/**
 * One self-contained HTML file: inline CSS and JS only, a Content-Security-Policy that allows nothing but
 * those two (by hash), no external resource. Every value is escaped; the script only hides and reorders nodes.
 */
export interface HtmlOptions {
  /** The state file's run summaries (this run last): drawn as the nightly trend. */
  history?: readonly RunSummary[];
  /** List closed (tested, no service) endpoints one by one instead of one row per host. */
  allEndpoints?: boolean;
  /** Where the endpoints come from (the spool, read again for each call); default the report's array. */
  endpoints?: EndpointSource;
}

export function renderHtml(report: Report, opts: HtmlOptions = {}): string {
  let out = '';
  for (const part of renderHtmlChunks(report, opts)) out += part;
  return out;
}

/** The key of an endpoint, and of the finding it gave. */
const endpointKey = (x: { host: string; port: number; service: string; probe: string }) => `${x.host}|${x.port}|${x.service}|${x.probe}`;

/**
 * The HTML report piece by piece: the endpoint rows are read (from memory or the spool) and written one by one;
 * the endpoints that were tested and found no service (closed) are one row per host unless `allEndpoints`.
 */
export function* renderHtmlChunks(report: Report, opts: HtmlOptions = {}): Generator<string> {
  const source = endpointSource(report, opts.endpoints);
  // Only the endpoints that gave findings: their data listings go with the finding.
  const wanted = new Set(report.findings.map(endpointKey));
  const dataByEndpoint = new Map<string, ReportEndpoint['data']>();
  if (wanted.size) for (const ep of source()) if (wanted.has(endpointKey(ep))) dataByEndpoint.set(endpointKey(ep), ep.data);

  yield `${headHtml(report)}

${summaryHtml(report)}

${findingsHtml(report, dataByEndpoint)}

${continuousHtml(report)}
${trendHtml(opts.history ?? [])}

${endpointsHeadHtml(report, opts)}
`;
  const tally = new NoServiceTally();
  let rows = '';
  let i = 0;
  for (const ep of source()) {
    if (tally.add(ep) && !opts.allEndpoints) continue;
    rows += `${endpointRow(ep, i++)}\n`;
    if (rows.length >= 65536) {
      yield rows;
      rows = '';
    }
  }
  yield rows;
  yield `</tbody>
</table>
${tally.endpoints && !opts.allEndpoints ? noServiceHtml(tally) : ''}
</section>

<footer>Generated by ${e(report.tool.name)} ${e(report.tool.version)} (report schema ${e(report.schemaVersion)}) from <code>${e(report.run.inventory)}</code>, ${e(report.run.finishedAt)}. Evidence is the servers' own output, shown as text.</footer>
</main>
<script>${js}</script>
</body>
</html>
`;
}

/** The document head (CSP allowing only the inline CSS and JS, by hash) and the header with the run's warnings. */
function headHtml(report: Report): string {
  const { summary, run } = report;
  const csp = `default-src 'none'; style-src ${sha256(css)}; script-src ${sha256(js)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(`${report.tool.name} ${report.tool.version}`)}">
<title>${e(`exposure-audit: ${summary.findings} findings — ${run.inventory}`)}</title>
<style>${css}</style>
</head>
<body>
<main>
<header>
<h1>exposure-audit report</h1>
<div class="meta">inventory <code>${e(run.inventory)}</code> · started ${e(run.startedAt)} · ${e((run.durationMs / 1000).toFixed(1))} s · fail-on <strong>${e(run.failOn)}</strong>${run.sourceAddress ? ` · source ${e(run.sourceAddress)}` : ''}${run.shard ? ` · <span data-testid="shard">shard ${run.shard.index}/${run.shard.count}</span>` : ''} · ${e(report.tool.name)} ${e(report.tool.version)}</div>
${run.complete ? '' : `<div class="banner" role="alert" data-testid="incomplete"><strong>Incomplete:</strong> ${e(interruptedText(run))}</div>`}
${dataClassSummary(report) ? `<div class="meta" data-testid="summary-data-classes"><strong>Data classes readable:</strong> ${e(dataClassSummary(report)!)}</div>` : ''}
${summary.notTested ? `<div class="banner" data-testid="not-tested-banner"><strong>${summary.notTested} endpoint${summary.notTested === 1 ? ' was' : 's were'} not tested</strong> (${e(notTestedWords)}): there is no verdict on their authentication.</div>` : ''}
</header>`;
}

/** The summary cards, the severity chart and table, and the endpoints by status. */
function summaryHtml(report: Report): string {
  const { summary } = report;
  const sevRows = severities
    .map(
      (s) =>
        `<tr><td><span class="badge sev-${s}">${s}</span></td><td class="num" data-testid="count-severity-${s}">${summary.bySeverity[s]}</td></tr>`,
    )
    .join('');
  const statusRows = statuses
    .map(
      (s) =>
        `<tr class="${notTested(s) ? 'nt' : ''}"><td><span class="st st-${s}">${s}</span></td><td class="num" data-testid="count-status-${s}">${summary.byStatus[s]}</td><td>${e(statusMeaning(s))}</td></tr>`,
    )
    .join('');
  const sorted = [...report.findings].sort((a, b) => compareSeverity(a.severity, b.severity));
  const worst = sorted[0]?.severity;
  return `<section id="summary" aria-label="Summary">
<div class="cards">
<div class="card"><div class="n" data-testid="summary-endpoints">${summary.endpoints}</div><div class="l">endpoints</div></div>
<div class="card${summary.byStatus.exposed ? ' bad' : ''}"><div class="n" data-testid="summary-exposed">${summary.byStatus.exposed}</div><div class="l">exposed</div></div>
<div class="card${summary.notTested ? ' warn' : ''}"><div class="n" data-testid="summary-not-tested">${summary.notTested}</div><div class="l">not tested</div></div>
<div class="card${worst ? ' bad' : ''}"><div class="n" data-testid="summary-findings">${summary.findings}</div><div class="l">findings${worst ? `, worst ${worst}` : ''}</div></div>
${
  report.diff
    ? `<div class="card${report.diff.new ? ' bad' : ''}"><div class="n" data-testid="summary-new">${report.diff.new}</div><div class="l">new</div></div>
<div class="card"><div class="n" data-testid="summary-resolved">${report.diff.resolved.length}</div><div class="l">resolved</div></div>`
    : ''
}
${summary.suppressed !== undefined ? `<div class="card"><div class="n" data-testid="summary-suppressed">${summary.suppressed}</div><div class="l">suppressed</div></div>` : ''}
</div>
<div class="grid">
<div>
<h2>Findings by severity</h2>
${chart(report)}
<table aria-label="Findings by severity"><tbody>${sevRows}<tr><td><strong>total</strong></td><td class="num"><strong>${summary.findings}</strong></td></tr></tbody></table>
</div>
<div>
<h2>Endpoints by status</h2>
<table aria-label="Endpoints by status"><tbody>${statusRows}<tr class="nt"><td><strong>not tested</strong></td><td class="num"><strong>${summary.notTested}</strong></td><td>${e(notTestedStatuses.join(' + '))}</td></tr></tbody></table>
</div>
</div>
</section>`;
}

/** The findings section: filter and sort controls, then each finding with its data listing. */
function findingsHtml(report: Report, dataByEndpoint: Map<string, ReportEndpoint['data']>): string {
  const findings = report.findings.map((f, i) => findingHtml(f, i, dataByEndpoint.get(endpointKey(f)))).join('\n');
  const services = [...new Set(report.findings.map((f) => f.service))].sort();
  const sevChecks = severities
    .map((s) => `<label><input type="checkbox" name="f-sev" value="${s}" checked data-testid="filter-severity-${s}"> ${s}</label>`)
    .join(' ');
  const hasContinuous = report.findings.some((f) => f.change || f.suppressed || f.suppressionExpired);
  const hasAges = report.findings.some((f) => f.ageDays !== undefined);
  return `<section id="findings" aria-label="Findings">
<h2>Findings</h2>
${
  report.findings.length
    ? `<div class="controls" role="group" aria-label="Filter and sort findings">
<span>${sevChecks}</span>
<label>service <select id="f-service" data-testid="filter-service"><option value="">all</option>${services.map((s) => `<option value="${e(s)}">${e(s)}</option>`).join('')}</select></label>
${
  hasContinuous
    ? `<label>change <select id="f-change" data-testid="filter-change"><option value="">all</option><option value="new">new</option><option value="changed-severity">severity changed</option><option value="unchanged">unchanged</option><option value="suppressed">suppressed</option><option value="expired">suppression expired</option></select></label>`
    : ''
}
<label>search <input type="search" id="f-text" data-testid="filter-text" placeholder="host, title, evidence…"></label>
<label>sort <select id="f-sort" data-testid="sort-findings"><option value="severity">severity</option><option value="endpoint">endpoint</option><option value="service">service</option><option value="title">title</option><option value="line">inventory line</option>${hasAges ? '<option value="age">age</option>' : ''}</select></label>
<select id="f-dir" aria-label="sort direction" data-testid="sort-direction"><option value="desc">descending</option><option value="asc">ascending</option></select>
<span><span data-testid="findings-visible">${report.findings.length}</span> of ${report.findings.length} shown</span>
</div>
<p id="f-none" class="empty" hidden>No finding matches the filter.</p>
<div id="finding-list">
${findings}
</div>`
    : `<p class="empty" data-testid="no-findings">No findings.</p>`
}
</section>`;
}

/** The endpoints section up to its table body: filter controls, the count listed, and the sortable headings. */
function endpointsHeadHtml(report: Report, opts: HtmlOptions): string {
  const { summary } = report;
  const summarised = opts.allEndpoints ? 0 : noServiceStatuses.reduce((n, s) => n + summary.byStatus[s], 0);
  const listedCount = summary.endpoints - summarised;
  const statusChecks = statuses
    .map((s) => `<label><input type="checkbox" name="e-status" value="${s}" checked data-testid="filter-status-${s}"> ${s}</label>`)
    .join(' ');
  const th = (key: string, label: string, cls = '') =>
    `<th${cls ? ` class="${cls}"` : ''}><button type="button" class="sort" data-key="${key}">${label}</button></th>`;
  return `<section id="endpoints" aria-label="Endpoints">
<h2>Endpoints</h2>
<div class="controls" role="group" aria-label="Filter endpoints">
<span>${statusChecks}</span>
<label>search <input type="search" id="e-text" data-testid="filter-endpoint-text" placeholder="host, service, error…"></label>
<span><span data-testid="endpoints-visible">${listedCount}</span> of ${listedCount} shown${summarised ? ` (${summarised} ${e(noServiceWords)}: one row per host below)` : ''}</span>
</div>
<table>
<thead><tr>${th('endpoint', 'endpoint')}${th('asset', 'asset')}${th('service', 'service')}${th('probe', 'probe')}${th('status-order', 'status')}<th>evidence</th>${th('duration', 'ms', 'num')}${th('line', 'declared at')}</tr></thead>
<tbody id="endpoint-rows">`;
}

/** The endpoints tested and found with no service: one row per host. */
function noServiceHtml(tally: NoServiceTally): string {
  return `<h3>Tested, no service (${e(noServiceWords)})</h3>
<p>${tally.endpoints} endpoint${tally.endpoints === 1 ? '' : 's'} on ${tally.hostCount} host${tally.hostCount === 1 ? '' : 's'}: one row per host (<code>--all-endpoints</code> lists them).</p>
<table data-testid="no-service-hosts"><thead><tr><th>host</th><th>${e(noServiceWords)}</th><th>ports</th></tr></thead><tbody>
${tally
  .hosts()
  .map((h) => `<tr><td><code>${e(h.host)}</code></td><td>${e(noServiceCounts(h))}</td><td>${e(noServicePorts(h))}</td></tr>`)
  .join('\n')}
</tbody></table>`;
}
