// JUnit XML, parsed back with a strict XML parser (python3's expat, on every machine of this project's kind).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failsAt } from '../../../src/domain/severity.js';
import { renderJunit, xmlEscape } from '../../../src/report/junit.js';
import type { Report } from '../../../src/report/schema.js';
import { changeOf } from '../../../src/report/change-view.js';
import { baselineFile, continuousReport, hostile, hostileReason, sampleReport } from '../../fixtures/sample-run.js';

interface Case {
  name: string;
  classname: string;
  time: string;
  failures: { message: string; type: string; text: string }[];
  skipped: string | null;
  out: string | null;
}
interface Suite {
  name: string;
  tests: number;
  failures: number;
  skipped: number;
  errors: number;
  cases: Case[];
}
interface Parsed {
  name: string;
  tests: number;
  failures: number;
  skipped: number;
  suites: Suite[];
}

const parser = String.raw`
import sys, json
from xml.dom import minidom
doc = minidom.parseString(sys.stdin.buffer.read())
root = doc.documentElement
assert root.tagName == 'testsuites', root.tagName
def text(n): return ''.join(c.data for c in n.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE))
def i(n, a): return int(n.getAttribute(a))
suites = []
for s in root.getElementsByTagName('testsuite'):
    cases = []
    for c in s.getElementsByTagName('testcase'):
        sk = c.getElementsByTagName('skipped')
        out = c.getElementsByTagName('system-out')
        cases.append({'name': c.getAttribute('name'), 'classname': c.getAttribute('classname'), 'time': c.getAttribute('time'),
            'failures': [{'message': f.getAttribute('message'), 'type': f.getAttribute('type'), 'text': text(f)} for f in c.getElementsByTagName('failure')],
            'skipped': sk[0].getAttribute('message') if sk else None, 'out': text(out[0]) if out else None})
    suites.append({'name': s.getAttribute('name'), 'tests': i(s, 'tests'), 'failures': i(s, 'failures'), 'skipped': i(s, 'skipped'), 'errors': i(s, 'errors'), 'cases': cases})
print(json.dumps({'name': root.getAttribute('name'), 'tests': i(root, 'tests'), 'failures': i(root, 'failures'), 'skipped': i(root, 'skipped'), 'suites': suites}))
`;

function parse(xml: string): Parsed {
  const r = spawnSync('python3', ['-c', parser], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Parsed;
}

const caseFor = (p: Parsed, host: string, port: number) =>
  p.suites.flatMap((s) => s.cases).find((c) => !c.name.startsWith('resolved: ') && c.name.includes(`${host}:${port} `))!;

describe('JUnit XML', () => {
  const report = sampleReport({ failOn: 'high' });
  const xml = renderJunit(report);
  mkdirSync('test-output', { recursive: true });
  writeFileSync(path.join('test-output', 'report.xml'), xml);
  const parsed = parse(xml);

  it('is well-formed, one testsuite per service and one testcase per endpoint', () => {
    const services = [...new Set(report.endpoints.map((e) => e.service))];
    expect(parsed.suites.map((s) => s.name)).toEqual(services);
    for (const s of parsed.suites) {
      const eps = report.endpoints.filter((e) => e.service === s.name);
      expect(s.cases).toHaveLength(eps.length);
      expect(s.tests).toBe(eps.length);
      expect(s.errors).toBe(0);
      for (const c of s.cases) expect(c.classname).toBe(`exposure-audit.${s.name}`);
    }
    expect(parsed.tests).toBe(report.endpoints.length);
  });

  it('skips every endpoint that was not tested, with the reason: never a pass; closed (tested, no service) is not skipped', () => {
    for (const e of report.endpoints.filter((x) => x.status === 'closed')) expect(caseFor(parsed, e.host, e.port).skipped).toBeNull();
    for (const e of report.endpoints.filter((x) => ['timeout', 'error'].includes(x.status))) {
      const c = caseFor(parsed, e.host, e.port);
      expect(c.skipped).toMatch(new RegExp(`^not tested: ${e.status}`));
      expect(c.skipped).toContain(e.error!.code);
      expect(c.failures).toEqual([]);
    }
    expect(parsed.skipped).toBe(report.summary.notTested);
    expect(parsed.suites.reduce((n, s) => n + s.skipped, 0)).toBe(report.summary.notTested);
  });

  it('fails endpoints with a finding at or above fail-on, with the reason — as the exit code does', () => {
    const failing = report.findings.filter((f) => ['critical', 'high'].includes(f.severity));
    expect(parsed.failures).toBe(failing.length);
    for (const f of failing) {
      const c = caseFor(parsed, f.host, f.port);
      expect(c.failures).toHaveLength(1);
      expect(c.failures[0]!.message).toBe(f.reason);
      expect(c.failures[0]!.type).toBe(`${f.severity}:${f.check}`);
      expect(c.failures[0]!.text).toContain(f.remediation);
    }
    expect(parsed.failures > 0).toBe(failsAt(report, 'high'));
  });

  it('passes findings below fail-on but still reports them', () => {
    for (const f of report.findings.filter((x) => ['medium', 'low', 'info'].includes(x.severity))) {
      const c = caseFor(parsed, f.host, f.port);
      expect(c.failures).toEqual([]);
      expect(c.skipped).toBeNull();
      expect(c.out).toContain(`${f.severity} (does not fail the run at fail-on high)`);
    }
  });

  it('moves with --fail-on', () => {
    const low = parse(renderJunit(sampleReport({ failOn: 'low' })));
    expect(low.failures).toBe(4);
    const info = parse(renderJunit(sampleReport({ failOn: 'info' })));
    expect(info.failures).toBe(5);
    const crit = parse(renderJunit(sampleReport({ failOn: 'critical' })));
    expect(crit.failures).toBe(1);
  });

  it('carries hostile evidence as text', () => {
    const c = caseFor(parsed, '127.0.0.10', 8123);
    expect(c.failures[0]!.text).toContain(hostile.script);
    expect(c.failures[0]!.text).toContain(hostile.breakout);
    expect(c.failures[0]!.text).toContain('nul\\x00bell\\x07esc\\x1b[31mred');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('escapes what XML 1.0 cannot carry', () => {
    expect(xmlEscape(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(xmlEscape('\u0000\u001f\ud800x\uffff')).toBe('\\x00\\x1f\\ud800x\\uffff');
    expect(xmlEscape('😀')).toBe('😀');
    const weird: Report = { ...report, run: { ...report.run, inventory: 'a"b<c>\u0001.yaml' } };
    expect(() => parse(renderJunit(weird))).not.toThrow();
  });

  it('handles a run with no endpoints', () => {
    const empty: Report = { ...report, endpoints: [], findings: [] };
    const p = parse(renderJunit(empty));
    expect(p).toMatchObject({ tests: 0, failures: 0, skipped: 0, suites: [] });
  });
});

describe('JUnit XML: continuous auditing', () => {
  const report = continuousReport({ failOn: 'high' });
  const xml = renderJunit(report);
  writeFileSync(path.join('test-output', 'report-continuous.xml'), xml);
  const parsed = parse(xml);
  const byHost = (host: string) => report.findings.find((f) => f.host === host)!;

  it.each([
    // host, port, what the testcase is, name prefix
    ['127.0.0.10', 8123, 'failure', ''], // critical, unchanged
    ['127.0.0.12', 9000, 'skipped: suppressed', ''], // high (was medium), suppressed: not a failure although at fail-on
    ['127.0.0.13', 8123, 'pass', '[NEW] '], // medium, new
    ['127.0.0.14', 6379, 'pass', '[NEW] '], // low, new
    ['127.0.0.15', 6379, 'pass', ''], // info, suppression expired
    ['127.0.0.19', 9000, 'skipped: not tested', ''], // timeout (and not retested)
  ] as const)('%s:%s is a %s', (host, port, kind, prefix) => {
    const c = caseFor(parsed, host, port);
    const ep = report.endpoints.find((e) => e.host === host && e.port === port)!;
    expect(c.name).toBe(`${prefix}${ep.asset === ep.host ? '' : `${ep.asset} `}${host}:${port} (${ep.probe})`);
    if (kind === 'failure') {
      expect(c.failures).toHaveLength(1);
      expect(c.skipped).toBeNull();
    } else if (kind === 'pass') {
      expect(c.failures).toEqual([]);
      expect(c.skipped).toBeNull();
    } else {
      expect(c.failures).toEqual([]);
      expect(c.skipped).toMatch(kind === 'skipped: suppressed' ? /^suppressed until / : /^not tested: /);
    }
  });

  it("skips a suppressed finding with present.ts's wording: until, by, why", () => {
    const f = byHost('127.0.0.12');
    const c = caseFor(parsed, f.host, f.port);
    expect(c.skipped).toBe(changeOf(f).suppression);
    expect(c.skipped).toBe(`suppressed until 2025-06-30 by data-team: ${hostileReason}`);
    expect(c.out).toContain(f.reason);
  });

  it("adds resolved baseline findings as passing testcases in their service's suite", () => {
    const resolved = parsed.suites
      .flatMap((s) => s.cases.map((c) => ({ suite: s.name, c })))
      .filter((x) => x.c.name.startsWith('resolved: '));
    expect(resolved).toHaveLength(report.diff!.resolved.length);
    report.diff!.resolved.forEach((e, i) => {
      const { suite, c } = resolved[i]!;
      expect(suite).toBe(e.service);
      expect(c.name).toBe(`resolved: ${e.severity} ${e.host}:${e.port} ${e.service}: ${e.title}`);
      expect(c.failures).toEqual([]);
      expect(c.skipped).toBeNull();
      expect(c.out).toContain(`resolved since ${baselineFile}`);
    });
  });

  it('counts: one testcase per endpoint plus one per resolved finding; skipped = not tested + suppressed; failures as the exit code', () => {
    // Known exposures not re-checked are test cases too: a failure at or above fail-on (high here), else skipped.
    const stale = report.diff!.notRetested;
    const staleFailing = stale.filter((e) => ['critical', 'high'].includes(e.severity)).length;
    expect(parsed.tests).toBe(report.endpoints.length + report.diff!.resolved.length + stale.length);
    expect(parsed.skipped).toBe(report.summary.notTested + report.summary.suppressed! + stale.length - staleFailing);
    for (const s of parsed.suites) {
      expect(s.tests).toBe(s.cases.length);
      expect(s.skipped).toBe(s.cases.filter((c) => c.skipped !== null).length);
      expect(s.failures).toBe(s.cases.filter((c) => c.failures.length).length);
    }
    expect(parsed.failures).toBe(
      report.findings.filter((f) => !f.suppressed && ['critical', 'high'].includes(f.severity)).length + staleFailing,
    );
    expect(parsed.failures > 0).toBe(failsAt(report, 'high') || staleFailing > 0);
    // NEW only on endpoints with a new finding.
    const named = parsed.suites.flatMap((s) => s.cases).filter((c) => c.name.startsWith('[NEW] '));
    expect(named).toHaveLength(report.diff!.new);
  });

  it('carries age and the expired suppression in the case text', () => {
    const crit = caseFor(parsed, '127.0.0.10', 8123);
    expect(crit.failures[0]!.text).toContain(changeOf(byHost('127.0.0.10')).since);
    const info = caseFor(parsed, '127.0.0.15', 6379);
    expect(info.out).toContain(changeOf(byHost('127.0.0.15')).expired);
    expect(info.out!.split('expired on')).toHaveLength(2);
  });

  it('stays well-formed with hostile text in every new place', () => {
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain(hostileReason);
    expect(parse(renderJunit(continuousReport({ failOn: 'info' }))).failures).toBe(
      report.findings.filter((f) => !f.suppressed).length + report.diff!.notRetested.length,
    );
  });
});
