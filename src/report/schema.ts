import { z } from 'zod';
import { dataClasses } from '../risk/data-classes.js';
import { notRetestedWhy, notTestedStatuses } from '../domain/status.js';
import { dataAgeSources, dataKinds, severities, statuses } from '../types.js';

/** The public, versioned JSON report. Bump `schemaVersion` (semver) on any change; additions are minor. */
export const schemaVersion = '1.6.0';

const source = z.object({ file: z.string(), line: z.number().int(), column: z.number().int() });
const evidence = z.object({
  requests: z.array(z.string()).describe('every request sent, in order, exactly as sent (secrets redacted)'),
  proof: z.string().optional().describe('the request whose reply decided the status'),
  reply: z.string().optional().describe('an excerpt of that reply (secrets redacted)'),
  product: z.string().optional(),
  version: z.string().optional(),
  limited: z.boolean().optional().describe('exposed, but the unauthenticated session could not read metadata'),
  tls: z.boolean().optional().describe('TLS was used; certificates are not verified'),
  truncated: z.boolean().optional().describe('a byte or item cap cut a reply or listing short'),
  notes: z.array(z.string()).optional(),
});
const dataItem = z.object({
  kind: z.enum(dataKinds),
  name: z.string(),
  rows: z.number().optional(),
  bytes: z.number().optional(),
  fields: z.array(z.string()).optional(),
  engine: z.string().optional(),
  oldest: z.string().optional().describe('YYYY-MM-DD: oldest data the store records for this item (metadata only); absent = unknown'),
  newest: z.string().optional().describe('YYYY-MM-DD: newest data the store records for this item'),
  ageFrom: z.enum(dataAgeSources).optional().describe('where oldest/newest came from'),
  storeRetention: z.string().optional().describe("the store's own retention for this item (InfluxDB retention policy duration)"),
});
const sample = z
  .object({
    rows: z.number().int().describe('rows, documents or values read'),
    sources: z.array(z.string()).describe('tables, indices or key prefixes sampled'),
    secrets: z.array(
      z.object({ pattern: z.string(), label: z.string(), meaning: z.string(), count: z.number().int(), fingerprints: z.array(z.string()) }),
    ),
    truncated: z.boolean().optional(),
  })
  .describe('opt-in sampling (--sample N): counts and redacted fingerprints only, never values');
const data = z.object({
  items: z.array(dataItem),
  sample: sample.optional(),
  totals: z.object({
    rows: z.number().optional(),
    bytes: z.number().optional(),
    keys: z.number().optional(),
    databases: z.number().optional(),
    tables: z.number().optional(),
  }),
  truncated: z.boolean().optional(),
  expiry: z
    .object({ keys: z.number().int(), expiring: z.number().int() })
    .optional()
    .describe('key-value stores: keys, and how many carry a TTL (the rest are kept until deleted)'),
});
const access = z
  .object({
    source: z.string().describe('what was read: system.query_log, INFO stats, serverStatus, _nodes/stats'),
    ownAddress: z.string().optional().describe("the auditor's own address as the server saw it (excluded from the counts)"),
    otherAddresses: z.array(z.string()).optional(),
    otherQueries: z.number().int().optional(),
    since: z.string().optional(),
    until: z.string().optional(),
    perDay: z.array(z.object({ day: z.string(), queries: z.number().int(), addresses: z.number().int() })).optional(),
    connectionsReceived: z.number().int().optional(),
    connectedClients: z.number().int().optional(),
    uptimeSeconds: z.number().int().optional(),
    unavailable: z.string().optional().describe('why there is no trace; never a proof that nobody else read the data'),
  })
  .describe("traces of other readers from the store's own metadata");
const dataClassIds = dataClasses.map((c) => c.id) as [string, ...string[]];
const response = z
  .object({
    rotate: z
      .array(z.object({ what: z.string(), count: z.number().int().optional(), fingerprints: z.array(z.string()).optional() }))
      .describe('secrets to rotate: redacted fingerprints only'),
    revoke: z.array(z.string()),
    readable: z.array(z.string()).describe('whose data was readable, by data class'),
    window: z
      .object({ from: z.string().optional(), to: z.string().optional(), basis: z.enum(['state', 'baseline', 'this-run']) })
      .describe('exposure window to investigate: first seen open (state file, else baseline, else this run) to this run'),
    logs: z.array(z.string()).describe('server logs to pull for that window'),
    fix: z.string(),
  })
  .describe('the response checklist, generated from the data classes and facts');
const endpoint = z.object({
  host: z.string().describe('address connected to'),
  port: z.number().int(),
  service: z.string(),
  probe: z.string().describe('probe id whose observation decided the status'),
  asset: z.string(),
  declaredHost: z.string(),
  hostname: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  expect: z.string().optional(),
  source,
  status: z.enum(statuses),
  evidence,
  facts: z.record(z.string(), z.unknown()),
  data: data.optional(),
  access: access.optional(),
  retention: z.record(z.string(), z.number()).optional().describe('inventory retention: data class → days'),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  durationMs: z.number(),
  assessment: z
    .object({ severity: z.enum(severities), reason: z.string(), exposure: z.string().optional(), remediation: z.string().optional() })
    .optional()
    .describe("the probe's typed severity and impact for this endpoint; absent = the service default"),
  unclaimed: z.string().optional().describe('unclaimed setup: the first visitor becomes administrator (what proved it)'),
  leaks: z
    .array(z.object({ request: z.string(), shows: z.string() }))
    .optional()
    .describe('secured but leaking: public routes that still reveal something while the API demands credentials'),
  advisories: z
    .array(z.object({ id: z.string(), summary: z.string(), fixedIn: z.string().optional() }))
    .optional()
    .describe('known advisories that apply to the version seen'),
  defaultCredential: z
    .object({ user: z.string(), source: z.string() })
    .optional()
    .describe("a product's documented default credential was accepted (opt-in check)"),
});
/** 1.4.0: how each inventory target was declared; compact rows point at one by index. */
const declaration = z
  .object({
    asset: z.string(),
    declaredHost: z.string(),
    hostname: z.string().optional(),
    labels: z.record(z.string(), z.string()),
    expect: z.string().optional(),
    source,
  })
  .describe('one inventory target as declared: what every endpoint expanded from it shares');
/** 1.4.0: the row written for a closed or filtered endpoint whose evidence is empty (see report/compact.ts). */
const compactEndpoint = z
  .object({
    host: z.string().describe('address connected to'),
    port: z.number().int(),
    service: z.string(),
    probe: z.string(),
    status: z.enum(['closed', 'filtered']),
    declaration: z
      .number()
      .int()
      .min(0)
      .describe("index into `declarations`: asset, declaredHost, hostname, labels, expect and source are that declaration's"),
    durationMs: z.number(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    notes: z.array(z.string()).optional().describe('evidence.notes; the full row has evidence {requests: [], notes} and facts {}'),
  })
  .describe(
    'compact row (1.4.0) for a closed or filtered endpoint that sent nothing: no copy of its declaration, no empty evidence or facts. Readers inflate it to the full row: declarations[declaration] + evidence {requests: [], notes} + facts {}',
  );
export type CompactEndpoint = z.infer<typeof compactEndpoint>;
/** 1.6.0: consecutive compact rows that differ only in the address, as one record (see report/ranges.ts). */
const endpointRange = z
  .object({
    range: z
      .object({ from: z.string(), to: z.string() })
      .describe('consecutive addresses, both ends included, one family (IPv4 or IPv6), written as the engine writes them'),
    ports: z
      .array(z.object({ port: z.number().int(), service: z.string(), probe: z.string() }))
      .min(1)
      .describe('what every address of the range was tested on, in order'),
    status: z.enum(['closed', 'filtered']),
    declaration: z.number().int().min(0).describe('index into `declarations`, as in a compact row'),
    count: z.number().int().min(2).describe('endpoints the record stands for: addresses × ports'),
    durationMs: z.number().describe("the mean of its endpoints' durations; each endpoint read back carries it"),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    notes: z.array(z.string()).optional(),
  })
  .describe(
    'range record (1.6.0): one compact row per address × port, for every address from `range.from` to `range.to` and every entry of `ports` (address-major, as the inventory expands), all with the same status, declaration, error and notes',
  );
export type EndpointRange = z.infer<typeof endpointRange>;

export type Declaration = z.infer<typeof declaration>;
export const changes = ['new', 'unchanged', 'changed-severity'] as const;
const suppressionRef = z.object({
  reason: z.string(),
  owner: z.string(),
  expires: z.string().describe('YYYY-MM-DD, last day in force (UTC)'),
  source: source.optional(),
});
const finding = z.object({
  fingerprint: z.string().describe('stable across runs: asset, service, port, check'),
  severity: z.enum(severities),
  reason: z.string().describe('one line: why this severity'),
  title: z.string(),
  check: z.string(),
  service: z.string(),
  probe: z.string(),
  asset: z.string(),
  host: z.string(),
  port: z.number().int(),
  status: z.enum(statuses),
  labels: z.record(z.string(), z.string()),
  source,
  evidence,
  remediation: z.string(),
  dataClasses: z.array(z.enum(dataClassIds)).optional().describe('data classes seen in what was readable'),
  dataAge: z.array(z.string()).optional().describe('how old the readable data is, one line per item'),
  accessTrace: z.string().optional().describe("what the store's own logs say about other readers"),
  response: response.optional(),
  firstSeen: z.string().optional().describe('ISO 8601: first seen open (state file, else baseline, else this run)'),
  ageDays: z.number().int().optional().describe('whole days since firstSeen'),
  change: z.enum(changes).optional().describe('against the baseline report (--baseline) or the state file, by fingerprint'),
  previousSeverity: z.enum(severities).optional().describe('with change: changed-severity'),
  suppressed: suppressionRef.optional().describe('an accepted risk: still reported, does not count for --fail-on'),
  suppressionExpired: suppressionRef.optional().describe('the suppression that matched has expired: the finding counts again'),
});
const diffEntry = z.object({
  fingerprint: z.string(),
  severity: z.enum(severities),
  title: z.string(),
  asset: z.string(),
  host: z.string(),
  port: z.number().int(),
  service: z.string(),
  lastSeen: z.string().optional().describe('when the finding was last seen open (from the state file): "not re-checked since"'),
  unreachableRuns: z
    .number()
    .int()
    .optional()
    .describe('consecutive complete runs in which its endpoint reached no verdict that proves a fix (state file)'),
  resolvedAs: z
    .enum(['unreachable'])
    .optional()
    .describe('resolved without a verdict: its endpoint stayed unreachable for --resolve-unreachable-after runs (said, not proven)'),
});
const diff = z.object({
  baseline: z.string().describe('the baseline report file, or `state:FILE`'),
  new: z.number().int(),
  unchanged: z.number().int(),
  changedSeverity: z.number().int(),
  resolved: z.array(diffEntry).describe('in the baseline, gone now, and the endpoint was tested again to a verdict that proves it fixed'),
  notRetested: z
    .array(diffEntry)
    .describe(
      `in the baseline, absent now, but the endpoint reached no verdict that proves a fix (${notRetestedWhy}): still open, not re-checked since lastSeen`,
    ),
  retired: z
    .array(diffEntry)
    .optional()
    .describe(
      'in the baseline, but its asset is no longer declared in the inventory (a complete, unselected run): retired, not evidence of a fix',
    ),
});
const staleSuppression = z.object({
  host: z.string().optional(),
  asset: z.string().optional(),
  service: z.string().optional(),
  port: z.number().int().optional(),
  check: z.string().optional(),
  reason: z.string(),
  owner: z.string(),
  expires: z.string(),
  expired: z.boolean(),
  source,
});
const countBy = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<T[number], z.ZodNumber>);

export const reportSchema = z.object({
  schemaVersion: z.literal(schemaVersion),
  tool: z.object({ name: z.literal('exposure-audit'), version: z.string() }),
  run: z.object({
    inventory: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number(),
    complete: z.boolean().describe('false when interrupted: endpoints in flight carry status error / EA_ABORTED'),
    notStarted: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('interrupted runs: endpoints never started, counted here and not listed one by one (not in summary.endpoints)'),
    sourceAddress: z.string().optional(),
    failOn: z.enum(severities),
    shard: z
      .object({ index: z.number().int().describe('1-based'), count: z.number().int() })
      .optional()
      .describe('--shard K/N: this run audited only its share of the endpoints'),
  }),
  summary: z.object({
    endpoints: z.number().int(),
    byStatus: countBy(statuses),
    notTested: z
      .number()
      .int()
      .describe(`${notTestedStatuses.join(' + ')}: endpoints with no verdict (closed and filtered were tested: no service)`),
    findings: z.number().int(),
    bySeverity: countBy(severities),
    suppressed: z.number().int().optional().describe('findings under a suppression in force (counted in findings too)'),
    dataClasses: z.record(z.string(), z.number().int()).optional().describe('data class → exposed endpoints (host:port) holding it'),
  }),
  declarations: z
    .array(declaration)
    .optional()
    .describe('1.4.0: the inventory targets, in inventory order; compact endpoint rows refer to them by index'),
  endpoints: z.array(endpoint),
  findings: z.array(finding),
  diff: diff.optional().describe('against --baseline or the state file'),
  suppressions: z
    .object({
      declared: z.number().int().describe('suppressions in the inventory and --suppressions'),
      applied: z.number().int().describe('suppressions in force that matched at least one finding'),
      expired: z.number().int().describe('suppressions past their expires date'),
      stale: z
        .array(staleSuppression)
        .describe('matched no finding in this run: remove them, or the exposure they covered came back under another identity'),
    })
    .optional(),
});

export type Report = z.infer<typeof reportSchema>;
/** One endpoint row of a report (the engine's EndpointResult, redacted: test/unit/types/report-types.test.ts). */
export type ReportEndpoint = Report['endpoints'][number];
/** One finding of a report: the classifier's Finding plus what the continuous layer adds (first seen, change, suppression). */
export type ReportFinding = Report['findings'][number];

/**
 * The report as written to a file: `endpoints` may hold compact rows (closed and filtered endpoints, 1.4.0). This
 * is what the published JSON Schema describes; the code works on `Report`, whose rows are all full
 * (loadReportFile inflates compact ones).
 */
export const reportFileSchema = reportSchema.extend({
  schemaVersion: z.literal(schemaVersion),
  endpoints: z
    .array(z.union([endpoint, compactEndpoint, endpointRange]))
    .describe(
      'in inventory order: one row per endpoint, full or compact (closed and filtered endpoints), or a range record (1.6.0) standing for a run of compact rows',
    ),
});
export type ReportFile = z.infer<typeof reportFileSchema>;
