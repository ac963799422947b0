import { EaError, isEaError } from '../src/errors.js';
import type { TcpSession } from '../src/net/tcp.js';
import { busyResult, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import {
  encodeQuery,
  encodeStartup,
  frameQueryReply,
  frameSslAnswer,
  frameStartupReply,
  parseFields,
  parseMessages,
  parseParameter,
  parseQueryReply,
  sslRequest,
  terminate,
  type QueryResult,
} from '../src/protocols/postgres.js';
import { scanSecrets } from '../src/risk/scan.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { DataItem, DataSample } from '../src/types.js';

/**
 * PostgreSQL: a StartupMessage as the documented default superuser `postgres`, no password, database `postgres`.
 * The server decides before any query: AuthenticationOk (`R` 0) means pg_hba.conf says `trust` for us (exposed);
 * `R` 3/5/10 asks for a cleartext, MD5 or SASL (SCRAM) password, which is never sent (auth-required); ErrorResponse
 * SQLSTATE 28000 "no pg_hba.conf entry" / "pg_hba.conf rejects connection" means this address is refused (denied).
 * Source: https://www.postgresql.org/docs/current/protocol-flow.html, …/auth-pg-hba-conf.html.
 * When exposed, every query runs inside BEGIN TRANSACTION READ ONLY and ends with ROLLBACK: catalog reads and
 * statistics only (pg_database_size, pg_class.reltuples, information_schema.columns), never a table scan, except
 * the opt-in `--sample N` LIMIT reads of sensitive-looking tables.
 * SSL: libpq's default (sslmode=prefer) sends SSLRequest first. This probe starts in plain, so a server without
 * `hostssl` rules sees only the StartupMessage, and sends SSLRequest on a new connection when the plain startup is
 * refused with 28000 "… no encryption" (no `host` rule, perhaps a `hostssl` one): 'S' → the same startup over TLS
 * (certificate not verified, TLS use recorded), 'N' → the plain refusal stands.
 */
const user = 'postgres';
const appName = 'exposure-audit';
export const maxDatabases = 10;
const catalogSchemas = `('pg_catalog','information_schema')`;
export const sql = {
  begin: 'BEGIN TRANSACTION READ ONLY',
  databases:
    "SELECT datname, CASE WHEN has_database_privilege(datname, 'CONNECT') THEN pg_database_size(datname) END FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 2 DESC NULLS LAST LIMIT 1000",
  tables: `SELECT n.nspname, c.relname, CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE s.n_live_tup END, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ${catalogSchemas} AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 4 DESC LIMIT 1000`,
  columns: `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema NOT IN ${catalogSchemas} ORDER BY table_schema, table_name, ordinal_position LIMIT 5000`,
  rollback: 'ROLLBACK',
};
const startupFor = (database: string) => encodeStartup({ user, database, application_name: appName });
const firstStartup = startupFor('postgres');

/** Identifiers come from the server: double-quoted, embedded quotes doubled, so a hostile name stays a name. */
function quoteIdent(name: string): string {
  return `"${name.replace(/\0/g, '').replace(/"/g, '""')}"`;
}
export function sampleSql(schema: string, table: string, rows: number): string {
  return `SELECT * FROM ${quoteIdent(schema)}.${quoteIdent(table)} LIMIT ${rows}`;
}

const authMethods: Record<number, string> = {
  2: 'Kerberos V5',
  3: 'cleartext password',
  5: 'MD5 password',
  7: 'GSSAPI',
  9: 'SSPI',
  10: 'SASL',
};

type Startup =
  | { kind: 'ok'; params: Record<string, string> }
  | { kind: 'auth'; code: number; method: string }
  | { kind: 'error'; fields: Record<string, string>; afterOk: boolean };

function startupOutcome(buf: Buffer): Startup {
  const params: Record<string, string> = Object.create(null);
  let ok = false;
  for (const m of parseMessages(buf)) {
    if (m.type === 'R') {
      const code = m.body.readInt32BE(0);
      if (code === 0) ok = true;
      else {
        let method = authMethods[code] ?? `method ${code}`;
        if (code === 10) method += ` (${m.body.toString('latin1', 4).split('\0').filter(Boolean).slice(0, 4).join(', ').slice(0, 80)})`;
        return { kind: 'auth', code, method };
      }
    } else if (m.type === 'S') {
      const p = parseParameter(m.body);
      if (p) params[p[0]] = p[1];
    } else if (m.type === 'E') return { kind: 'error', fields: parseFields(m.body), afterOk: ok };
  }
  return { kind: 'ok', params };
}

async function query(session: TcpSession, text: string): Promise<QueryResult> {
  await session.write(encodeQuery(text));
  const buf = await session.read(frameQueryReply);
  try {
    return parseQueryReply(buf);
  } catch (err) {
    throw new EaError('EA_PROTOCOL', `unparseable query reply: ${(err as Error).message}`, { partial: buf.subarray(0, 256) });
  }
}

const int = (v: string | null | undefined) => (v != null && /^-?\d{1,18}$/.test(v) ? Number(v) : undefined);

interface DbListing {
  tables: DataItem[];
  sampled: { rows: number; values: string[]; sources: string[] };
  truncated: boolean;
  error?: string;
}

/** Tables, columns and (opt-in) samples of the database the session is connected to, in a read-only transaction. */
async function listDatabase(session: TcpSession, db: string, ctx: ProbeContext, budget: { sources: number }): Promise<DbListing> {
  const out: DbListing = { tables: [], sampled: { rows: 0, values: [], sources: [] }, truncated: false };
  const begin = await query(session, sql.begin);
  if (begin.error) return { ...out, error: `BEGIN: ${begin.error.C ?? ''} ${begin.error.M ?? ''}` };
  try {
    const tables = await query(session, sql.tables);
    if (tables.error) return { ...out, error: `tables: ${tables.error.C ?? ''} ${tables.error.M ?? ''}` };
    const byName = new Map<string, DataItem>();
    for (const [schema, name, rows, bytes] of tables.rows) {
      if (schema == null || name == null) continue;
      const item: DataItem = { kind: 'table', name: `${db}.${schema}.${name}`.slice(0, 300) };
      const r = int(rows);
      const b = int(bytes);
      if (r !== undefined && r >= 0) item.rows = r;
      if (b !== undefined) item.bytes = b;
      byName.set(`${schema}\0${name}`, item);
      out.tables.push(item);
    }
    if (tables.rows.length >= 1000) out.truncated = true;
    const columns = await query(session, sql.columns);
    if (!columns.error) {
      for (const [schema, table, column] of columns.rows) {
        const t = byName.get(`${schema}\0${table}`);
        if (!t || column == null) continue;
        t.fields ??= [];
        if (t.fields.length < ctx.caps.fields) t.fields.push(column.slice(0, 200));
        else out.truncated = true;
      }
      if (columns.rows.length >= 5000) out.truncated = true;
    }
    if (ctx.sample.rows > 0) {
      const pick = [...byName.entries()]
        .filter(([, t]) => looksSensitive(t.name, t.fields))
        .sort((a, b) => (b[1].rows ?? 0) - (a[1].rows ?? 0))
        .slice(0, budget.sources);
      for (const [key, t] of pick) {
        budget.sources--;
        const [schema, table] = key.split('\0') as [string, string];
        const r = await query(session, sampleSql(schema, table, ctx.sample.rows));
        out.sampled.sources.push(t.name);
        if (r.error) {
          // An error aborts the transaction: nothing more can be read in it.
          out.truncated = true;
          break;
        }
        const rows = r.rows.slice(0, ctx.sample.rows);
        out.sampled.rows += rows.length;
        for (const row of rows) for (const v of row) if (v != null) out.sampled.values.push(v.slice(0, 4096));
      }
    }
    return out;
  } finally {
    await query(session, sql.rollback).catch((err) => {
      if (isEaError(err, 'EA_ABORTED')) throw err;
    });
  }
}

/** A further session to another database (pg_hba.conf rules are per database: it may refuse where `postgres` was open). */
async function otherDatabase(ctx: ProbeContext, db: string, budget: { sources: number }, ssl: boolean): Promise<DbListing> {
  const session = ssl ? await sslSession(ctx) : await ctx.tcp();
  if (!session) return { tables: [], sampled: { rows: 0, values: [], sources: [] }, truncated: true, error: "SSLRequest answered 'N'" };
  await session.write(startupFor(db));
  const s = startupOutcome(await session.read(frameStartupReply));
  if (s.kind !== 'ok')
    return {
      tables: [],
      sampled: { rows: 0, values: [], sources: [] },
      truncated: true,
      error: s.kind === 'auth' ? `asks for ${s.method}` : `${s.fields.C ?? ''} ${s.fields.M ?? ''}`,
    };
  const listing = await listDatabase(session, db, ctx, budget);
  await session.write(terminate).catch(() => undefined);
  return listing;
}

/** A new session after SSLRequest: TLS when the server answers 'S', undefined when it answers 'N'. */
async function sslSession(ctx: ProbeContext): Promise<TcpSession | undefined> {
  const session = await ctx.tcp({ proof: 'SSLRequest' });
  await session.write(sslRequest);
  const answer = await session.read(frameSslAnswer);
  if (answer[0] !== 0x53) return undefined;
  await session.startTls();
  return session;
}

/** The plain refusal that says a `hostssl` rule may match: "no pg_hba.conf entry for host …, no encryption". */
const refusedForNoEncryption = (s: Startup) => s.kind === 'error' && s.fields.C === '28000' && /no encryption/.test(s.fields.M ?? '');

/** The startup that decided the verdict, on the session it was sent over. */
interface Opened {
  session: TcpSession;
  startup: Startup;
  ssl: boolean;
  sslNotes: string[];
}

/**
 * The StartupMessage in plain; after a refusal for "no encryption", SSLRequest on a new connection and, on 'S', the
 * same startup over TLS. A failed negotiation leaves the plain refusal standing, with a note.
 */
async function openStartup(ctx: ProbeContext, proof: string): Promise<Opened> {
  let session = await ctx.tcp({ proof });
  await session.write(firstStartup);
  let startup = startupOutcome(await session.read(frameStartupReply));
  let ssl = false;
  const sslNotes: string[] = [];
  if (refusedForNoEncryption(startup)) {
    try {
      const secure = await sslSession(ctx);
      if (secure) {
        await secure.write(firstStartup);
        startup = startupOutcome(await secure.read(frameStartupReply));
        session = secure;
        ssl = true;
        sslNotes.push("refused without encryption; SSLRequest answered 'S': the same startup was sent over TLS");
      } else sslNotes.push("refused without encryption; SSLRequest answered 'N': the server has SSL off");
    } catch (err) {
      if (isEaError(err, 'EA_ABORTED') || !isEaError(err)) throw err;
      sslNotes.push(`refused without encryption; SSL negotiation failed (${err.code}: ${err.message.slice(0, 120)})`);
    }
  }
  return { session, startup, ssl, sslNotes };
}

/** The verdict when the startup did not end in AuthenticationOk alone: a password request or an ErrorResponse. */
function refusedResult(startup: Exclude<Startup, { kind: 'ok' }>, proof: string, ssl: boolean, sslNotes: string[]): ProbeResult {
  const sslFacts = ssl ? { tls: true } : {};
  if (startup.kind === 'auth') {
    return {
      status: 'auth-required',
      evidence: {
        product: 'PostgreSQL',
        proof,
        reply: `AuthenticationRequest ${startup.code} (${startup.method})`,
        ...(sslNotes.length ? { notes: sslNotes } : {}),
      },
      facts: { authMethod: startup.method, ...sslFacts },
    };
  }
  const f = startup.fields;
  const code = f.C ?? '';
  const reply = `${f.S ?? 'ERROR'} ${code}: ${f.M ?? ''}`.slice(0, 300);
  // An ErrorResponse without a SQLSTATE is not PostgreSQL's.
  if (!/^[0-9A-Z]{5}$/.test(code)) return { status: 'not-detected', evidence: { proof, reply }, facts: {} };
  if (startup.afterOk)
    return {
      status: 'exposed',
      evidence: {
        product: 'PostgreSQL',
        proof,
        reply: `AuthenticationOk, then ${reply}`,
        limited: true,
        ...(sslNotes.length ? { notes: sslNotes } : {}),
      },
      facts: { sqlstate: code, ...sslFacts },
    };
  if (code === '28000')
    return {
      status: 'denied',
      evidence: { product: 'PostgreSQL', proof, reply, ...(sslNotes.length ? { notes: sslNotes } : {}) },
      facts: { sqlstate: code, ...sslFacts },
    };
  // 53300 too_many_connections ("sorry, too many clients already", or the slots reserved for superusers) and
  // 57P03 cannot_connect_now (starting up, shutting down, in recovery): before authentication, transient
  // (https://www.postgresql.org/docs/current/errcodes-appendix.html).
  if (code === '53300' || code === '57P03') return busyResult('PostgreSQL', proof, reply, { sqlstate: code });
  if (code === '28P01') return { status: 'auth-required', evidence: { product: 'PostgreSQL', proof, reply }, facts: { sqlstate: code } };
  return {
    status: 'error',
    evidence: { product: 'PostgreSQL', proof, reply },
    facts: { sqlstate: code },
    error: { code: 'EA_PROTOCOL', message: `PostgreSQL refused the startup: ${reply}` },
  };
}

/** What the listing sessions gathered across the databases. */
interface Gathered {
  dbs: Array<{ name: string; bytes?: number }>;
  items: DataItem[];
  notes: string[];
  truncated: boolean;
  sample: { rows: number; values: string[]; sources: string[] };
}

/** The database list and the `postgres` listing on the open session, then up to maxDatabases further databases. */
async function gather(ctx: ProbeContext, session: TcpSession, ssl: boolean, notes: string[]): Promise<Gathered> {
  const g: Gathered = { dbs: [], items: [], notes, truncated: false, sample: { rows: 0, values: [], sources: [] } };
  const budget = { sources: ctx.sample.rows > 0 ? ctx.sample.sources : 0 };
  const merge = (l: DbListing, db: string) => {
    g.items.push(...l.tables);
    if (l.truncated) g.truncated = true;
    if (l.error) notes.push(`${db}: ${l.error.slice(0, 200)}`);
    g.sample.rows += l.sampled.rows;
    g.sample.values.push(...l.sampled.values);
    g.sample.sources.push(...l.sampled.sources);
  };

  // Access is proven from here on: a listing cut short (deadline, byte budget, a peer that stops making sense)
  // is recorded as truncated with a note, never turned into a timeout or error verdict.
  let stop = false;
  const cutShort = (where: string, err: unknown) => {
    if (isEaError(err, 'EA_ABORTED') || !isEaError(err)) throw err;
    g.truncated = true;
    notes.push(`${where}: listing cut short (${err.code}: ${err.message.slice(0, 160)})`);
    stop = err.code === 'EA_TIMEOUT' || err.code === 'EA_TOO_LARGE';
  };
  try {
    const begin = await query(session, sql.begin);
    if (begin.error) notes.push(`BEGIN: ${begin.error.M ?? ''}`.slice(0, 200));
    else {
      const list = await query(session, sql.databases);
      await query(session, sql.rollback);
      if (list.error) notes.push(`databases: ${list.error.M ?? ''}`.slice(0, 200));
      for (const [name, bytes] of list.rows)
        if (name) g.dbs.push({ name: name.slice(0, 200), ...(int(bytes) !== undefined ? { bytes: int(bytes)! } : {}) });
      if (list.rows.length >= 1000) g.truncated = true;
      merge(await listDatabase(session, 'postgres', ctx, budget), 'postgres');
    }
    await session.write(terminate).catch(() => undefined);
  } catch (err) {
    cutShort('postgres', err);
  }

  const others = g.dbs.filter((d) => d.name !== 'postgres');
  if (others.length > maxDatabases) g.truncated = true;
  for (const d of others.slice(0, maxDatabases)) {
    if (stop) break;
    try {
      merge(await otherDatabase(ctx, d.name, budget, ssl), d.name);
    } catch (err) {
      cutShort(d.name, err);
    }
  }
  return g;
}

/** Trust: the server's parameters, and what can be read, as the exposed verdict's facts and data. */
async function exposedResult(
  ctx: ProbeContext,
  session: TcpSession,
  p: Record<string, string>,
  proof: string,
  ssl: boolean,
  sslNotes: string[],
): Promise<ProbeResult> {
  const version = (p.server_version ?? '').split(' ')[0]?.slice(0, 40) || undefined;
  const facts: Record<string, unknown> = {
    authMethod: 'trust',
    version,
    superuser: p.is_superuser === 'on',
    serverEncoding: p.server_encoding,
    timeZone: p.TimeZone,
    ...(ssl ? { tls: true } : {}),
  };
  const { dbs, items, notes, sample, ...g } = await gather(ctx, session, ssl, [...sslNotes]);
  let truncated = g.truncated;

  const dbItems: DataItem[] = dbs.map((d) => ({
    kind: 'database',
    name: d.name,
    ...(d.bytes !== undefined ? { bytes: d.bytes } : {}),
  }));
  const all = [...dbItems, ...items];
  if (all.length > ctx.caps.items) truncated = true;
  const rows = items.reduce((n, t) => n + (t.rows ?? 0), 0);
  const bytes = dbs.reduce((n, d) => n + (d.bytes ?? 0), 0);
  const dataSample: DataSample | undefined =
    ctx.sample.rows > 0 ? { rows: sample.rows, sources: sample.sources, secrets: scanSecrets(sample.values) } : undefined;
  return {
    status: 'exposed',
    evidence: {
      product: 'PostgreSQL',
      ...(version ? { version } : {}),
      proof,
      reply: `AuthenticationOk; server_version ${version ?? '?'}; is_superuser ${p.is_superuser ?? '?'}`,
      ...(notes.length ? { notes } : {}),
    },
    facts,
    data: {
      items: all.slice(0, ctx.caps.items),
      totals: { databases: dbs.length, tables: items.length, rows, bytes },
      ...(dataSample ? { sample: dataSample } : {}),
      ...(truncated ? { truncated } : {}),
    },
  };
}

export default defineProbe({
  meta: {
    id: 'postgres',
    service: 'postgres',
    title: 'PostgreSQL accepting the postgres superuser without a password (trust)',
    description:
      'StartupMessage as user postgres, no password: AuthenticationOk = exposed (trust); a password request = auth-required; 28000 pg_hba rejection = denied. When exposed: databases with sizes, tables with row estimates and columns, in a read-only transaction.',
    defaultPorts: [5432],
    transport: 'tcp',
    tls: 'never',
    sends: [
      { request: `StartupMessage user=${user} database=postgres application_name=${appName}`, when: 'always', bytes: firstStartup },
      // Only after a plain refusal for "no encryption", on a new connection; then the same StartupMessage over TLS.
      { request: 'SSLRequest', when: 'always', bytes: sslRequest },
      ...[sql.begin, sql.databases, sql.tables, sql.columns].map((q) => ({
        request: `Query "${q}"`,
        when: 'always' as const,
        bytes: encodeQuery(q),
      })),
      // Up to 10 sensitive-looking tables.
      { request: 'Query "SELECT * FROM "<schema>"."<table>" LIMIT <N>"', when: '--sample' },
      { request: `Query "${sql.rollback}"`, when: 'always', bytes: encodeQuery(sql.rollback) },
      { request: 'Terminate', when: 'always', bytes: terminate },
      // Then, for up to maxDatabases further databases, one session each with the same BEGIN … ROLLBACK queries
      // (but not the database list).
      { request: `StartupMessage user=${user} database=<db> application_name=${appName}`, when: 'always' },
    ],
    exposure:
      'anyone who can reach the port is the postgres superuser: every database can be read, changed or dropped, and COPY … PROGRAM runs shell commands',
    remediation:
      'Replace `trust` with scram-sha-256 in pg_hba.conf for every host line, set a password for postgres, restrict listen_addresses, and firewall 5432.',
    references: [
      'https://www.postgresql.org/docs/current/auth-pg-hba-conf.html',
      'https://www.postgresql.org/docs/current/protocol-flow.html',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const proof = `StartupMessage user=${user} database=postgres`;
    const { session, startup, ssl, sslNotes } = await openStartup(ctx, proof);
    if (startup.kind !== 'ok') return refusedResult(startup, proof, ssl, sslNotes);
    return exposedResult(ctx, session, startup.params, proof, ssl, sslNotes);
  },
});
