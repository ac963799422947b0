// One report holding every status, rendered in every format: the "not tested" count and the meaning of each status
// agree everywhere (stdout's summary line, the --fail-on-untested stderr line, JSON, metrics, JUnit, SARIF, Markdown,
// HTML), because all of them read the one table in src/domain/status.ts. No sockets; addresses are loopback data.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { probeMetas } from '../../../src/cli/registry.js';
import { render } from '../../../src/cli/formats.js';
import { isNotTested, statusMeaning, statusTable, untestedMessage } from '../../../src/domain/status.js';
import { escapeHtml } from '../../../src/report/html.js';
import { ReportBuilder } from '../../../src/report/model.js';
import { summaryLine } from '../../../src/report/table.js';
import { statuses, type Status } from '../../../src/types.js';
import { redisResult } from '../../support/results.js';

const result = (host: string, port: number, status: Status) =>
  redisResult(host, status, port, {
    durationMs: 3,
    ...(status === 'error' ? { error: { code: 'EA_BUSY', message: 'max number of clients reached' } } : {}),
    ...(status === 'timeout' ? { error: { code: 'EA_TIMEOUT', message: 'no reply in 300 ms' } } : {}),
  });

// Written out by hand, not from the table: 12 endpoints, 3 of them not tested (2 timeout + 1 error), 5 with no
// service (3 closed + 2 filtered, on two hosts).
const plan: Array<[string, number, Status]> = [
  ['127.0.0.2', 6379, 'exposed'],
  ['127.0.0.3', 6379, 'auth-required'],
  ['127.0.0.4', 6379, 'denied'],
  ['127.0.0.5', 6379, 'not-detected'],
  ['127.0.0.6', 6379, 'closed'],
  ['127.0.0.6', 6380, 'closed'],
  ['127.0.0.7', 6379, 'closed'],
  ['127.0.0.7', 6380, 'filtered'],
  ['127.0.0.7', 6381, 'filtered'],
  ['127.0.0.8', 6379, 'timeout'],
  ['127.0.0.8', 6380, 'timeout'],
  ['127.0.0.9', 6379, 'error'],
];
const NOT_TESTED = 3;
const ENDPOINTS = 12;

function report() {
  const b = new ReportBuilder({ inventory: 'targets.yaml', failOn: 'high', probes: probeMetas });
  const endpoints = plan.map(([h, p, s], i) => b.add(result(h, p, s), i).endpoint);
  return b.finish({ startedAt: new Date(0), finishedAt: new Date(5000), complete: true }, endpoints);
}

describe('one table of status meanings', () => {
  it('closed and filtered are tested; timeout and error are not; only filtered of the tested proves no fix', () => {
    expect(statuses.filter(isNotTested)).toEqual(['timeout', 'error']);
    expect(statuses.filter((s) => statusTable[s].noService)).toEqual(['closed', 'filtered']);
    expect(statuses.filter((s) => statusTable[s].tested && !statusTable[s].provesResolved)).toEqual(['filtered']);
  });
});

describe('every format counts the same endpoints as not tested', () => {
  const r = report();

  it('the summary: every status present, 3 not tested', () => {
    for (const s of statuses) expect(r.summary.byStatus[s], s).toBeGreaterThan(0);
    expect(r.summary.endpoints).toBe(ENDPOINTS);
    expect(r.summary.notTested).toBe(NOT_TESTED);
  });

  it('stdout (the summary line) and stderr (the --fail-on-untested line) say the same number', () => {
    expect(summaryLine(r)).toContain(` — ${NOT_TESTED} not tested (timeout or error)`);
    expect(render(r, 'table', false)).toContain(`— ${NOT_TESTED} not tested (timeout or error)`);
    expect(untestedMessage(r.summary, { count: 0 })).toBe(
      `${NOT_TESTED} of ${ENDPOINTS} endpoints could not be tested (timeout 2, error 1), over --fail-on-untested 0`,
    );
  });

  it('JSON and metrics', () => {
    expect(JSON.parse(render(r, 'json', false)).summary.notTested).toBe(NOT_TESTED);
    const families = parsePrometheusTextFormat(render(r, 'metrics', false));
    const nt = families.find((f) => f.name === 'exposure_audit_endpoints_not_tested')!;
    expect(Number(nt.metrics[0]!.value)).toBe(NOT_TESTED);
    expect(nt.help).toContain('(timeout or error); closed and filtered were tested');
  });

  it('JUnit skips exactly the endpoints not tested; closed and filtered pass', () => {
    const xml = render(r, 'junit', false);
    expect(/<testsuites [^>]*skipped="(\d+)"/.exec(xml)?.[1]).toBe(String(NOT_TESTED));
    expect(xml.match(/<skipped message="not tested: /g)).toHaveLength(NOT_TESTED);
    for (const [h, p] of plan.filter(([, , s]) => s === 'closed' || s === 'filtered')) {
      const c = new RegExp(`<testcase [^>]*name="${h.replace(/\./g, '\\.')}:${p} \\(redis\\)"[^>]*(/>|>[\\s\\S]*?</testcase>)`).exec(
        xml,
      )?.[0];
      expect(c, `${h}:${p}`).toBeDefined();
      expect(c).not.toContain('<skipped');
    }
  });

  it('SARIF warns once per endpoint not tested; the endpoints with no service are notes per host', () => {
    const inv = JSON.parse(render(r, 'sarif', false)).runs[0].invocations[0];
    const n = inv.toolExecutionNotifications as Array<{ level: string; message: { text: string } }>;
    expect(n.filter((x) => x.level === 'warning')).toHaveLength(NOT_TESTED);
    expect(n.filter((x) => x.level === 'note').map((x) => x.message.text)).toEqual([
      'Tested, no service on 127.0.0.6: 2 closed (ports 6379, 6380).',
      'Tested, no service on 127.0.0.7: 1 closed, 2 filtered (ports 6379, 6380, 6381).',
    ]);
  });

  it('Markdown: banner, status table and list agree, with the meanings from the table', () => {
    const md = render(r, 'markdown', false);
    expect(md).toContain(`**${NOT_TESTED} endpoints were not tested** (timeout or error)`);
    expect(md).toContain(`| **not tested** | **${NOT_TESTED}** | timeout + error |`);
    expect(md).toContain(`<summary>${NOT_TESTED} endpoints not tested (5 more tested with no service, closed or filtered`);
    for (const s of statuses) {
      const row = md.split('\n').find((l) => l.startsWith(`| ${s} | ${r.summary.byStatus[s]} |`));
      expect(row, s).toBeDefined();
      expect(row!.replace(/\*\*/g, '').replace(/\\/g, '')).toContain(statusMeaning(s));
    }
  });

  it('HTML: card, banner and status table agree, with the meanings from the table', () => {
    const html = render(r, 'html', false);
    expect(html).toContain(`data-testid="summary-not-tested">${NOT_TESTED}<`);
    expect(html).toContain(`<strong>${NOT_TESTED} endpoints were not tested</strong> (timeout or error)`);
    expect(html).toContain(`<td class="num"><strong>${NOT_TESTED}</strong></td><td>timeout + error</td>`);
    for (const s of statuses) {
      expect(html).toContain(`data-testid="count-status-${s}">${r.summary.byStatus[s]}</td><td>${escapeHtml(statusMeaning(s))}</td>`);
      expect(html.includes(`<tr class="nt"><td><span class="st st-${s}">`), s).toBe(isNotTested(s));
    }
  });
});
