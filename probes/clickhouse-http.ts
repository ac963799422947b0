import { randomInt } from 'node:crypto';
import { isEaError } from '../src/errors.js';
import type { HttpResponse } from '../src/net/http.js';
import { always, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import {
  clickhouseAccessDenied,
  clickhouseAuthCodes,
  clickhouseBodyException,
  clickhouseErrorCode,
  parseTsv,
} from '../src/protocols/tsv.js';
import { redactedExcerpt } from '../src/risk/redact.js';
import { sampleSources } from '../src/risk/sample.js';
import { knownDate } from '../src/risk/data-age.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { AccessTraces, DataItem, DataSample } from '../src/types.js';

/**
 * ClickHouse HTTP interface. Every method but POST runs with readonly=2 (server-side), so a GET can never write.
 * `/ping` and `/` answer `Ok.` with or without auth: never use them as an auth test.
 * The verdict comes from the exception code (X-ClickHouse-Exception-Code, else `^Code: N` in the body),
 * not from the HTTP status: 18.16 sends 401 for 194 (and no exception header), 24.x/25.x 403 for 516 (the official
 * image's localhost-only default user looks exactly like a password), some 25.x builds 401 for 194, and 497 means
 * logged in. A query that fails after `200 OK` was sent reports the error inside the body (plain `Code: N.` text,
 * an `__exception__` marker, or 25.11+'s tagged frame): such a reply is a failed query, never rows.
 */
const systemDbs = `('system','INFORMATION_SCHEMA','information_schema')`;
const settings = 'max_result_rows=5000&result_overflow_mode=break&max_execution_time=5';
/**
 * A per-run challenge: two numbers drawn when the process starts. The proof query asks for their sum next to the
 * version, so only a server that evaluates SQL answers `<version>\t<a+b>`: a catch-all replaying `1.4.2` (or any
 * canned reply) to every request cannot contain a sum it never saw computed. The reply must also carry ClickHouse's
 * own `X-ClickHouse-*` headers (every release since 18.x sends X-ClickHouse-Query-Id / -Server-Display-Name).
 */
export const challenge = { a: randomInt(100_000_000, 1_000_000_000), b: randomInt(100_000_000, 1_000_000_000) };
const queries = {
  version: `SELECT version(), ${challenge.a}+${challenge.b}`,
  databases: 'SELECT name FROM system.databases LIMIT 1000',
  tables: `SELECT database, name, engine FROM system.tables WHERE database NOT IN ${systemDbs} LIMIT 1000`,
  columns: `SELECT database, table, name FROM system.columns WHERE database NOT IN ${systemDbs} LIMIT 5000`,
  // Row and byte counts from part metadata: no table scan (Memory/Log tables have no parts, so no count).
  parts: `SELECT database, table, sum(rows), sum(bytes) FROM system.parts WHERE active AND database NOT IN ${systemDbs} GROUP BY database, table LIMIT 1000`,
};

/**
 * Min/max time per table from part metadata (no row read). system.parts has min_date/max_date (Date partition keys)
 * and min_time/max_time (DateTime keys) in 18.16 and in current releases; a table not partitioned by time reports
 * 0000-00-00 / 1970-01-01 00:00:00 there, which knownDate() reads as unknown.
 */
const ageQuery = `SELECT database, table, min(min_date), max(max_date), min(min_time), max(max_time) FROM system.parts WHERE active AND database NOT IN ${systemDbs} GROUP BY database, table LIMIT 1000`;

/**
 * The auditor's own address as the server sees it (through any NAT): system.processes lists the running query,
 * this one included, so the marker in its own text finds it. 18.16 stores `address` as text, 20.x+ as IPv6.
 */
const ownAddressMarker = 'exposure-audit:own-address';
const ownAddressQuery = `SELECT toString(address) FROM system.processes WHERE query LIKE '%${ownAddressMarker}%' LIMIT 1`;

/** Identifiers come from the server: quote them so a hostile name cannot change the query (GET is readonly=2 anyway). */
function quoteIdent(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

export function sampleQuery(table: string, rows: number): string {
  const [db, ...rest] = table.split('.');
  return `SELECT * FROM ${quoteIdent(db!)}.${quoteIdent(rest.join('.'))} LIMIT ${rows}`;
}

function path(sql: string, withSettings: boolean): string {
  return `/?query=${encodeURIComponent(sql)}${withSettings ? `&${settings}` : ''}`;
}

async function query(ctx: ProbeContext, sql: string): Promise<HttpResponse> {
  return ctx.http({ path: path(sql, true) });
}

const hasClickhouseHeaders = (res: HttpResponse): boolean => Object.keys(res.headers).some((h) => h.startsWith('x-clickhouse-'));

/** `<version>\t<a+b>` with the sum right: the server computed the challenge (see `challenge`). */
function answersChallenge(res: HttpResponse): string | undefined {
  const m = /^(\d{1,4}\.\d{1,4}[\w.+-]{0,60})\t(\d{1,12})\n?$/.exec(res.text.slice(0, 128));
  return m && Number(m[2]) === challenge.a + challenge.b ? m[1] : undefined;
}

function looksLikeClickhouse(res: HttpResponse): boolean {
  return hasClickhouseHeaders(res) || /DB::Exception/.test(res.text) || /^Code: \d+[,.]/.test(res.text);
}

export default defineProbe({
  meta: {
    id: 'clickhouse-http',
    service: 'clickhouse',
    title: 'ClickHouse HTTP interface without authentication',
    description:
      'SELECT version() as user default with no password; when it answers, reads metadata only (databases, tables, columns, part sizes).',
    defaultPorts: [8123, 8443],
    tlsPorts: [8443],
    transport: 'http',
    tls: 'optional',
    sends: [
      ...always(
        // The challenge's numbers change every run: declared as placeholders, so the declaration is the same text always.
        `GET ${path(queries.version, false).replace(String(challenge.a), '<a>').replace(String(challenge.b), '<b>')}`,
        `GET ${path(queries.databases, true)}`,
        `GET ${path(queries.tables, true)}`,
        `GET ${path(queries.columns, true)}`,
        `GET ${path(queries.parts, true)}`,
      ),
      // Up to 10 sensitive-looking tables; declared decoded (names are URL-encoded on the wire).
      { request: `GET /?query=SELECT * FROM \`<db>\`.\`<table>\` LIMIT <N>&${settings}`, when: '--sample' },
      ...always(
        `GET ${path(ageQuery, true)}`,
        `GET ${path(ownAddressQuery, true)}`,
        // query_log.address is FixedString(16) before 20.x (IPv6NumToString), IPv6 from 20.x (toString): one of the two.
        `GET ${path(accessQuery('IPv6NumToString(address)'), true)}`,
        `GET ${path(accessQuery('toString(address)'), true)}`,
      ),
    ],
    impact: 'data-store',
    exposure: 'anyone who can reach the port can run SQL as the default user: read every table, and write unless the user is read-only',
    remediation:
      'Give the default user a password (or remove it) in users.xml / users.d, restrict <networks>, listen on private interfaces only, and firewall 8123/8443.',
    references: ['https://clickhouse.com/docs/operations/settings/settings-users', 'https://clickhouse.com/docs/interfaces/http'],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const proof = `GET ${path(queries.version, false)}`;
    const res = await ctx.http({ path: path(queries.version, false), maxBytes: 64 * 1024 });
    const displayName = res.headers['x-clickhouse-server-display-name'];
    const facts: Record<string, unknown> = displayName ? { displayName } : {};
    const code = clickhouseErrorCode(res.text, res.headers['x-clickhouse-exception-code']);
    const reply = `${res.status} ${redactedExcerpt(res.text, 200).trim()}`;
    const answered = res.status === 200 ? answersChallenge(res) : undefined;

    if (answered && hasClickhouseHeaders(res)) {
      const version = answered;
      const { notes, ...data } = await readMetadata(ctx);
      await readDataAge(ctx, data.items);
      const access = await readAccessTraces(ctx, version);
      return {
        status: 'exposed',
        evidence: {
          product: 'ClickHouse',
          version,
          proof,
          reply: `200 ${version}`,
          ...(data.truncated ? { truncated: true } : {}),
          ...(notes.length ? { notes } : {}),
        },
        facts: { ...facts, version },
        data,
        access,
      };
    }
    if (code !== undefined && looksLikeClickhouse(res)) {
      if (clickhouseAuthCodes.has(code))
        return { status: 'auth-required', evidence: { product: 'ClickHouse', proof, reply }, facts: { ...facts, exceptionCode: code } };
      if (code === clickhouseAccessDenied)
        return {
          status: 'exposed',
          evidence: { product: 'ClickHouse', proof, reply, limited: true },
          facts: { ...facts, exceptionCode: code },
        };
      return {
        status: 'error',
        evidence: {
          product: 'ClickHouse',
          proof,
          reply,
          notes: [`ClickHouse answered exception code ${code}; access could not be decided`],
        },
        facts: { ...facts, exceptionCode: code },
        error: { code: 'EA_PROTOCOL', message: `unexpected ClickHouse exception code ${code}` },
      };
    }
    const notes =
      res.status === 200 && !answered
        ? ['200 without the computed answer to the challenge: a canned or catch-all reply proves nothing']
        : answered
          ? ['the challenge was answered without ClickHouse headers: not trusted']
          : [];
    return { status: 'not-detected', evidence: { proof, reply, ...(notes.length ? { notes } : {}) }, facts };
  },
});

async function readMetadata(ctx: ProbeContext) {
  const items = new Map<string, DataItem>();
  const notes: string[] = [];
  let truncated = false;
  const run = async (sql: string): Promise<string[][] | undefined> => {
    try {
      const res = await query(ctx, sql);
      if (res.status !== 200) return undefined;
      if (res.truncated) truncated = true;
      const late = clickhouseBodyException(res.text, res.headers['x-clickhouse-exception-tag']);
      if (late) {
        // The error came after 200 OK: keep only the complete rows before it, and say the listing stopped there.
        truncated = true;
        if (notes.length < 5) notes.push(`a metadata query failed after 200 OK: ${late.message}`);
        const head = res.text.slice(0, late.at);
        return parseTsv(head.slice(0, head.lastIndexOf('\n') + 1));
      }
      return parseTsv(res.text);
    } catch (err) {
      // A metadata query that fails does not undo the proven exposure; the deadline still bounds it.
      if (isEaError(err, 'EA_ABORTED')) throw err;
      truncated = true;
      return undefined;
    }
  };
  const dbs = (await run(queries.databases)) ?? [];
  for (const [name] of dbs)
    if (name && !/^(system|INFORMATION_SCHEMA|information_schema)$/.test(name)) items.set(name, { kind: 'database', name });
  const tables = (await run(queries.tables)) ?? [];
  for (const [db, name, engine] of tables) {
    if (!db || !name) continue;
    items.set(`${db}.${name}`, { kind: 'table', name: `${db}.${name}`, ...(engine ? { engine } : {}) });
  }
  const columns = (await run(queries.columns)) ?? [];
  for (const [db, table, name] of columns) {
    const t = items.get(`${db}.${table}`);
    if (!t || !name) continue;
    t.fields ??= [];
    if (t.fields.length < ctx.caps.fields) t.fields.push(name);
    else truncated = true;
  }
  const parts = (await run(queries.parts)) ?? [];
  let rows = 0;
  let bytes = 0;
  for (const [db, table, r, b] of parts) {
    const t = items.get(`${db}.${table}`);
    if (!t) continue;
    t.rows = Number(r) || 0;
    t.bytes = Number(b) || 0;
    rows += t.rows;
    bytes += t.bytes;
  }
  const all = [...items.values()];
  if (all.length > ctx.caps.items) truncated = true;
  const sample = ctx.sample.rows > 0 ? await sampleTables(ctx, all, notes) : undefined;
  if (tables.length >= 1000) truncated = true;
  return {
    items: all.slice(0, ctx.caps.items),
    totals: {
      databases: all.filter((i) => i.kind === 'database').length,
      tables: all.filter((i) => i.kind === 'table').length,
      rows,
      bytes,
    },
    ...(sample ? { sample } : {}),
    ...(truncated ? { truncated } : {}),
    notes,
  };
}

/**
 * Engines whose data lives on the audited server: the MergeTree family (Replicated*, Shared*, Replacing..., all end
 * in MergeTree), the Log family and Memory. Anything else is never sampled: URL, S3, HDFS, MySQL, PostgreSQL,
 * MongoDB, JDBC/ODBC would make the audited server fetch from or log in to another host with stored credentials;
 * Kafka, RabbitMQ, NATS consume messages (a write); Distributed fans out to other shards; Dictionary may call a
 * remote source; views (View, MaterializedView, LiveView, WindowView) read whatever they are defined over.
 */
export function isLocalEngine(engine: string | undefined): boolean {
  if (!engine) return false;
  return /^[A-Za-z]{0,40}MergeTree$/.test(engine) || ['Log', 'TinyLog', 'StripeLog', 'Memory'].includes(engine);
}

/** Opt-in: a few rows of sensitive-looking tables on local engines only (GET, so readonly=2 server-side), byte-capped. */
async function sampleTables(ctx: ProbeContext, items: DataItem[], notes: string[]): Promise<DataSample> {
  const skipped = items.filter(
    (t) => t.kind === 'table' && !isLocalEngine(t.engine) && looksSensitive(t.name.split('.').slice(1).join('.'), t.fields),
  );
  if (skipped.length) {
    const shown = skipped.slice(0, 5).map((t) => `${t.name} (${t.engine ?? 'engine unknown'})`);
    notes.push(
      `sampling skipped ${skipped.length} table${skipped.length === 1 ? '' : 's'} whose engine reads beyond this server or consumes (only MergeTree, Log and Memory families are sampled): ${shown.join(', ')}${skipped.length > 5 ? ` +${skipped.length - 5} more` : ''}`,
    );
  }
  return sampleSources(
    ctx,
    items.filter((t) => t.kind !== 'table' || isLocalEngine(t.engine)),
    'table',
    (t) => t.name.split('.').slice(1).join('.'),
    (t) => ({ path: path(sampleQuery(t.name, ctx.sample.rows), true), maxBytes: 256 * 1024 }),
    parseTsv,
  );
}

// ---- Data age and access traces (issue 13): metadata only, additive to the listing above. ----

/**
 * Queries per day and client address from system.query_log over the last 90 days (initial queries only, each
 * counted once by query_id: a query logs a start and a finish row). The table exists only when the server
 * configures `<query_log>` and the profile logs queries; absence proves nothing.
 */
function accessQuery(addressText: string): string {
  return `SELECT toString(event_date), ${addressText}, uniqExact(query_id) FROM system.query_log WHERE event_date >= today() - 90 AND is_initial_query GROUP BY event_date, address ORDER BY event_date LIMIT 5000`;
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.77`) reads as the IPv4 address. */
function plainAddress(a: string): string {
  return a.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/** Tables with a time partition key get oldest/newest (ISO dates) from their parts; others stay unknown. */
export async function readDataAge(ctx: ProbeContext, items: DataItem[]): Promise<void> {
  const rows = await tsvQuery(ctx, ageQuery);
  if (!rows) return;
  const byName = new Map(items.map((i) => [i.name, i]));
  for (const [db, table, minDate, maxDate, minTime, maxTime] of rows) {
    const t = byName.get(`${db}.${table}`);
    if (!t) continue;
    const oldest = knownDate(minDate) ?? knownDate(minTime);
    const newest = knownDate(maxDate) ?? knownDate(maxTime);
    if (!oldest && !newest) continue;
    if (oldest) t.oldest = oldest;
    if (newest) t.newest = newest;
    t.ageFrom = 'partitions';
  }
}

/** Who else ran queries, from system.query_log when present and readable; the reason when not. */
export async function readAccessTraces(ctx: ProbeContext, version: string): Promise<AccessTraces> {
  const source = 'system.query_log';
  const own = (await tsvQuery(ctx, ownAddressQuery))?.[0]?.[0]?.slice(0, 45);
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? 0);
  let res: HttpResponse;
  try {
    res = await query(ctx, accessQuery(major >= 20 ? 'toString(address)' : 'IPv6NumToString(address)'));
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
    return { source, unavailable: 'system.query_log could not be read (the query failed)' };
  }
  const code = clickhouseErrorCode(res.text, res.headers['x-clickhouse-exception-code']);
  if (res.status !== 200 || code !== undefined || clickhouseBodyException(res.text, res.headers['x-clickhouse-exception-tag'])) {
    // 60 UNKNOWN_TABLE: query logging is not configured here; 497 / 516: not readable by this user.
    const why =
      code === 60
        ? 'system.query_log does not exist on this server (query logging is not configured)'
        : `system.query_log is not readable (exception code ${code ?? res.status})`;
    return { source, ...(own ? { ownAddress: plainAddress(own) } : {}), unavailable: why };
  }
  const ownPlain = own ? plainAddress(own) : undefined;
  const perDay = new Map<string, { queries: number; addresses: number }>();
  const others = new Set<string>();
  let otherQueries = 0;
  let since: string | undefined;
  for (const [rawDay, address, count] of parseTsv(res.text)) {
    if (!rawDay || !address) continue;
    // Server text: a day is 10 characters, an address at most 45 (IPv6 text); anything longer is cut.
    const day = rawDay.slice(0, 10);
    since ??= day;
    const a = plainAddress(address.slice(0, 45));
    if (a === ownPlain) continue;
    const n = Number(count) || 0;
    others.add(a);
    otherQueries += n;
    const d = perDay.get(day) ?? { queries: 0, addresses: 0 };
    d.queries += n;
    d.addresses += 1;
    perDay.set(day, d);
  }
  const days = [...perDay].map(([day, v]) => ({ day, ...v }));
  return {
    source,
    ...(ownPlain ? { ownAddress: ownPlain } : {}),
    otherAddresses: [...others].sort().slice(0, ctx.caps.items),
    otherQueries,
    ...(days.length ? { since: days[0]!.day, until: days[days.length - 1]!.day } : since ? { since } : {}),
    perDay: days.slice(-31),
  };
}

/** One metadata query as TSV rows, or undefined when it failed in any way (the exposure is already proven). */
async function tsvQuery(ctx: ProbeContext, sql: string): Promise<string[][] | undefined> {
  try {
    const res = await query(ctx, sql);
    if (res.status !== 200 || clickhouseBodyException(res.text, res.headers['x-clickhouse-exception-tag'])) return undefined;
    return parseTsv(res.text);
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
    return undefined;
  }
}
