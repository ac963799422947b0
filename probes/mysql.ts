import { EaError, isEaError } from '../src/errors.js';
import type { TcpSession } from '../src/net/tcp.js';
import { always, busyResult, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import {
  comQuit,
  encodeHandshakeResponse,
  encodeQuery,
  frameGreeting,
  framePacket,
  frameQueryResponse,
  packet,
  parseErr,
  parseHandshake,
  parsePacket,
  parseQueryResponse,
  productVersion,
  type ResultSet,
} from '../src/protocols/mysql.js';
import { scanSecrets } from '../src/risk/scan.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { DataItem, DataSample } from '../src/types.js';

/**
 * MySQL / MariaDB: the server speaks first (Handshake v10: version, capabilities, default auth plugin), or sends
 * ERR 1130 "Host … is not allowed to connect" instead (denied). The probe then logs in as `root` with an EMPTY
 * password — the documented state of a fresh install / MARIADB_ALLOW_EMPTY_ROOT_PASSWORD — and never any other
 * password: an empty auth response, and an empty answer to any auth switch (caching_sha2_password, ed25519…).
 * OK = exposed; ERR 1045 "Access denied … (using password: NO)" = auth-required.
 * When exposed: SELECTs on information_schema only (schemata, tables with TABLE_ROWS estimates and sizes,
 * columns), no table scan except the opt-in `--sample N` LIMIT reads of sensitive-looking tables.
 * Sources: https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html,
 * https://mariadb.com/kb/en/connection/, https://mariadb.com/docs/reference/mdb/error-codes/ER_HOST_NOT_PRIVILEGED/.
 */
const user = 'root';
const login = encodeHandshakeResponse(user);
const emptyAuthAnswer = (seq: number) => packet(seq, Buffer.alloc(0));
/** How meta.sends names the answer to an AuthSwitchRequest: a packet with no payload (header 000000<seq>). */
export const authSwitchAnswer = 'AuthSwitchResponse (empty, only after an AuthSwitchRequest)';
const system = `('mysql','information_schema','performance_schema','sys')`;
export const sql = {
  schemata: 'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME LIMIT 1000',
  tables: `SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ${system} ORDER BY 5 DESC LIMIT 1000`,
  columns: `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA NOT IN ${system} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION LIMIT 5000`,
};

/** Identifiers come from the server: backquoted, embedded backquotes doubled. */
function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
export function sampleSql(db: string, table: string, rows: number): string {
  return `SELECT * FROM ${quoteIdent(db)}.${quoteIdent(table)} LIMIT ${rows}`;
}

async function query(session: TcpSession, text: string): Promise<ResultSet> {
  await session.write(encodeQuery(text));
  const buf = await session.read(frameQueryResponse);
  try {
    return parseQueryResponse(buf);
  } catch (err) {
    throw new EaError('EA_PROTOCOL', `unparseable result set: ${(err as Error).message}`, { partial: buf.subarray(0, 256) });
  }
}

const int = (v: string | null | undefined) => (v != null && /^\d{1,18}$/.test(v) ? Number(v) : undefined);

/** Logs in with the empty password; at most two auth switches, each answered with an empty response. */
async function loginEmpty(
  session: TcpSession,
): Promise<{ kind: 'ok' } | { kind: 'err'; code: number; sqlState?: string; message: string } | { kind: 'more'; detail: string }> {
  await session.write(login);
  for (let round = 0; round < 3; round++) {
    const p = parsePacket(await session.read(framePacket));
    const first = p.payload[0];
    if (first === 0x00) return { kind: 'ok' };
    if (first === 0xff) return { kind: 'err', ...parseErr(p.payload) };
    if (first === 0xfe && round < 2) {
      // AuthSwitchRequest: plugin name + data. The empty password is an empty response under every plugin.
      await session.write(emptyAuthAnswer(p.seq + 1));
      continue;
    }
    if (first === 0x01 && p.payload[1] === 0x03) continue; // caching_sha2 fast-auth success: OK follows
    if (first === 0x01)
      return { kind: 'more', detail: `AuthMoreData 0x${(p.payload[1] ?? 0).toString(16)}: the server wants a full authentication` };
    throw new EaError('EA_PROTOCOL', `unexpected packet 0x${(first ?? 0).toString(16)} during login`, {
      partial: p.payload.subarray(0, 256),
    });
  }
  throw new EaError('EA_PROTOCOL', 'too many authentication rounds');
}

async function listing(session: TcpSession, ctx: ProbeContext) {
  const notes: string[] = [];
  let truncated = false;
  const schemata = await query(session, sql.schemata);
  if (schemata.error) notes.push(`schemata: ${schemata.error.code} ${schemata.error.message}`.slice(0, 200));
  const dbs = new Map<string, DataItem>();
  for (const [name] of schemata.rows) if (name != null) dbs.set(name, { kind: 'database', name: name.slice(0, 200) });
  if (schemata.rows.length >= 1000) truncated = true;
  const tables = await query(session, sql.tables);
  if (tables.error) notes.push(`tables: ${tables.error.code} ${tables.error.message}`.slice(0, 200));
  const byName = new Map<string, { item: DataItem; db: string; table: string }>();
  for (const [db, name, engine, rows, bytes] of tables.rows) {
    if (db == null || name == null) continue;
    const item: DataItem = { kind: 'table', name: `${db}.${name}`.slice(0, 300) };
    if (engine) item.engine = engine.slice(0, 40);
    if (int(rows) !== undefined) item.rows = int(rows)!;
    if (int(bytes) !== undefined) {
      item.bytes = int(bytes)!;
      const d = dbs.get(db);
      if (d) d.bytes = (d.bytes ?? 0) + item.bytes;
    }
    byName.set(`${db}\0${name}`, { item, db, table: name });
  }
  if (tables.rows.length >= 1000) truncated = true;
  const columns = await query(session, sql.columns);
  if (!columns.error) {
    for (const [db, table, column] of columns.rows) {
      const t = byName.get(`${db}\0${table}`);
      if (!t || column == null) continue;
      t.item.fields ??= [];
      if (t.item.fields.length < ctx.caps.fields) t.item.fields.push(column.slice(0, 200));
      else truncated = true;
    }
    if (columns.rows.length >= 5000) truncated = true;
  }
  let sample: DataSample | undefined;
  if (ctx.sample.rows > 0) {
    const pick = [...byName.values()]
      .filter((t) => looksSensitive(t.item.name, t.item.fields))
      .sort((a, b) => (b.item.rows ?? 0) - (a.item.rows ?? 0))
      .slice(0, ctx.sample.sources);
    const values: string[] = [];
    let rows = 0;
    let cut = false;
    for (const t of pick) {
      const r = await query(session, sampleSql(t.db, t.table, ctx.sample.rows));
      if (r.error) {
        cut = true;
        continue;
      }
      for (const row of r.rows.slice(0, ctx.sample.rows)) {
        rows++;
        for (const v of row) if (v != null) values.push(v.slice(0, 4096));
      }
    }
    sample = { rows, sources: pick.map((t) => t.item.name), secrets: scanSecrets(values), ...(cut ? { truncated: true } : {}) };
  }
  return { dbs: [...dbs.values()], tables: [...byName.values()].map((t) => t.item), notes, truncated, sample };
}

export default defineProbe({
  meta: {
    id: 'mysql',
    service: 'mysql',
    title: 'MySQL / MariaDB root without a password',
    description:
      'Reads the server handshake, then logs in as root with an empty password: OK = exposed (schemata, tables, sizes from information_schema); ERR 1045 = auth-required; ERR 1130 instead of a handshake = denied.',
    defaultPorts: [3306],
    transport: 'tcp',
    tls: 'never',
    sends: [
      { request: `HandshakeResponse41 user=${user} password="" plugin=mysql_native_password`, when: 'always', bytes: login },
      { request: authSwitchAnswer, when: 'always' },
      ...always(`COM_QUERY "${sql.schemata}"`, `COM_QUERY "${sql.tables}"`, `COM_QUERY "${sql.columns}"`),
      // Up to 10 sensitive-looking tables.
      { request: 'COM_QUERY "SELECT * FROM `<db>`.`<table>` LIMIT <N>"', when: '--sample' },
      { request: 'COM_QUIT', when: 'always', bytes: comQuit },
    ],
    exposure:
      'anyone who can reach the port is the root account: every schema can be read, changed or dropped, and FILE privileges read and write server files',
    remediation:
      'Give root a password (or unix_socket auth only), drop root@% and anonymous accounts, set bind-address to a private interface, and firewall 3306.',
    references: [
      'https://mariadb.com/kb/en/mariadb-secure-installation/',
      'https://dev.mysql.com/doc/refman/8.4/en/default-privileges.html',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const proof = `HandshakeResponse41 user=${user} password=""`;
    const session = await ctx.tcp({ proof: 'server greeting' });
    const greeting = parsePacket(await session.read(frameGreeting)).payload;
    if (greeting[0] === 0xff) {
      let e;
      try {
        e = parseErr(greeting);
      } catch {
        return { status: 'not-detected', evidence: { proof: 'server greeting', reply: greeting.toString('utf8', 0, 120) }, facts: {} };
      }
      const reply = `ERR ${e.code}: ${e.message}`.slice(0, 300);
      const product = /MariaDB/.test(e.message) ? 'MariaDB' : 'MySQL';
      // 1130 host not privileged, 1129 host blocked: refused before any login.
      if (e.code === 1130 || e.code === 1129)
        return { status: 'denied', evidence: { product, proof: 'server greeting', reply }, facts: { errorCode: e.code } };
      // 1040 ER_CON_COUNT_ERROR "Too many connections" instead of a greeting: busy, nothing decided.
      if (e.code === 1040) return busyResult(product, 'server greeting', reply, { errorCode: e.code });
      if (!/^[\x20-\x7e]/.test(e.message)) return { status: 'not-detected', evidence: { proof: 'server greeting', reply }, facts: {} };
      return {
        status: 'error',
        evidence: { product, proof: 'server greeting', reply },
        facts: { errorCode: e.code },
        error: { code: 'EA_PROTOCOL', message: `the server refused the connection: ${reply}` },
      };
    }
    let hs;
    try {
      hs = parseHandshake(greeting);
    } catch (err) {
      return { status: 'not-detected', evidence: { proof: 'server greeting', reply: (err as Error).message }, facts: {} };
    }
    if (!/^\d+\.\d+/.test(hs.serverVersion))
      return {
        status: 'not-detected',
        evidence: { proof: 'server greeting', reply: `handshake v10 with version ${JSON.stringify(hs.serverVersion.slice(0, 60))}` },
        facts: {},
      };
    const { product, version } = productVersion(hs.serverVersion);
    const facts: Record<string, unknown> = {
      serverVersion: hs.serverVersion,
      version,
      authPlugin: hs.authPlugin,
      connectionId: hs.connectionId,
    };

    const outcome = await loginEmpty(session);
    if (outcome.kind === 'err') {
      const reply = `ERR ${outcome.code}${outcome.sqlState ? ` (${outcome.sqlState})` : ''}: ${outcome.message}`.slice(0, 300);
      const f = { ...facts, errorCode: outcome.code };
      if (outcome.code === 1045 || outcome.code === 1698 || outcome.code === 1251)
        return { status: 'auth-required', evidence: { product, version, proof, reply }, facts: f };
      if (outcome.code === 1130 || outcome.code === 1129)
        return { status: 'denied', evidence: { product, version, proof, reply }, facts: f };
      if (outcome.code === 1040) return busyResult(product, proof, reply, f);
      // 1203 ER_TOO_MANY_USER_CONNECTIONS / 1226 ER_USER_LIMIT_REACHED are checked only after the password was
      // accepted (acl_authenticate, sql_authentication.cc): the empty password worked, the account is just full.
      if (outcome.code === 1203 || outcome.code === 1226)
        return {
          status: 'exposed',
          evidence: {
            product,
            version,
            proof,
            reply,
            limited: true,
            notes: [`${user} logged in without a password, then hit its connection limit: nothing listed`],
          },
          facts: f,
        };
      return {
        status: 'error',
        evidence: { product, version, proof, reply },
        facts: f,
        error: { code: 'EA_PROTOCOL', message: `login refused: ${reply}` },
      };
    }
    if (outcome.kind === 'more') return { status: 'auth-required', evidence: { product, version, proof, reply: outcome.detail }, facts };

    // Access is proven: a listing cut short is reported as such (truncated, with a note), never as a timeout.
    let l: Awaited<ReturnType<typeof listing>>;
    try {
      l = await listing(session, ctx);
      await session.write(comQuit).catch(() => undefined);
    } catch (err) {
      if (isEaError(err, 'EA_ABORTED') || !isEaError(err)) throw err;
      l = {
        dbs: [],
        tables: [],
        notes: [`listing cut short (${err.code}: ${err.message.slice(0, 160)})`],
        truncated: true,
        sample: undefined,
      };
    }
    const all = [...l.dbs, ...l.tables];
    const truncated = l.truncated || all.length > ctx.caps.items;
    return {
      status: 'exposed',
      evidence: {
        product,
        version,
        proof,
        reply: `OK: logged in as root without a password (${hs.serverVersion.slice(0, 80)})`,
        ...(l.notes.length ? { notes: l.notes } : {}),
      },
      facts,
      data: {
        items: all.slice(0, ctx.caps.items),
        totals: {
          databases: l.dbs.length,
          tables: l.tables.length,
          rows: l.tables.reduce((n, t) => n + (t.rows ?? 0), 0),
          bytes: l.tables.reduce((n, t) => n + (t.bytes ?? 0), 0),
        },
        ...(l.sample ? { sample: l.sample } : {}),
        ...(truncated ? { truncated } : {}),
      },
    };
  },
});
