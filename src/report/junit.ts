import { atLeast, failsAt } from '../domain/severity.js';
import { isNotTested } from '../domain/status.js';
import { changeOf, entryLine, notRecheckedLine, whyExtras } from './change-view.js';
import { xmlEscape } from './escape.js';
import type { Report, ReportEndpoint, ReportFinding } from './schema.js';

export { xmlEscape };

/** For attribute values: line breaks kept as character references, so parsers do not fold them to spaces. */
function attr(s: string | number): string {
  return xmlEscape(String(s)).replace(/\n/g, '&#10;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const notTested = (e: ReportEndpoint) => isNotTested(e.status);

function evidenceText(f: ReportFinding): string {
  const ev = f.evidence;
  const marker = changeOf(f).marker; // NEW / was medium / EXPIRED, as the table shows them
  return [
    marker ? `${f.title} [${marker}]` : f.title,
    f.reason,
    ...whyExtras(f), // open since …, suppression expired …
    `Remediation: ${f.remediation}`,
    `Declared at ${f.source.file}:${f.source.line}:${f.source.column}`,
    ev.product ? `Product: ${ev.product}${ev.version ? ` ${ev.version}` : ''}` : '',
    ev.requests.length ? `Requests sent:\n${ev.requests.map((r) => `  ${r}`).join('\n')}` : '',
    ev.proof ? `Proof: ${ev.proof}` : '',
    ev.reply ? `Reply excerpt:\n${ev.reply}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Whether this one finding makes the run fail: the model's own rule (failsAt), so JUnit and the exit code agree. */
const fails = (report: Report, f: ReportFinding) => failsAt({ ...report, findings: [f] }, report.run.failOn);

/**
 * JUnit XML for CI test views: one testsuite per service, one testcase per endpoint. A finding that fails the
 * run (at or above fail-on: the same rule as the exit code) is a failure; an endpoint that was not tested
 * (timeout, error: `isNotTested`) is skipped, never passed (closed and filtered were tested: a pass unless a finding fails); an endpoint whose findings are all suppressed (an accepted
 * risk in force) is skipped with the suppression. With a baseline, an endpoint with a NEW finding is named
 * `[NEW] …`, and each resolved baseline finding is a passing testcase `resolved: …` in its service's suite.
 */
export function renderJunit(report: Report): string {
  const findingsByEndpoint = new Map<string, ReportFinding[]>();
  const key = (x: { host: string; port: number; service: string; probe: string }) => `${x.host}|${x.port}|${x.service}|${x.probe}`;
  for (const f of report.findings) findingsByEndpoint.set(key(f), [...(findingsByEndpoint.get(key(f)) ?? []), f]);

  const resolved = report.diff?.resolved ?? [];
  const stale = report.diff?.notRetested ?? [];
  const services = [
    ...new Set([...report.endpoints.map((e) => e.service), ...resolved.map((r) => r.service), ...stale.map((r) => r.service)]),
  ];
  const suites: string[] = [];
  let total = { tests: 0, failures: 0, skipped: 0, ms: 0 };
  for (const service of services) {
    const eps = report.endpoints.filter((e) => e.service === service);
    const gone = resolved.filter((r) => r.service === service);
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    let ms = 0;
    for (const e of eps) {
      ms += e.durationMs;
      const findings = findingsByEndpoint.get(key(e)) ?? [];
      const isNew = findings.some((f) => f.change === 'new');
      const name = `${isNew ? '[NEW] ' : ''}${e.asset === e.host ? '' : `${e.asset} `}${e.host}:${e.port} (${e.probe})`;
      const open = `    <testcase classname="exposure-audit.${attr(service)}" name="${attr(name)}" time="${seconds(e.durationMs)}" file="${attr(e.source.file)}" line="${e.source.line}"`;
      const failing = findings.filter((f) => fails(report, f));
      if (notTested(e)) {
        skipped++;
        const why = `not tested: ${e.status}${e.error ? `: ${e.error.code} ${e.error.message}` : ''}`;
        cases.push(`${open}>\n      <skipped message="${attr(why)}"/>\n    </testcase>`);
      } else if (findings.length && findings.every((f) => f.suppressed)) {
        // An accepted risk in force: neither a failure nor a pass. The message is present.ts's wording.
        skipped++;
        const why = findings.map((f) => changeOf(f).suppression!).join('; ');
        const out = findings
          .map((f) => `${f.severity} [${changeOf(f).marker}]: ${f.title}. ${[f.reason, ...whyExtras(f)].join('. ')}`)
          .join('\n');
        cases.push(`${open}>\n      <skipped message="${attr(why)}"/>\n      <system-out>${xmlEscape(out)}</system-out>\n    </testcase>`);
      } else if (failing.length) {
        failures++;
        const body = failing
          .map(
            (f) =>
              `      <failure message="${attr(f.reason)}" type="${attr(`${f.severity}:${f.check}`)}">${xmlEscape(evidenceText(f))}</failure>`,
          )
          .join('\n');
        cases.push(`${open}>\n${body}\n    </testcase>`);
      } else {
        const below = findings.map((f) => {
          const v = changeOf(f);
          const suppressed = f.suppressed ? ` (${v.suppression})` : '';
          return `${f.severity}${v.marker ? ` [${v.marker}]` : ''} (does not fail the run at fail-on ${report.run.failOn}${suppressed}): ${f.title}. ${[f.reason, ...whyExtras(f).filter((x) => x !== v.suppression)].join('. ')}`;
        });
        const out = [`status: ${e.status}`, ...below].join('\n');
        cases.push(`${open}>\n      <system-out>${xmlEscape(out)}</system-out>\n    </testcase>`);
      }
    }
    // Resolved since the baseline: the endpoint was tested again and the finding is gone, a pass.
    for (const r of gone) {
      const line = entryLine(r).replace(/^(\S+) +/, '$1 ');
      const src = eps.find((e) => e.host === r.host && e.port === r.port)?.source;
      cases.push(
        `    <testcase classname="exposure-audit.${attr(service)}" name="${attr(`resolved: ${line}`)}" time="0.000"${src ? ` file="${attr(src.file)}" line="${src.line}"` : ''}>\n      <system-out>${xmlEscape(`resolved since ${report.diff!.baseline}: ${line}\nfingerprint ${r.fingerprint}`)}</system-out>\n    </testcase>`,
      );
    }
    // A known exposure this run could not re-check: still open. At or above fail-on it fails, as the exit code does.
    const open = stale.filter((r) => r.service === service);
    for (const r of open) {
      const line = notRecheckedLine(r).replace(/^(\S+) +/, '$1 ');
      const body = `${line}\nfingerprint ${r.fingerprint}`;
      const failing = atLeast(r.severity, report.run.failOn);
      if (failing) failures++;
      else skipped++;
      cases.push(
        `    <testcase classname="exposure-audit.${attr(service)}" name="${attr(`not re-checked: ${line}`)}" time="0.000">\n      ${failing ? `<failure message="${attr('known exposure not re-checked: still open')}" type="${attr(`${r.severity}:not-rechecked`)}">${xmlEscape(body)}</failure>` : `<skipped message="${attr('not re-checked')}"/>`}\n    </testcase>`,
      );
    }
    const tests = eps.length + gone.length + open.length;
    total = { tests: total.tests + tests, failures: total.failures + failures, skipped: total.skipped + skipped, ms: total.ms + ms };
    const props: Array<[string, string]> = [
      ['inventory', report.run.inventory],
      ['fail-on', report.run.failOn],
      ['complete', String(report.run.complete)],
      ...(report.diff ? ([['baseline', report.diff.baseline]] as Array<[string, string]>) : []),
      ...(report.run.shard ? ([['shard', `${report.run.shard.index}/${report.run.shard.count}`]] as Array<[string, string]>) : []),
    ];
    suites.push(
      `  <testsuite name="${attr(service)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(ms)}" timestamp="${attr(report.run.startedAt)}">\n` +
        `    <properties>\n${props.map(([n, v]) => `      <property name="${attr(n)}" value="${attr(v)}"/>`).join('\n')}\n    </properties>\n` +
        `${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="exposure-audit" tests="${total.tests}" failures="${total.failures}" errors="0" skipped="${total.skipped}" time="${seconds(report.run.durationMs)}" timestamp="${attr(report.run.startedAt)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
