import { classesOf, classesOfItem, dataClassOf, type DataClassId } from '../risk/data-classes.js';
import { ageLine, daysBetween, retentionDays, withNameDates, withStoreRetention } from '../risk/data-age.js';
import type { AccessTraces, DataItem, EndpointResult, ResponseChecklist, Severity } from '../types.js';

/**
 * The morning after (issue 13): what kinds of data were readable, how old they are, what the store's own logs say
 * about other readers, whether data outlived the inventory's `retention:`, and the response checklist. Pure: reads
 * the redacted endpoint result (sample fingerprints are already redacted), never the network.
 */

const n = (x: number) => x.toLocaleString('en-US');

/** Data-class ids of what was readable (names, kinds and --sample content), table order. */
export function dataClassIds(r: EndpointResult): DataClassId[] {
  return classesOf(r.data).map((c) => c.id);
}

/** Items with their ages (date-suffixed names fill in where the store gave none; InfluxDB retention policies from facts). */
function agedItems(r: EndpointResult): DataItem[] {
  return withNameDates(withStoreRetention(r.data?.items ?? [], r.facts));
}

/** One line per item of known age, oldest first, then "N of M keys never expire" for key-value stores. */
export function dataAgeLines(r: EndpointResult, max = 10): string[] {
  const items = agedItems(r)
    .filter((i) => i.oldest || i.newest || i.storeRetention)
    .sort((a, b) => (a.oldest ?? a.newest ?? '9').localeCompare(b.oldest ?? b.newest ?? '9'));
  const lines = items.slice(0, max).flatMap((i) => ageLine(i) ?? []);
  if (items.length > max) lines.push(`(+${items.length - max} more items of known age)`);
  const e = r.data?.expiry;
  if (e && e.keys > 0) {
    const forever = e.keys - e.expiring;
    lines.push(
      `${n(forever)} of ${n(e.keys)} keys (${Math.round((forever / e.keys) * 100)}%) have no expiry: kept until someone deletes them`,
    );
  }
  return lines;
}

/**
 * The access trace in one line, worded as what it is. With no trace, says so, and that the absence proves nothing.
 */
export function accessTraceLine(a: AccessTraces | undefined): string | undefined {
  if (!a) return undefined;
  if (a.unavailable) return `no access trace: ${a.unavailable}; this does not mean nobody else read the data`;
  const parts: string[] = [];
  if (a.otherAddresses !== undefined) {
    const k = a.otherAddresses.length;
    if (k === 0)
      parts.push(
        `${a.source} shows no client address other than the auditor's own${a.since ? ` since ${a.since}` : ''} (the log covers only what it kept)`,
      );
    else {
      const shown = a.otherAddresses.slice(0, 3).join(', ');
      parts.push(
        `${k} other client address${k === 1 ? '' : 'es'} (${shown}${k > 3 ? ', …' : ''}) ran ${n(a.otherQueries ?? 0)} quer${a.otherQueries === 1 ? 'y' : 'ies'}${a.since ? ` since ${a.since}` : ''} (${a.source})`,
      );
    }
  }
  if (a.connectionsReceived !== undefined) {
    const up = a.uptimeSeconds !== undefined ? ` in ${uptimeText(a.uptimeSeconds)} of uptime` : ' since the server started';
    parts.push(
      `${n(a.connectionsReceived)} connections received${up}${a.connectedClients !== undefined ? `, ${n(a.connectedClients)} open now` : ''} (${a.source}: counts, not who)`,
    );
  }
  return parts.length ? parts.join('; ') : undefined;
}

function uptimeText(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${n(Math.floor(seconds / 86_400))} days`;
  if (seconds >= 2 * 3600) return `${Math.floor(seconds / 3600)} hours`;
  return `${Math.max(1, Math.floor(seconds / 60))} minute${seconds < 120 ? '' : 's'}`;
}

export interface RetentionExcess {
  cls: DataClassId | 'all';
  item: string;
  oldest: string;
  ageDays: number;
  limitDays: number;
}

/** Items whose oldest data is older than the retention of one of their classes (or `all`). */
export function retentionExcess(r: EndpointResult, now: Date): RetentionExcess[] {
  const limits = r.retention;
  if (!limits || r.status !== 'exposed') return [];
  const today = now.toISOString().slice(0, 10);
  const out: RetentionExcess[] = [];
  for (const item of agedItems(r)) {
    if (!item.oldest) continue;
    const age = daysBetween(item.oldest, today);
    const classes: Array<DataClassId | 'all'> = [...classesOfItem(item), 'all'];
    const over = classes.filter((c) => limits[c] !== undefined && age > limits[c]!).sort((a, b) => limits[a]! - limits[b]!)[0];
    if (over) out.push({ cls: over, item: item.name, oldest: item.oldest, ageDays: age, limitDays: limits[over]! });
  }
  // A store-side retention of forever (InfluxDB `0s`) against a class limit: kept longer than allowed by design.
  for (const item of agedItems(r)) {
    if (!item.storeRetention || retentionDays(item.storeRetention) !== Infinity) continue;
    const cls = [...classesOfItem(item), 'all' as const].find((c) => limits[c] !== undefined);
    if (cls) out.push({ cls, item: item.name, oldest: 'forever', ageDays: Infinity, limitDays: limits[cls]! });
  }
  return out.sort((a, b) => b.ageDays - a.ageDays);
}

export function retentionWhy(x: RetentionExcess[]): string[] {
  return x
    .slice(0, 5)
    .map((e) =>
      e.oldest === 'forever'
        ? `${e.item}: retention policy keeps it forever, retention for ${e.cls} is ${e.limitDays} days`
        : `${e.item}: data from ${e.oldest} is ${n(e.ageDays)} days old, retention for ${e.cls} is ${e.limitDays} days`,
    );
}

/** Retention findings are medium; high when the old data is credentials, chat, personal or payment data. */
export function retentionSeverity(x: RetentionExcess[]): Severity {
  return x.some((e) => ['credentials', 'chat', 'personal', 'payment'].includes(e.cls)) ? 'high' : 'medium';
}

/** The store's own server logs worth pulling for the exposure window, by service. */
const serverLogs: Record<string, string> = {
  clickhouse:
    'ClickHouse system.query_log and system.query_thread_log (who ran what, from where), and /var/log/clickhouse-server/clickhouse-server.log',
  redis: 'Redis server log and any proxy or firewall connection logs (Redis keeps no per-client history; MONITOR was never on)',
  elasticsearch:
    'Elasticsearch audit log (xpack.security.audit) if enabled, the slow logs, and reverse-proxy access logs for /_search, /_cat and /_snapshot',
  mongodb: 'MongoDB mongod log (connection accepted lines carry client addresses) and the profiler if it was on',
  influxdb: 'InfluxDB HTTP request log (log-enabled / flux-log-enabled) for /query and /api/v2/query',
};

/**
 * The response checklist: secrets to rotate (counts and redacted fingerprints from --sample), sessions and tokens
 * to revoke, whose data was readable, the window to investigate (first seen open → now; the state file's first-seen
 * replaces this run's start when there is one, see withFirstSeen), the logs to pull, and the fix.
 */
export function responseChecklist(r: EndpointResult, fix: string): ResponseChecklist {
  const classes = classesOf(r.data);
  const rotate: ResponseChecklist['rotate'] = [];
  for (const s of r.data?.sample?.secrets ?? []) {
    if (s.pattern === 'email') continue;
    rotate.push({ what: s.label, count: s.count, fingerprints: s.fingerprints });
  }
  const cred = classes.find((c) => c.id === 'credentials');
  if (cred && !rotate.length)
    rotate.push({ what: `credentials stored in ${cred.where.join(', ')} (run with --sample N to count them and get their fingerprints)` });
  if (r.defaultCredential) rotate.push({ what: `the default password of ${r.defaultCredential.user}` });
  const revoke: string[] = [];
  if (cred) revoke.push(`sessions and tokens stored in ${cred.where.join(', ')}: revoke them all, then force re-login`);
  if (rotate.length) revoke.push('every token issued with the rotated keys');
  const readable = classes
    .filter((c) => c.id !== 'credentials')
    .map((c) => {
      const dc = dataClassOf(c.id)!;
      return `${dc.label} of ${dc.whose}: ${c.where.join(', ')} (${dc.respond})`;
    });
  const emails = r.data?.sample?.secrets.find((s) => s.pattern === 'email');
  if (emails) readable.push(`${n(emails.count)} e-mail addresses seen in sampled rows: the people they belong to`);
  const logs = [
    serverLogs[r.service] ?? `${r.evidence.product ?? r.service} server and access logs`,
    `firewall / load-balancer logs for ${r.host}:${r.port}`,
  ];
  if (r.access?.otherAddresses?.length)
    logs.unshift(
      `everything from ${r.access.otherAddresses.slice(0, 5).join(', ')}${r.access.otherAddresses.length > 5 ? ' (and more)' : ''} (other client addresses in ${r.access.source})`,
    );
  return {
    rotate,
    revoke,
    readable,
    window: { basis: 'this-run' },
    logs,
    fix,
  };
}

/** The window from the finding's first-seen (state file, else baseline report, else this run) to this run. */
export function withFirstSeen(
  response: ResponseChecklist,
  firstSeen: string,
  basis: ResponseChecklist['window']['basis'],
  now: Date,
): ResponseChecklist {
  return { ...response, window: { from: firstSeen, to: now.toISOString(), basis } };
}

/** The checklist as plain lines, for every renderer (they escape). */
export function checklistLines(c: ResponseChecklist): string[] {
  const out: string[] = [];
  for (const x of c.rotate)
    out.push(
      `Rotate ${x.count !== undefined ? `${n(x.count)} ` : ''}${x.what}${x.fingerprints?.length ? `: ${x.fingerprints.join(', ')}` : ''}`,
    );
  for (const x of c.revoke) out.push(`Revoke ${x}`);
  for (const x of c.readable) out.push(`Readable: ${x}`);
  const from = c.window.from?.slice(0, 10);
  const to = c.window.to?.slice(0, 10);
  const basis = { state: ' (first seen open, state file)', baseline: ' (first seen open, baseline report)', 'this-run': '' }[
    c.window.basis
  ];
  if (!from) out.push('Investigate since the service was first reachable (no first-seen recorded; earlier exposure unknown)');
  else if (c.window.basis === 'this-run' || from === to)
    out.push(`Investigate from ${from} (first seen in this run; earlier exposure unknown)`);
  else out.push(`Investigate ${from} to ${to}${basis}`);
  for (const x of c.logs) out.push(`Pull ${x}`);
  out.push(`Fix: ${c.fix}`);
  return out;
}
