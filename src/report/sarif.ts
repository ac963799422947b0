import { interruptedText } from './interrupted.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { checkKindOf, type CheckKind } from '../domain/check.js';
import { severityRank as rank } from '../domain/severity.js';
import { isNotTested, notTestedWords } from '../domain/status.js';
import type { ProbeMeta } from '../probe.js';
import type { Severity } from '../types.js';
import { changeOf, staleSuppressionText } from './change-view.js';
import type { EndpointSource } from './no-service.js';
import type { Report } from './schema.js';
import { endpointSource, NoServiceTally, noServiceCounts, noServicePorts } from './no-service.js';
import { jsonSafe } from './json.js';

export const sarifSchemaUri = 'https://json.schemastore.org/sarif-2.1.0.json';
export const fingerprintKey = 'exposureAudit/v1';
export const informationUri = 'https://www.npmjs.com/package/exposure-audit';
/** SARIF `baselineState` for each `finding.change`. A finding without one (no comparison) has no baselineState. */
export const sarifBaselineState: Record<NonNullable<Report['findings'][number]['change']>, 'new' | 'unchanged' | 'updated'> = {
  new: 'new',
  unchanged: 'unchanged',
  'changed-severity': 'updated',
};

/** SARIF result level for each severity: explicit, no fallback. */
export const sarifLevel: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub code scanning's `security-severity` (a string number): over 9.0 critical, 7.0–8.9 high,
 * 4.0–6.9 medium, 3.9 or less low.
 */
export const securitySeverity: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** What each kind of check means, for rule descriptions. */
const checkKinds: Record<CheckKind, { name: string; describe: (m: ProbeMeta | undefined, service: string) => string; cwe?: string }> = {
  unauthenticated: {
    name: 'Unauthenticated',
    describe: (m, s) => `${m?.title ?? `${s} without authentication`}: the service answers requests without credentials.`,
    cwe: 'external/cwe/cwe-306',
  },
  'no-password': {
    name: 'NoPassword',
    describe: (m, s) =>
      `${m?.title ?? s}: no password is set; only a network-level setting (such as protected mode) refuses remote clients.`,
    cwe: 'external/cwe/cwe-306',
  },
  reachable: {
    name: 'ReachableButDeclaredClosed',
    describe: (_m, s) => `${s} answers on a port the inventory declares closed (credentials are required).`,
  },
  'port-open': {
    name: 'PortOpenButDeclaredClosed',
    describe: (_m, s) => `Something listens on a ${s} port the inventory declares closed.`,
  },
  unclaimed: {
    name: 'UnclaimedSetup',
    describe: (m, s) => `${m?.title ?? s}: setup was never completed; the first visitor becomes its administrator.`,
    cwe: 'external/cwe/cwe-1188',
  },
  'still-leaks': {
    name: 'StillLeaks',
    describe: (m, s) => `${m?.title ?? s}: credentials are required, yet public routes still reveal something.`,
    cwe: 'external/cwe/cwe-200',
  },
  'default-credential': {
    name: 'DefaultCredential',
    describe: (m, s) => `${m?.title ?? s}: the product's documented default credential is accepted.`,
    cwe: 'external/cwe/cwe-1392',
  },
  'retention-exceeded': {
    name: 'RetentionExceeded',
    describe: (m, s) => `${m?.title ?? s}: an exposed store holds data older than the inventory's retention for its data class.`,
    cwe: 'external/cwe/cwe-212',
  },
};

/** Timeout/error endpoints listed one by one as notifications; the rest are counted in one. */
export const maxSarifNotTested = 1000;

export interface SarifOptions {
  /** List closed (tested, no service) endpoints one by one instead of one note per host. */
  allEndpoints?: boolean;
  /** Where the endpoints come from (the spool); default the report's array. */
  endpoints?: EndpointSource;
  /** Directory artifact URIs are relative to (the repository root); default: the current directory. */
  root?: string;
  /** Each probe's meta, in registry order (rule descriptions and rule order); the CLI passes the registry's. */
  probes?: readonly ProbeMeta[];
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** The inventory file as a URI: relative to `root` (with %SRCROOT%) when inside it, else an absolute file: URI. */
export function artifactUri(file: string, root: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(root, file);
  const rel = path.relative(path.resolve(root), abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

function ruleFor(probes: readonly ProbeMeta[], check: string, probeId: string, service: string, worst: Severity): ReportingDescriptor {
  const meta = probes.find((p) => p.id === probeId);
  const kindId = checkKindOf({ check, probe: probeId, service });
  const kind = kindId ? checkKinds[kindId] : undefined;
  const suffix = kindId ?? check;
  const full = kind ? kind.describe(meta, service) : `Finding of check ${check}.`;
  const refs = meta?.references ?? [];
  const md = [
    `**${meta?.title ?? check}**`,
    '',
    meta ? sentence(meta.description) : '',
    meta ? `**Exposure:** ${sentence(meta.exposure)}` : '',
    '',
    `**Remediation:** ${meta ? sentence(meta.remediation) : 'restrict access to the service and require authentication.'}`,
    ...(refs.length ? ['', '**References:**', ...refs.map((r) => `- <${r}>`)] : []),
  ].filter((l, i, a) => !(l === '' && a[i - 1] === ''));
  const text = [
    full,
    meta ? `Exposure: ${sentence(meta.exposure)}` : '',
    `Remediation: ${meta ? sentence(meta.remediation) : 'restrict access.'}`,
    ...refs,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: check,
    name: `${pascal(probeId)}${kind?.name ?? pascal(suffix)}`,
    shortDescription: { text: sentence(meta?.title ? `${meta.title} (${suffix})` : check) },
    fullDescription: { text: full },
    help: { text, markdown: md.join('\n') },
    ...(refs[0] ? { helpUri: refs[0] } : {}),
    defaultConfiguration: { level: sarifLevel[worst] },
    properties: {
      'security-severity': securitySeverity[worst],
      tags: [...new Set(['security', 'exposure-audit', service, ...(kind?.cwe ? [kind.cwe] : [])])],
      precision: 'very-high',
      'problem.severity': sarifLevel[worst] === 'note' ? 'recommendation' : sarifLevel[worst],
    },
  };
}

type Source = { file: string; line: number; column: number };
type Finding = Report['findings'][number];

/** A place in the inventory file (1-based line and column, as SARIF requires). */
function locationOf(src: Source, root: string) {
  return {
    physicalLocation: {
      artifactLocation: artifactUri(src.file, root),
      region: { startLine: Math.max(1, src.line), startColumn: Math.max(1, src.column) },
    },
  };
}

const whereOf = (x: { asset: string; host: string; port: number; service: string }) =>
  `${x.asset === x.host ? '' : `${x.asset} `}${x.host}:${x.port} (${x.service})`;

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers. One rule per check; a rule's security-severity is the
 * worst severity of its findings in this report (GitHub reads it from the rule), each result carries its own.
 * Results point at the inventory line that declared the target.
 */
export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const root = opts.root ?? process.cwd();
  const rules = rulesOf(report, opts.probes ?? []);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = report.findings.map((f) => resultOf(f, ruleIndex.get(f.check)!, root));

  // Resolved baseline findings are listed in the run's properties, not as `absent` results: GitHub code scanning
  // ignores baselineState and would open each as an alert; it closes an alert whose fingerprint leaves the upload.
  const notifications = endpointNotifications(report, opts, root);

  // Stale suppressions are configuration problems: they matched nothing and should be removed.
  const configNotifications: Notification[] = (report.suppressions?.stale ?? []).map(staleSuppressionText).map(({ stale: s, text }) => ({
    level: 'warning',
    message: { text: sentence(`Stale suppression, matched no finding (remove it): ${text}: ${s.reason}`) },
    locations: [locationOf(s.source, root)],
  }));

  const log: Log = {
    $schema: sarifSchemaUri,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: report.run.complete,
            startTimeUtc: report.run.startedAt,
            endTimeUtc: report.run.finishedAt,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
            ...(configNotifications.length ? { toolConfigurationNotifications: configNotifications } : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
        properties: runProperties(report),
      },
    ],
  };
  return `${jsonSafe(JSON.stringify(log, null, 2))}\n`;
}

/** One rule per check, described from the probe of its worst finding, in registry order then by check id. */
function rulesOf(report: Report, probes: readonly ProbeMeta[]): ReportingDescriptor[] {
  const worst = new Map<string, { probe: string; service: string; severity: Severity }>();
  for (const f of report.findings) {
    const w = worst.get(f.check);
    if (!w || rank(f.severity) > rank(w.severity)) worst.set(f.check, { probe: f.probe, service: f.service, severity: f.severity });
  }
  const order = (probe: string) => {
    const i = probes.findIndex((p) => p.id === probe);
    return i < 0 ? probes.length : i;
  };
  const checks = [...worst.keys()].sort((a, b) => order(worst.get(a)!.probe) - order(worst.get(b)!.probe) || a.localeCompare(b));
  return checks.map((c) => ruleFor(probes, c, worst.get(c)!.probe, worst.get(c)!.service, worst.get(c)!.severity));
}

/** One finding as a result: its own level and security-severity, fingerprint, baseline state and suppression. */
function resultOf(f: Finding, ruleIndex: number, root: string): Result {
  const v = changeOf(f); // the same wording as the table: open since …, suppressed until …, suppression … expired …
  // The model already appends an expired suppression to the reason; say it once.
  const expired = v.expired && !f.reason.includes(v.expired) ? ` ${sentence(v.expired)}` : '';
  const suppression = v.suppression ? ` ${sentence(v.suppression)}` : '';
  return {
    ruleId: f.check,
    ruleIndex,
    level: sarifLevel[f.severity],
    message: { text: `${sentence(`${f.title} on ${whereOf(f)}`)} ${sentence(f.reason)}${expired}${suppression}` },
    locations: [locationOf(f.source, root)],
    partialFingerprints: { [fingerprintKey]: f.fingerprint },
    ...(f.change ? { baselineState: sarifBaselineState[f.change] } : {}),
    ...(f.suppressed
      ? {
          suppressions: [
            {
              kind: 'external' as const,
              status: 'accepted' as const,
              justification: f.suppressed.reason,
              ...(f.suppressed.source ? { location: locationOf(f.suppressed.source, root) } : {}),
              properties: { owner: f.suppressed.owner, expires: f.suppressed.expires },
            },
          ],
        }
      : {}),
    ...(f.firstSeen ? { provenance: { firstDetectionTimeUtc: f.firstSeen } } : {}),
    properties: {
      severity: f.severity,
      'security-severity': securitySeverity[f.severity],
      status: f.status,
      asset: f.asset,
      host: f.host,
      port: f.port,
      service: f.service,
      probe: f.probe,
      labels: f.labels,
      remediation: f.remediation,
      evidence: f.evidence,
      ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}),
      ...(f.ageDays !== undefined ? { ageDays: f.ageDays } : {}),
      ...(v.since ? { openSince: v.since } : {}),
      ...(f.change ? { change: f.change } : {}),
      ...(f.previousSeverity ? { previousSeverity: f.previousSeverity } : {}),
      ...(v.badges.length ? { badges: v.badges } : {}),
      ...(f.suppressionExpired
        ? {
            suppressionExpired: {
              reason: f.suppressionExpired.reason,
              owner: f.suppressionExpired.owner,
              expires: f.suppressionExpired.expires,
            },
          }
        : {}),
    },
  };
}

/** The endpoints without a verdict of exposure, and an interrupted run, as tool execution notifications. */
function endpointNotifications(report: Report, opts: SarifOptions, root: string): Notification[] {
  // "Not tested" must never read as "safe": each endpoint not tested (timeout, error) is a tool notification (the first
  // `maxSarifNotTested`, then one counting the rest); the endpoints tested and found with no service (closed, filtered) are one
  // note per host, not a warning per port (one per endpoint with `allEndpoints`).
  const notifications: Notification[] = [];
  const tally = new NoServiceTally();
  let over = 0;
  for (const e of endpointSource(report, opts.endpoints)()) {
    const noService = tally.add(e);
    if (!noService && !isNotTested(e.status)) continue;
    if (noService && !opts.allEndpoints) continue;
    if (!noService && notifications.length >= maxSarifNotTested) {
      over++;
      continue;
    }
    notifications.push({
      level: noService ? 'note' : 'warning',
      message: {
        text: sentence(
          `${noService ? 'Tested, no service' : 'Not tested'}: ${e.host}:${e.port} (${e.service}) ${e.status}${e.error ? `: ${e.error.code} ${e.error.message}` : ''}`,
        ),
      },
      locations: [locationOf(e.source, root)],
    });
  }
  if (over)
    notifications.push({
      level: 'warning',
      message: { text: `Not tested: ${over} more endpoints (${notTestedWords}; the JSON report lists them).` },
    });
  if (!opts.allEndpoints) {
    for (const h of tally.hosts())
      notifications.push({
        level: 'note',
        message: { text: sentence(`Tested, no service on ${h.host}: ${noServiceCounts(h)} (ports ${noServicePorts(h)})`) },
      });
  }
  if (!report.run.complete)
    notifications.unshift({
      level: 'error',
      message: { text: sentence(interruptedText(report.run)) },
    });
  return notifications;
}

/** The run's properties: the report's own facts (summary, shard, the comparison with a baseline, suppressions). */
function runProperties(report: Report): Record<string, unknown> {
  return {
    reportSchemaVersion: report.schemaVersion,
    inventory: report.run.inventory,
    failOn: report.run.failOn,
    summary: report.summary,
    ...(report.run.shard ? { shard: report.run.shard } : {}),
    ...(report.diff
      ? {
          baseline: report.diff.baseline,
          diff: {
            new: report.diff.new,
            unchanged: report.diff.unchanged,
            changedSeverity: report.diff.changedSeverity,
            resolved: report.diff.resolved.map((e) => ({ ...e, endpoint: whereOf(e) })),
            notRetested: report.diff.notRetested,
          },
        }
      : {}),
    ...(report.suppressions ? { suppressions: report.suppressions } : {}),
  };
}
