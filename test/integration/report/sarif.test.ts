// SARIF 2.1.0: structure, the severity mapping, and two independent validations:
// 1. the official validator (Sarif.Multitool from @microsoft/sarif-multitool), run with its one network rule
//    (SARIF2006, "URIs should be reachable": it GETs every URI in the log) disabled, and inside a network
//    namespace with no network at all when `unshare -n` is available;
// 2. the SARIF 2.1.0 JSON schema that ships embedded in that same validator binary, checked with zod.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Log, Result } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { changeOf } from '../../../src/report/change-view.js';
import { probeMetas } from '../../../src/cli/registry.js';
import { artifactUri, fingerprintKey, renderSarif, sarifLevel, securitySeverity } from '../../../src/report/sarif.js';
import { severities } from '../../../src/types.js';
import {
  baselineFile,
  continuousReport,
  hostileReason,
  sampleInventory,
  sampleReport,
  suppressionsFile,
} from '../../fixtures/sample-run.js';

const outDir = path.resolve('test-output');
mkdirSync(outDir, { recursive: true });
const render = (opts: Parameters<typeof sampleReport>[0] = {}) =>
  JSON.parse(renderSarif(sampleReport(opts), { root: process.cwd(), probes: probeMetas })) as Log;
const renderContinuous = (opts: Parameters<typeof continuousReport>[0] = {}) =>
  JSON.parse(renderSarif(continuousReport(opts), { root: process.cwd(), probes: probeMetas })) as Log;

describe('severity → SARIF level', () => {
  it('maps each severity explicitly', () => {
    expect(sarifLevel).toEqual({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' });
    expect(Object.keys(sarifLevel).sort()).toEqual([...severities].sort());
  });

  it('security-severity lands in GitHub’s band for each severity (>9 critical, 7–8.9 high, 4–6.9 medium, ≤3.9 low)', () => {
    const band = (n: number) => (n > 9 ? 'critical' : n >= 7 ? 'high' : n >= 4 ? 'medium' : 'low');
    for (const s of severities) {
      expect(securitySeverity[s]).toMatch(/^\d+\.\d$/);
      expect(band(Number(securitySeverity[s]))).toBe(s === 'info' ? 'low' : s);
    }
    expect(Number(securitySeverity.info)).toBeLessThan(Number(securitySeverity.low));
  });

  it('each result carries the level of its own finding', () => {
    const report = sampleReport();
    const log = render();
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(report.findings.length);
    report.findings.forEach((f, i) => {
      expect(results[i]!.level).toBe(sarifLevel[f.severity]);
      expect(results[i]!.properties?.severity).toBe(f.severity);
    });
  });
});

describe('SARIF structure', () => {
  const report = sampleReport();
  const log = render();
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules!;

  it('declares the 2.1.0 schema and the tool', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0.*\.json$/);
    expect(run.tool.driver).toMatchObject({ name: 'exposure-audit', version: report.tool.version, semanticVersion: report.tool.version });
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
  });

  it('has one rule per check, fully described', () => {
    expect(rules.map((r) => r.id).sort()).toEqual([...new Set(report.findings.map((f) => f.check))].sort());
    for (const r of rules) {
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(r.shortDescription?.text).toBeTruthy();
      expect(r.fullDescription?.text).toBeTruthy();
      expect(r.help?.text).toMatch(/Remediation: /);
      expect(r.help?.markdown).toMatch(/\*\*Remediation:\*\*/);
      expect(r.properties?.tags).toContain('security');
      expect(typeof r.properties?.['security-severity']).toBe('string');
      expect(Number.isFinite(Number(r.properties?.['security-severity']))).toBe(true);
    }
  });

  it('gives a rule the worst severity among its findings (GitHub reads security-severity from the rule)', () => {
    const rule = rules.find((r) => r.id === 'clickhouse-http:unauthenticated')!;
    const sevs = report.findings.filter((f) => f.check === rule.id).map((f) => f.severity);
    expect(sevs).toEqual(expect.arrayContaining(['critical', 'medium']));
    expect(rule.properties?.['security-severity']).toBe(securitySeverity.critical);
    expect(rule.defaultConfiguration?.level).toBe('error');
  });

  it('points each result at the inventory line that declared the target, with a stable fingerprint', () => {
    report.findings.forEach((f, i) => {
      const r = run.results![i] as Result;
      expect(r.ruleId).toBe(f.check);
      expect(rules[r.ruleIndex!]!.id).toBe(f.check);
      expect(r.message.text).toContain(f.title);
      expect(r.message.text).toContain(f.reason);
      expect(r.partialFingerprints).toEqual({ [fingerprintKey]: f.fingerprint });
      const loc = r.locations![0]!.physicalLocation!;
      expect(loc.artifactLocation).toEqual({ uri: sampleInventory, uriBaseId: '%SRCROOT%' });
      expect(loc.region).toEqual({ startLine: f.source.line, startColumn: f.source.column });
    });
  });

  it('reports endpoints that were not tested as notifications, and an interrupted run as unsuccessful', () => {
    const inv = run.invocations![0]!;
    expect(inv.executionSuccessful).toBe(true);
    // Timeout and error: a warning each; closed (tested, no service): one note per host, never a warning per port.
    const { closed } = report.summary.byStatus;
    const hosts = new Set(report.endpoints.filter((e) => e.status === 'closed').map((e) => e.host));
    expect(closed).toBeGreaterThan(0);
    expect(inv.toolExecutionNotifications).toHaveLength(report.summary.notTested + hosts.size);
    for (const n of inv.toolExecutionNotifications!)
      expect(n.message.text).toMatch(/^(Not tested: .* (timeout|error)|Tested, no service on )/);
    for (const n of inv.toolExecutionNotifications!) if (n.level === 'warning') expect(n.message.text).not.toContain('closed');
    const all = JSON.parse(renderSarif(report, { probes: probeMetas, allEndpoints: true })).runs[0].invocations[0];
    expect(all.toolExecutionNotifications).toHaveLength(report.summary.notTested + closed);
    const partial = render({ complete: false }).runs[0]!.invocations![0]!;
    expect(partial.executionSuccessful).toBe(false);
    expect(partial.toolExecutionNotifications![0]!.level).toBe('error');
  });

  it('makes inventory paths relative to the root, encoded, and absolute file: URIs outside it', () => {
    expect(artifactUri('inv/my targets.yaml', '/repo')).toEqual({ uri: 'inv/my%20targets.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactUri('/repo/a/b.yaml', '/repo')).toEqual({ uri: 'a/b.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactUri('/elsewhere/t.yaml', '/repo')).toEqual({ uri: 'file:///elsewhere/t.yaml' });
    expect(artifactUri('../t.yaml', '/repo/sub')).toEqual({ uri: 'file:///repo/t.yaml' });
  });
});

describe('SARIF: continuous auditing (baseline, suppressions, ages)', () => {
  const report = continuousReport();
  const log = renderContinuous();
  const run = log.runs[0]!;
  const results = run.results!;
  const forFinding = (fp: string) => results.find((r) => r.partialFingerprints?.[fingerprintKey] === fp)!;
  const byHost = (host: string) => report.findings.find((f) => f.host === host)!;

  it.each([
    ['unchanged', '127.0.0.10', 'unchanged'],
    ['changed-severity', '127.0.0.12', 'updated'],
    ['new (medium)', '127.0.0.13', 'new'],
    ['new (low)', '127.0.0.14', 'new'],
    ['unchanged, suppression expired', '127.0.0.15', 'unchanged'],
  ] as const)('baselineState of a %s finding (%s) is %s', (_what, host, state) => {
    const f = byHost(host);
    const r = forFinding(f.fingerprint);
    expect(r.baselineState).toBe(state);
    expect(r.properties).toMatchObject({ change: f.change, firstSeen: f.firstSeen, ageDays: f.ageDays, openSince: changeOf(f).since });
    expect(r.provenance?.firstDetectionTimeUtc).toBe(f.firstSeen);
  });

  it('has no baselineState on a finding without a change, and none at all without a comparison', () => {
    const noChange = { ...report, findings: report.findings.map((f, i) => (i === 0 ? (({ change: _c, ...rest }) => rest)(f) : f)) };
    const r = (JSON.parse(renderSarif(noChange, { probes: probeMetas })) as Log).runs[0]!.results![0]!;
    expect(r).not.toHaveProperty('baselineState');
    for (const plain of render().runs[0]!.results!) {
      expect(plain).not.toHaveProperty('baselineState');
      expect(plain).not.toHaveProperty('suppressions');
      expect(plain).not.toHaveProperty('provenance');
    }
    expect(render().runs[0]!.tool.driver.rules!.map((x) => x.id)).not.toContain('exposure-audit:resolved');
  });

  it('marks a suppressed finding with an accepted external suppression: reason, owner, expiry and where it is declared', () => {
    const f = byHost('127.0.0.12');
    const r = forFinding(f.fingerprint);
    expect(r.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: hostileReason,
        location: {
          physicalLocation: {
            artifactLocation: { uri: suppressionsFile, uriBaseId: '%SRCROOT%' },
            region: { startLine: f.suppressed!.source!.line, startColumn: f.suppressed!.source!.column },
          },
        },
        properties: { owner: 'data-team', expires: '2025-06-30' },
      },
    ]);
    expect(r.level).toBe(sarifLevel.high); // still reported at its severity: a viewer hides it by the suppression
    for (const other of report.findings.filter((x) => !x.suppressed))
      expect(forFinding(other.fingerprint)).not.toHaveProperty('suppressions');
  });

  it('says in the message that a suppression expired, once', () => {
    const f = byHost('127.0.0.15');
    const text = forFinding(f.fingerprint).message.text!;
    const expired = changeOf(f).expired!;
    expect(text.split(expired)).toHaveLength(2);
    expect(forFinding(f.fingerprint).properties?.suppressionExpired).toEqual({
      reason: 'scratch box, wiped weekly',
      owner: 'platform',
      expires: '2025-02-28',
    });
    // A report whose reason does not carry the note (written by another tool version) still gets it in the message.
    const bare = { ...report, findings: report.findings.map((x) => (x === f ? { ...x, reason: 'info: declared' } : x)) };
    const again = (JSON.parse(renderSarif(bare, { probes: probeMetas })) as Log).runs[0]!.results!.find(
      (r) => r.partialFingerprints?.[fingerprintKey] === f.fingerprint,
    )!;
    expect(again.message.text).toContain(expired);
  });

  it('lists resolved baseline findings in the run properties, not as results (GitHub would open them as alerts)', () => {
    expect(results.filter((r) => r.baselineState === 'absent')).toEqual([]);
    expect(results).toHaveLength(report.findings.length);
    const diff = (run.properties as { diff: { resolved: Array<{ fingerprint: string }> } }).diff;
    expect(diff.resolved.map((e) => e.fingerprint)).toEqual(report.diff!.resolved.map((e) => e.fingerprint));
  });

  it('lists stale suppressions as configuration notifications at their declaration, and the diff in run properties', () => {
    const notes = run.invocations![0]!.toolConfigurationNotifications!;
    const stale = report.suppressions!.stale;
    expect(notes).toHaveLength(stale.length);
    stale.forEach((s, i) => {
      expect(notes[i]!.message.text).toMatch(/^Stale suppression/);
      expect(notes[i]!.message.text).toContain(s.reason);
      expect(notes[i]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: s.source.line, startColumn: s.source.column });
    });
    expect(run.properties).toMatchObject({
      baseline: baselineFile,
      diff: {
        new: report.diff!.new,
        unchanged: report.diff!.unchanged,
        changedSeverity: report.diff!.changedSeverity,
        notRetested: report.diff!.notRetested,
      },
      suppressions: report.suppressions,
      summary: { suppressed: 1 },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// The official validator.

const requireCjs = createRequire(import.meta.url);
function validatorPath(): string | undefined {
  try {
    const p = requireCjs('@microsoft/sarif-multitool') as string;
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}
const validator = validatorPath();
/** `unshare -n` gives the validator a network namespace with nothing but a downed loopback. */
const canIsolate = spawnSync('unshare', ['-n', 'true']).status === 0;
const policy = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" />
  </Properties>
</Properties>
`;

interface Validation {
  errors: Result[];
  warnings: Result[];
  notes: Result[];
}

function validate(file: string): Validation {
  const dir = mkdtempSync(path.join(tmpdir(), 'ea-sarif-'));
  const config = path.join(dir, 'policy.xml');
  writeFileSync(config, policy);
  const out = file.replace(/\.sarif$/, '.validation.sarif');
  const args = ['validate', file, '--output', out, '--log', 'ForceOverwrite', '--level', 'Error;Warning;Note', '--config', config];
  const [cmd, argv] = canIsolate ? ['unshare', ['-n', validator!, ...args]] : [validator!, args];
  // Without a namespace, any request the validator might still try goes to a dead loopback proxy.
  const env = {
    ...process.env,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
  };
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env, timeout: 60_000 });
  if (r.error || r.status !== 0) {
    throw new Error(
      `sarif-multitool failed (${r.error?.message ?? `exit ${r.status}`}); run scripts/install-report-tools.sh\n${r.stdout}\n${r.stderr}`,
    );
  }
  const v = JSON.parse(readFileSync(out, 'utf8')) as Log;
  // The policy must really have turned the network rule off.
  const disabled = JSON.stringify(v.runs[0]!.invocations?.[0]?.toolConfigurationNotifications ?? []);
  expect(disabled).toContain('SARIF2006');
  const results = v.runs.flatMap((run) => run.results ?? []);
  expect(results.some((x) => x.ruleId === 'SARIF2006')).toBe(false);
  return {
    errors: results.filter((x) => x.level === 'error'),
    // A result without a level is a warning.
    warnings: results.filter((x) => (x.level ?? 'warning') === 'warning'),
    notes: results.filter((x) => x.level === 'note'),
  };
}
const describeText = (rs: Result[]) => rs.map((x) => `${x.ruleId}: ${JSON.stringify(x.message)}`).join('\n');

describe.skipIf(!validator)('official SARIF validator (sarif-multitool validate)', () => {
  it('finds no error and no warning in the report', () => {
    const cases = [
      ['report.sarif', sampleReport()],
      ['report-incomplete.sarif', sampleReport({ complete: false })],
      ['report-continuous.sarif', continuousReport()],
      ['report-continuous-incomplete.sarif', continuousReport({ complete: false })],
    ] as const;
    for (const [name, report] of cases) {
      const file = path.join(outDir, name);
      writeFileSync(file, renderSarif(report, { root: process.cwd(), probes: probeMetas }));
      const v = validate(file);
      expect(v.errors, describeText(v.errors)).toEqual([]);
      expect(v.warnings, describeText(v.warnings)).toEqual([]);
      // What remains are style guidelines this log deliberately does not follow (see docs/reports.md).
      const accepted = ['SARIF2002', 'SARIF2003', 'SARIF2009', 'SARIF2010', 'SARIF2011'];
      expect(
        v.notes.filter((n) => !accepted.includes(n.ruleId ?? '')),
        describeText(v.notes),
      ).toEqual([]);
    }
  }, 120_000); // the .NET validator takes ~20 s alone, more under the full suite

  it('does flag a broken log (the check is live)', () => {
    const file = path.join(outDir, 'broken.sarif');
    const log = render();
    delete (log.runs[0]!.results![0] as Partial<Result>).message;
    (log.runs[0]!.tool.driver as unknown as Record<string, unknown>).bogus = 1;
    writeFileSync(file, JSON.stringify(log));
    const v = validate(file);
    expect(v.errors.map((e) => e.ruleId)).toEqual(expect.arrayContaining(['JSON1002', 'JSON1005']));
  });
});

// ---------------------------------------------------------------------------------------------------------
// The SARIF 2.1.0 JSON schema, as embedded in the validator binary (no separate download).

const schemaTitle = '"title": "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"';

/** Cuts the schema's JSON text out of the binary: from the `{` before its title to the matching `}`. */
function embeddedSchema(): Record<string, unknown> | undefined {
  if (!validator) return undefined;
  const bin = readFileSync(validator);
  const at = bin.indexOf(Buffer.from(schemaTitle));
  if (at < 0) return undefined;
  const start = bin.lastIndexOf(0x7b, at);
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < bin.length; i++) {
    const c = bin[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return JSON.parse(bin.subarray(start, i + 1).toString('utf8')) as Record<string, unknown>;
  }
  return undefined;
}

describe.skipIf(!validator)('SARIF 2.1.0 JSON schema', () => {
  let schema: z.ZodType;

  beforeAll(() => {
    const raw = embeddedSchema();
    expect(raw, 'the SARIF schema was not found inside Sarif.Multitool').toBeDefined();
    expect(Object.keys(raw!.definitions as object).length).toBeGreaterThan(40);
    // The embedded copy says draft 2020-12 but keeps draft-07 `definitions`; zod resolves `$defs`.
    // zod reads `uri-reference` as an absolute URL, which would reject relative artifact URIs: checked below instead.
    const text = JSON.stringify(raw)
      .replaceAll('"#/definitions/', '"#/$defs/')
      .replaceAll('"format":"uri-reference"', '"x-format":"uri-reference"');
    const adapted = JSON.parse(text) as Record<string, unknown>;
    adapted.$defs = adapted.definitions;
    delete adapted.definitions;
    schema = z.fromJSONSchema(adapted as Parameters<typeof z.fromJSONSchema>[0]);
  });

  it('accepts the report, complete and interrupted, with and without a baseline and suppressions', () => {
    for (const complete of [true, false]) {
      for (const log of [render({ complete }), renderContinuous({ complete })]) {
        const r = schema.safeParse(log);
        expect(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 5), null, 2)).toBe(true);
      }
    }
  });

  it('rejects a baselineState or suppression SARIF does not define (the check covers the new fields)', () => {
    const badState = renderContinuous();
    (badState.runs[0]!.results![0] as unknown as Record<string, unknown>).baselineState = 'changed-severity';
    expect(schema.safeParse(badState).success).toBe(false);
    const badKind = renderContinuous();
    const suppressed = badKind.runs[0]!.results!.find((r) => r.suppressions)!;
    (suppressed.suppressions![0] as unknown as Record<string, unknown>).kind = 'inventory';
    expect(schema.safeParse(badKind).success).toBe(false);
  });

  it('rejects what SARIF forbids (the check is live)', () => {
    const badLevel = render();
    (badLevel.runs[0]!.results![0] as unknown as Record<string, unknown>).level = 'critical';
    expect(schema.safeParse(badLevel).success).toBe(false);
    const zeroLine = render();
    zeroLine.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
    expect(schema.safeParse(zeroLine).success).toBe(false);
    const extra = render();
    (extra.runs[0]!.results![0] as unknown as Record<string, unknown>).severity = 'high';
    expect(schema.safeParse(extra).success).toBe(false);
  });

  it('uses valid relative URI references for artifacts', () => {
    for (const r of [...render().runs[0]!.results!, ...renderContinuous().runs[0]!.results!]) {
      const uri = r.locations![0]!.physicalLocation!.artifactLocation!.uri!;
      expect(uri).not.toMatch(/[\s\\]/);
      expect(new URL(uri, 'file:///root/').href).toBe(`file:///root/${uri}`);
    }
  });
});
