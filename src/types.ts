/**
 * Verdict for one endpoint. Never collapse into a boolean: "not tested" must not read as "safe".
 * `closed`: the connect was refused. `filtered`: the connect got no answer (twice) or an ICMP unreachable — a
 * firewall drops it; not reachable from this vantage point (tested, like closed). `timeout`: accepted, then silent
 * (could not test).
 */
export const statuses = ['exposed', 'auth-required', 'denied', 'not-detected', 'closed', 'filtered', 'timeout', 'error'] as const;
export type Status = (typeof statuses)[number];

export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One (address, port, service) as declared, with where the inventory declared it: what every report row carries.
 * The report's zod schema (src/report/schema.ts) declares the same row; test/unit/types/report-types.test.ts checks
 * both ways that they agree.
 */
export interface DeclaredEndpoint {
  /** Address literal that is connected to (never a name: names are resolved once, up front). */
  host: string;
  port: number;
  service: string;
  /** Asset name from the inventory, or the declared host. */
  asset: string;
  /** The host as written in the inventory (name, literal or CIDR). */
  declaredHost: string;
  /** Name to send as Host / SNI when the inventory declared a host name. */
  hostname?: string;
  labels: Record<string, string>;
  expect?: string;
  /** Inventory `retention:` (target, else defaults): data class → longest age allowed, in days. */
  retention?: Record<string, number>;
  source: SourceLocation;
}

/** One endpoint to audit: the declared endpoint plus probe input that no report carries (see engine/result.ts). */
export interface Endpoint extends DeclaredEndpoint {
  /** S3 bucket names declared on the target (inventory `buckets:`), for the s3 probe. */
  buckets?: string[];
  /** The port was written in the inventory (not a service default): every probe of the service runs on it. */
  portDeclared?: boolean;
  /** The declared name did not resolve (its errno code): the endpoint is reported `error` / EA_DNS, never probed. */
  unresolved?: string;
}

/** What a probe is pointed at. */
export interface ProbeTarget {
  host: string;
  port: number;
  hostname?: string;
  tls: boolean;
  /** S3 bucket names declared on the target, for the s3 probe. */
  buckets?: string[];
}

/** What kind of thing a readable item is. Stores and AI services name their own units with these. */
export const dataKinds = [
  'database',
  'table',
  'index',
  'keyspace',
  'key',
  'collection',
  'bucket',
  'object',
  'topic',
  'measurement',
  'label',
  'model',
  'job',
  'experiment',
  'run',
  'dataset',
  'workflow',
  'node',
  'user',
  // Long-tail products: traced services (Jaeger, Zipkin), caught mails, code repositories, BI dashboards, notebooks,
  // interactive sessions (Livy), applications (Argo CD, Spark), trace projects (Phoenix) and Kubernetes namespaces.
  'service',
  'message',
  'repository',
  'dashboard',
  'notebook',
  'session',
  'application',
  'project',
  'namespace',
  'package',
] as const;
export type DataKind = (typeof dataKinds)[number];

/** Something readable without credentials: a database, table, index, key prefix, collection, model... */
export interface DataItem {
  kind: DataKind;
  /** Qualified name, e.g. `default.log_stream`, `db0`, `session:`. */
  name: string;
  rows?: number;
  bytes?: number;
  /** Column / field names, capped. */
  fields?: string[];
  engine?: string;
  /**
   * How old the data is, from metadata only (ISO dates `YYYY-MM-DD`): the oldest and newest time the store records
   * for it. Absent = unknown (a zero / 1970 value in the store's metadata means unknown, never "very old").
   */
  oldest?: string;
  newest?: string;
  /** Where oldest/newest came from. */
  ageFrom?: DataAgeSource;
  /** The store's own retention for this item, when it keeps one (InfluxDB retention policy duration; `forever`). */
  storeRetention?: string;
}

/**
 * Sources of a data age. `partitions`: ClickHouse system.parts min/max date or time of date-partitioned tables;
 * `created`: Elasticsearch index creation.date (the index is at least that old, its newest document unknown);
 * `name`: a date suffix in the name (`logs-2024.06.01`); `retention-policy`: InfluxDB retention policies (hook: a
 * probe sets `storeRetention` on its `measurement`/`database` items; see src/risk/data-age.ts).
 */
export const dataAgeSources = ['partitions', 'created', 'name', 'retention-policy'] as const;
export type DataAgeSource = (typeof dataAgeSources)[number];

/** Keys kept until deleted (Redis INFO keyspace `keys` vs `expires`): data with no end date. */
export interface KeyExpiry {
  keys: number;
  /** Keys that carry a TTL. */
  expiring: number;
}

/**
 * Traces of other readers the store itself keeps, read-only and metadata only. Absent or empty never means nobody
 * read the data: most stores keep no such log, or keep it briefly.
 */
export interface AccessTraces {
  /** What was read: `system.query_log`, `INFO stats`, `serverStatus`, `_nodes/stats`. */
  source: string;
  /** The auditor's own address as the server saw it (excluded from the counts), when known. */
  ownAddress?: string;
  /** Client addresses other than the auditor's own that ran queries (ClickHouse query_log). */
  otherAddresses?: string[];
  /** Queries those addresses ran over the period the log covers. */
  otherQueries?: number;
  /** First and last day (YYYY-MM-DD) the log covers, or with activity from other addresses. */
  since?: string;
  until?: string;
  /** Queries per day by other addresses (capped, oldest first). */
  perDay?: Array<{ day: string; queries: number; addresses: number }>;
  /** Connection counters since the server started (Redis total_connections_received, MongoDB connections.totalCreated). */
  connectionsReceived?: number;
  connectedClients?: number;
  /** Server uptime in seconds: the counters cover only this long. */
  uptimeSeconds?: number;
  /** Why there are no traces (not configured, not readable): never a proof of innocence. */
  unavailable?: string;
}

/** What opt-in sampling (--sample N) read and found: counts and redacted fingerprints only. */
export interface DataSample {
  /** Rows, documents or values read. */
  rows: number;
  /** Tables, indices or key prefixes sampled. */
  sources: string[];
  secrets: Array<{ pattern: string; label: string; meaning: string; count: number; fingerprints: string[] }>;
  truncated?: boolean;
}

export interface DataInventory {
  items: DataItem[];
  sample?: DataSample;
  totals: { rows?: number; bytes?: number; keys?: number; databases?: number; tables?: number };
  /** True when a cap cut the listing short. */
  truncated?: boolean;
  /** Key-value stores: how many keys never expire. */
  expiry?: KeyExpiry;
}

export interface Evidence {
  /** Every request sent, in order, exactly as sent (secrets redacted). */
  requests: string[];
  /** The request whose reply decided the status. */
  proof?: string;
  /** A short excerpt of that reply (secrets redacted). */
  reply?: string;
  product?: string;
  version?: string;
  /** exposed, but the unauthenticated session could not read metadata. */
  limited?: boolean;
  /** TLS was used (certificates are never verified: recorded, not trusted). */
  tls?: boolean;
  /** A byte cap cut a reply short. */
  truncated?: boolean;
  notes?: string[];
}

/**
 * Typed verdict adjustments a probe (or a catalog signature) carries instead of magic `facts` keys. The classifier
 * applies them; probes never compute final severities themselves.
 */
export interface Assessment {
  /** Base severity of an exposure on this endpoint (replaces the service class default). */
  severity: Severity;
  /** One line: why that severity (e.g. "remote code execution: the Jobs API runs any entrypoint"). */
  reason: string;
  /** What this exposure allows (overrides the probe's meta.exposure). */
  exposure?: string;
  /** Product-specific fix (overrides the probe's meta.remediation). */
  remediation?: string;
}

/** Typed facts beyond the status that the report shows plainly. */
export interface VerdictFacts {
  /** Unclaimed setup: anyone who reaches the endpoint becomes its first administrator (what proved it). */
  unclaimed?: string;
  /** Secured but leaking: credentials are demanded, yet these public routes still reveal something. */
  leaks?: Array<{ request: string; shows: string }>;
  /** Known-vulnerable version: the advisories that apply to the version seen. */
  advisories?: Array<{ id: string; summary: string; fixedIn?: string }>;
  /** A product's documented default credential was accepted (only tried with --try-default-credentials). */
  defaultCredential?: { user: string; source: string };
}

export interface Observation extends VerdictFacts {
  /** Typed severity/impact for this endpoint; absent = the service's default. */
  assessment?: Assessment;
  status: Status;
  evidence: Evidence;
  /** Service-specific facts (version details, keyspace, time zone...). */
  facts: Record<string, unknown>;
  /** What was readable; the classifier scores it. */
  data?: DataInventory;
  /** Who else has been reading, from the store's own metadata (see AccessTraces). */
  access?: AccessTraces;
  error?: { code: string; message: string };
}

/** One report row: the declared endpoint, the probe whose observation decided it, that observation, its duration. */
export interface EndpointResult extends DeclaredEndpoint, Observation {
  /** Probe id whose observation decided the status. */
  probe: string;
  durationMs: number;
}

export interface Finding {
  fingerprint: string;
  severity: Severity;
  /** One line: why this severity. */
  reason: string;
  title: string;
  check: string;
  service: string;
  probe: string;
  asset: string;
  host: string;
  port: number;
  status: Status;
  labels: Record<string, string>;
  source: SourceLocation;
  evidence: Evidence;
  remediation: string;
  /** Data classes seen in what was readable (ids from src/risk/data-classes.ts). */
  dataClasses?: string[];
  /** How old the readable data is, one line per item ("app.chat_history: 2,000 rows from … to … (693 days)"). */
  dataAge?: string[];
  /** What the store's own logs say about other readers, worded as what they are. */
  accessTrace?: string;
  /** What to do now. */
  response?: ResponseChecklist;
}

/** The morning-after checklist of one finding, generated from its data classes and facts. */
export interface ResponseChecklist {
  /** Secrets to rotate: what, how many, redacted fingerprints (from --sample). */
  rotate: Array<{ what: string; count?: number; fingerprints?: string[] }>;
  /** Sessions or tokens to revoke. */
  revoke: string[];
  /** Whose data was readable (data class and where). */
  readable: string[];
  /**
   * The exposure window to investigate: from first seen open to this run. Set with the finding's first-seen (state
   * file, else baseline report, else this run); classify leaves the dates out so a report is the same however built.
   */
  window: { from?: string; to?: string; basis: 'state' | 'baseline' | 'this-run' };
  /** Server logs to pull for that window. */
  logs: string[];
  /** The fix itself. */
  fix: string;
}
