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

type Evidence = ReportFinding['evidence'];
type DiffEntry = NonNullable<Report['diff']>['resolved'][number];

/** Everything from a server (evidence, names, versions) passes through escapeHtml (report/escape.ts). */
export { escapeHtml };
const e = escapeHtml;

const sevColor: Record<Severity, string> = { critical: '#9b1c1c', high: '#d9480f', medium: '#c98a00', low: '#1c64b0', info: '#5f6b7a' };

const css = `
:root{--fg:#1d2430;--muted:#5b6575;--bg:#fff;--card:#f6f7f9;--line:#dde1e7;--accent:#1c64b0}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ee;--muted:#a3acb9;--bg:#14171c;--card:#1d2128;--line:#323843;--accent:#6ea8ff}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);font-size:13px}
.banner{margin:12px 0;padding:10px 12px;border-radius:6px;border:1px solid #b7791f;background:#fff7e6;color:#5c3c00}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:140px}
.card .n{font-size:26px;font-weight:650}.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.warn .n{color:#7b3fb0}.card.bad .n{color:#9b1c1c}
.trend{display:flex;flex-wrap:wrap;gap:16px}.trend figure{margin:0}.trend figcaption{font-weight:600}.trend text{font-size:11px;fill:currentColor}
.grid{display:grid;grid-template-columns:minmax(280px,1fr) minmax(280px,1fr);gap:20px}
@media (max-width:760px){.grid{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.nt td{color:#7b3fb0}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.sev-critical{background:#9b1c1c}.sev-high{background:#d9480f}.sev-medium{background:#c98a00}.sev-low{background:#1c64b0}.sev-info{background:#5f6b7a}
.st{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;border:1px solid var(--line)}
.st-exposed{color:#fff;background:#9b1c1c;border-color:#9b1c1c}.st-auth-required{color:#1e7a34}.st-denied{color:#a15c00}
.st-timeout,.st-error{color:#7b3fb0;border-color:#7b3fb0}
.controls{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;margin:8px 0 12px;padding:8px 10px;background:var(--card);border:1px solid var(--line);border-radius:6px}
.controls label{white-space:nowrap}.controls input[type=search]{min-width:220px;padding:3px 6px}
.finding{border:1px solid var(--line);border-left:5px solid var(--sev);border-radius:6px;padding:10px 12px;margin:10px 0;background:var(--bg)}
.finding h3{font-size:15px;margin:0 0 4px;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.finding .where{color:var(--muted);font-size:13px}
.finding p{margin:6px 0}
.f-critical{--sev:#9b1c1c}.f-high{--sev:#d9480f}.f-medium{--sev:#c98a00}.f-low{--sev:#1c64b0}.f-info{--sev:#5f6b7a}
details{margin-top:6px}summary{cursor:pointer;color:var(--accent)}
pre,code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--card);border:1px solid var(--line);border-radius:4px;padding:8px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-all}
ol.req{margin:4px 0;padding-left:22px}ol.req code{word-break:break-all}
.labels span{display:inline-block;margin-right:4px;padding:0 5px;border-radius:3px;background:var(--card);border:1px solid var(--line);font-size:12px}
button.sort{all:unset;cursor:pointer;text-transform:inherit;color:inherit}button.sort:focus-visible{outline:2px solid var(--accent)}
button.sort[aria-sort=ascending]::after{content:" \\25B2"}button.sort[aria-sort=descending]::after{content:" \\25BC"}
.empty{color:var(--muted);font-style:italic}
.chg{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;font-weight:650;border:1px solid currentColor;white-space:nowrap}
.chg-new{color:#b4231b}.chg-was{color:#a15c00}.chg-suppressed{color:var(--muted)}.chg-expired{color:#7b3fb0}
.finding.suppressed{opacity:.62;border-left-style:dashed}.finding.suppressed:hover,.finding.suppressed:focus-within{opacity:1}
.finding .age,.finding .supp{color:var(--muted);font-size:13px}.finding .expired{color:#7b3fb0;font-size:13px}
details.cont{margin:10px 0;padding:6px 10px;border:1px solid var(--line);border-radius:6px;background:var(--card)}
details.cont>summary{font-weight:600}
footer{margin-top:32px;color:var(--muted);font-size:12px}
svg text{font:12px system-ui,sans-serif;fill:currentColor}
`;

const js = `
(function () {
  'use strict';
  var rank = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function one(sel) { return document.querySelector(sel); }
  function checked(name) {
    var on = {};
    all('input[name="' + name + '"]').forEach(function (c) { on[c.value] = c.checked; });
    return on;
  }
  function matches(el, q) { return !q || el.textContent.toLowerCase().indexOf(q) >= 0; }

  var list = one('#finding-list');
  function applyFindings() {
    if (!list) return;
    var sev = checked('f-sev');
    var svc = one('#f-service').value;
    var chgSel = one('#f-change');
    var chg = chgSel ? chgSel.value : '';
    var q = one('#f-text').value.trim().toLowerCase();
    var n = 0;
    all('.finding', list).forEach(function (el) {
      var ok = sev[el.getAttribute('data-severity')] && (svc === '' || el.getAttribute('data-service') === svc) &&
        (chg === '' || (el.getAttribute('data-flags') || '').split(' ').indexOf(chg) >= 0) && matches(el, q);
      el.hidden = !ok;
      if (ok) n++;
    });
    one('[data-testid="findings-visible"]').textContent = String(n);
    var none = one('#f-none');
    if (none) none.hidden = n !== 0;
  }
  function sortFindings() {
    if (!list) return;
    var key = one('#f-sort').value;
    var dir = one('#f-dir').value === 'asc' ? 1 : -1;
    var items = all('.finding', list);
    items.sort(function (a, b) {
      var x, y;
      if (key === 'severity') { x = rank[a.getAttribute('data-severity')]; y = rank[b.getAttribute('data-severity')]; }
      else if (key === 'port') { x = Number(a.getAttribute('data-port')); y = Number(b.getAttribute('data-port')); }
      else if (key === 'line') { x = Number(a.getAttribute('data-line')); y = Number(b.getAttribute('data-line')); }
      else if (key === 'age') { x = Number(a.getAttribute('data-age') || -1); y = Number(b.getAttribute('data-age') || -1); }
      else { x = a.getAttribute('data-' + key) || ''; y = b.getAttribute('data-' + key) || ''; }
      if (x < y) return -dir;
      if (x > y) return dir;
      return Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
    });
    items.forEach(function (el) { list.appendChild(el); });
  }

  var tbody = one('#endpoint-rows');
  function applyEndpoints() {
    if (!tbody) return;
    var st = checked('e-status');
    var q = one('#e-text').value.trim().toLowerCase();
    var n = 0;
    all('tr', tbody).forEach(function (tr) {
      var ok = st[tr.getAttribute('data-status')] && matches(tr, q);
      tr.hidden = !ok;
      if (ok) n++;
    });
    one('[data-testid="endpoints-visible"]').textContent = String(n);
  }
  function sortEndpoints(btn) {
    var key = btn.getAttribute('data-key');
    var asc = btn.getAttribute('aria-sort') !== 'ascending';
    all('button.sort').forEach(function (b) { b.removeAttribute('aria-sort'); });
    btn.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var rows = all('tr', tbody);
    rows.sort(function (a, b) {
      var x = a.getAttribute('data-' + key) || '', y = b.getAttribute('data-' + key) || '';
      var nx = Number(x), ny = Number(y);
      var c = (x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny)) ? nx - ny : (x < y ? -1 : x > y ? 1 : 0);
      return (asc ? c : -c) || Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
    });
    rows.forEach(function (tr) { tbody.appendChild(tr); });
  }

  all('input[name="f-sev"], #f-service, #f-change, #f-text').forEach(function (el) { el.addEventListener('input', applyFindings); el.addEventListener('change', applyFindings); });
  all('#f-sort, #f-dir').forEach(function (el) { el.addEventListener('change', sortFindings); });
  all('input[name="e-status"], #e-text').forEach(function (el) { el.addEventListener('input', applyEndpoints); el.addEventListener('change', applyEndpoints); });
  all('button.sort').forEach(function (b) { b.addEventListener('click', function () { sortEndpoints(b); }); });
  all('[data-only-severity]').forEach(function (el) {
    function only() {
      var s = el.getAttribute('data-only-severity');
      all('input[name="f-sev"]').forEach(function (c) { c.checked = c.value === s; });
      applyFindings();
      var target = one('#findings');
      if (target && target.scrollIntoView) target.scrollIntoView();
    }
    el.addEventListener('click', only);
    el.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); only(); } });
  });
  applyFindings();
  applyEndpoints();
})();
`;

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

/**
 * The HTML report piece by piece: the endpoint rows are read (from memory or the spool) and written one by one;
 * the endpoints that were tested and found no service (closed) are one row per host unless `allEndpoints`.
 */
export function* renderHtmlChunks(report: Report, opts: HtmlOptions = {}): Generator<string> {
  const { summary, run } = report;
  const csp = `default-src 'none'; style-src ${sha256(css)}; script-src ${sha256(js)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const source = endpointSource(report, opts.endpoints);
  // Only the endpoints that gave findings: their data listings go with the finding.
  const key = (x: { host: string; port: number; service: string; probe: string }) => `${x.host}|${x.port}|${x.service}|${x.probe}`;
  const wanted = new Set(report.findings.map(key));
  const dataByEndpoint = new Map<string, ReportEndpoint['data']>();
  if (wanted.size) for (const ep of source()) if (wanted.has(key(ep))) dataByEndpoint.set(key(ep), ep.data);
  const summarised = opts.allEndpoints ? 0 : noServiceStatuses.reduce((n, s) => n + summary.byStatus[s], 0);
  const listedCount = summary.endpoints - summarised;
  const services = [...new Set(report.findings.map((f) => f.service))].sort();
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
  const findings = report.findings
    .map((f, i) => findingHtml(f, i, dataByEndpoint.get(`${f.host}|${f.port}|${f.service}|${f.probe}`)))
    .join('\n');
  const sorted = [...report.findings].sort((a, b) => compareSeverity(a.severity, b.severity));
  const worst = sorted[0]?.severity;
  const sevChecks = severities
    .map((s) => `<label><input type="checkbox" name="f-sev" value="${s}" checked data-testid="filter-severity-${s}"> ${s}</label>`)
    .join(' ');
  const statusChecks = statuses
    .map((s) => `<label><input type="checkbox" name="e-status" value="${s}" checked data-testid="filter-status-${s}"> ${s}</label>`)
    .join(' ');
  const hasContinuous = report.findings.some((f) => f.change || f.suppressed || f.suppressionExpired);
  const hasAges = report.findings.some((f) => f.ageDays !== undefined);
  const th = (key: string, label: string, cls = '') =>
    `<th${cls ? ` class="${cls}"` : ''}><button type="button" class="sort" data-key="${key}">${label}</button></th>`;

  yield `<!doctype html>
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
</header>

<section id="summary" aria-label="Summary">
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
</section>

<section id="findings" aria-label="Findings">
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
</section>

${continuousHtml(report)}
${trendHtml(opts.history ?? [])}

<section id="endpoints" aria-label="Endpoints">
<h2>Endpoints</h2>
<div class="controls" role="group" aria-label="Filter endpoints">
<span>${statusChecks}</span>
<label>search <input type="search" id="e-text" data-testid="filter-endpoint-text" placeholder="host, service, error…"></label>
<span><span data-testid="endpoints-visible">${listedCount}</span> of ${listedCount} shown${summarised ? ` (${summarised} ${e(noServiceWords)}: one row per host below)` : ''}</span>
</div>
<table>
<thead><tr>${th('endpoint', 'endpoint')}${th('asset', 'asset')}${th('service', 'service')}${th('probe', 'probe')}${th('status-order', 'status')}<th>evidence</th>${th('duration', 'ms', 'num')}${th('line', 'declared at')}</tr></thead>
<tbody id="endpoint-rows">
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
${
  tally.endpoints && !opts.allEndpoints
    ? `<h3>Tested, no service (${e(noServiceWords)})</h3>
<p>${tally.endpoints} endpoint${tally.endpoints === 1 ? '' : 's'} on ${tally.hostCount} host${tally.hostCount === 1 ? '' : 's'}: one row per host (<code>--all-endpoints</code> lists them).</p>
<table data-testid="no-service-hosts"><thead><tr><th>host</th><th>${e(noServiceWords)}</th><th>ports</th></tr></thead><tbody>
${tally
  .hosts()
  .map((h) => `<tr><td><code>${e(h.host)}</code></td><td>${e(noServiceCounts(h))}</td><td>${e(noServicePorts(h))}</td></tr>`)
  .join('\n')}
</tbody></table>`
    : ''
}
</section>

<footer>Generated by ${e(report.tool.name)} ${e(report.tool.version)} (report schema ${e(report.schemaVersion)}) from <code>${e(run.inventory)}</code>, ${e(run.finishedAt)}. Evidence is the servers' own output, shown as text.</footer>
</main>
<script>${js}</script>
</body>
</html>
`;
}
