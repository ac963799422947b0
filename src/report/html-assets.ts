// The HTML report's stylesheet and script: static text, served inline with a CSP hash (html.ts), no server text in
// them (every server string is escaped where the report body is built).
export const css = `
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

export const js = `
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
