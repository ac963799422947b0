import { EaError, isEaError } from '../src/errors.js';
import type { TcpSession } from '../src/net/tcp.js';
import { busyResult, defineProbe, type ProbeResult } from '../src/probe.js';
import {
  cellBigint,
  cellText,
  cqlOpcodes,
  encodeOptions,
  encodeQuery,
  encodeStartup,
  frameCql,
  parseAuthenticate,
  parseCqlFrame,
  parseError,
  parseRows,
  parseSupported,
  type CqlFrame,
} from '../src/protocols/cql.js';
import { scanSecrets } from '../src/risk/scan.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { DataItem, DataSample } from '../src/types.js';

/**
 * Cassandra / ScyllaDB CQL native protocol (v4). OPTIONS → SUPPORTED identifies the server but needs no auth
 * anywhere, so it proves nothing. STARTUP decides: READY = the server let us in without credentials (exposed);
 * AUTHENTICATE = an authenticator (e.g. PasswordAuthenticator) wants credentials (auth-required). Only after READY:
 * SELECTs on the system tables (schema metadata and size estimates), never user tables, never anything but SELECT.
 */
const systemKeyspaces = new Set([
  'system',
  'system_schema',
  'system_auth',
  'system_distributed',
  'system_traces',
  'system_views',
  'system_virtual_schema',
]);
const pageSize = 1000;
const queries = {
  version: 'SELECT release_version, cluster_name FROM system.local',
  keyspaces: 'SELECT keyspace_name FROM system_schema.keyspaces',
  tables: 'SELECT keyspace_name, table_name FROM system_schema.tables',
  columns: 'SELECT keyspace_name, table_name, column_name FROM system_schema.columns',
  // Per token range estimates kept by the server itself: no table is scanned.
  sizes: 'SELECT keyspace_name, table_name, partitions_count, mean_partition_size FROM system.size_estimates',
};

/** Every frame this probe can write, fixed in advance (streams 0, 1, then one per query in order). */
const startupVersion = '3.0.0'; // accepted by every CQL 3 server (Cassandra 2.x–5.x, ScyllaDB); drivers send it too
const frames = {
  options: encodeOptions(0),
  startup: encodeStartup(startupVersion, 1),
  queries: Object.fromEntries(Object.entries(queries).map(([k, q], i) => [k, encodeQuery(q, i + 2, pageSize)])) as Record<
    keyof typeof queries,
    Buffer
  >,
};

const opName = Object.fromEntries(Object.entries(cqlOpcodes).map(([k, v]) => [v, k]));

/** 0x1001 Overloaded, 0x1002 Is_bootstrapping (native_protocol_v4.spec §9): the node cannot serve now. */
const busyErrors = new Set([0x1001, 0x1002]);

async function exchange(session: TcpSession, frame: Buffer, stream: number): Promise<CqlFrame> {
  await session.write(frame);
  const reply = parseCqlFrame(await session.read(frameCql));
  if (reply.stream !== stream) throw new EaError('EA_PROTOCOL', `CQL reply on stream ${reply.stream}, expected ${stream}`);
  return reply;
}

export default defineProbe({
  meta: {
    id: 'cassandra',
    service: 'cassandra',
    title: 'Cassandra CQL without authentication',
    description:
      'CQL v4 OPTIONS then STARTUP: READY proves access without credentials, AUTHENTICATE asks for them; then schema metadata from the system tables.',
    defaultPorts: [9042],
    transport: 'tcp',
    tls: 'optional',
    sends: [
      { request: 'OPTIONS', when: 'always', bytes: frames.options },
      { request: `STARTUP {CQL_VERSION: ${startupVersion}}`, when: 'always', bytes: frames.startup },
      ...Object.entries(queries).map(([k, q]) => ({
        request: `QUERY ${q} (consistency ONE, page size ${pageSize})`,
        when: 'always' as const,
        bytes: frames.queries[k as keyof typeof queries],
      })),
      // Up to 10 sensitive-looking tables.
      { request: 'QUERY SELECT * FROM "<keyspace>"."<table>" LIMIT <N>', when: '--sample' },
    ],
    exposure: 'anyone who can reach the port can read and write every keyspace (the default AllowAllAuthenticator/AllowAllAuthorizer)',
    remediation:
      'Set authenticator: PasswordAuthenticator and authorizer: CassandraAuthorizer in cassandra.yaml, change the default cassandra/cassandra superuser, bind native_transport to private interfaces and firewall 9042.',
    references: [
      'https://github.com/apache/cassandra/blob/trunk/doc/native_protocol_v4.spec',
      'https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    // Not CQL at all (an HTTP server, a banner, garbage) fails the first reply's parsing: the engine reads that
    // as not-detected. A parse failure after STARTUP is a CQL peer breaking the protocol: error.
    const session = await ctx.tcp({ proof: 'OPTIONS' });
    try {
      const reply = await exchange(session, frames.options, 0);
      if (reply.opcode === cqlOpcodes.ERROR) {
        const e = parseError(reply.body);
        const text = `ERROR 0x${e.code.toString(16)} ${e.message}`.slice(0, 200);
        if (busyErrors.has(e.code)) return busyResult('Cassandra', 'OPTIONS', text);
        // A CQL server that does not speak v4 (protocol error 0x000A) is still Cassandra: undecided, not absent.
        return {
          status: 'error',
          evidence: { product: 'Cassandra', proof: 'OPTIONS', reply: `ERROR 0x${e.code.toString(16)} ${e.message}`.slice(0, 200) },
          facts: {},
          error: { code: 'EA_PROTOCOL', message: `CQL error to OPTIONS: ${e.message.slice(0, 120)}` },
        };
      }
      if (reply.opcode !== cqlOpcodes.SUPPORTED)
        return {
          status: 'not-detected',
          evidence: { proof: 'OPTIONS', reply: `opcode ${opName[reply.opcode] ?? reply.opcode}` },
          facts: {},
        };
      const supported = parseSupported(reply.body);
      if (!supported.CQL_VERSION?.length)
        return { status: 'not-detected', evidence: { proof: 'OPTIONS', reply: 'SUPPORTED without CQL_VERSION' }, facts: {} };
      const facts: Record<string, unknown> = {
        cqlVersions: supported.CQL_VERSION,
        ...(supported.COMPRESSION ? { compression: supported.COMPRESSION } : {}),
        ...(supported.PROTOCOL_VERSIONS ? { protocolVersions: supported.PROTOCOL_VERSIONS } : {}),
      };
      const startup = `STARTUP {CQL_VERSION: ${startupVersion}}`;
      const ready = await exchange(session, frames.startup, 1);
      if (ready.opcode === cqlOpcodes.AUTHENTICATE) {
        const authenticator = parseAuthenticate(ready.body);
        return {
          status: 'auth-required',
          evidence: { product: 'Cassandra', proof: startup, reply: `AUTHENTICATE ${authenticator}` },
          facts: { ...facts, authenticator },
        };
      }
      if (ready.opcode === cqlOpcodes.ERROR) {
        const e = parseError(ready.body);
        if (busyErrors.has(e.code))
          return busyResult('Cassandra', startup, `ERROR 0x${e.code.toString(16)} ${e.message}`.slice(0, 200), facts);
        return {
          status: 'error',
          evidence: { product: 'Cassandra', proof: startup, reply: `ERROR 0x${e.code.toString(16)} ${e.message}`.slice(0, 200) },
          facts,
          error: { code: 'EA_PROTOCOL', message: `CQL error to STARTUP: ${e.message.slice(0, 120)}` },
        };
      }
      if (ready.opcode !== cqlOpcodes.READY)
        throw new EaError('EA_PROTOCOL', `unexpected CQL opcode ${opName[ready.opcode] ?? ready.opcode} to STARTUP`);

      // READY: in. Metadata only; a failing query does not undo the proof.
      let truncated = false;
      const select = async (key: keyof typeof queries) => {
        const frame = frames.queries[key];
        const s = frame.readInt16BE(2);
        const reply = await exchange(session, frame, s);
        if (reply.opcode !== cqlOpcodes.RESULT) return undefined;
        const rows = parseRows(reply.body, 5000);
        if (rows?.morePages) truncated = true;
        return rows;
      };
      const local = await select('version');
      const version = cellText(local?.rows[0]?.[0], 64);
      const cluster = cellText(local?.rows[0]?.[1], 128);
      if (version) facts.version = version;
      if (cluster) facts.clusterName = cluster;
      const items = new Map<string, DataItem>();
      for (const [ks] of (await select('keyspaces'))?.rows ?? []) {
        const name = cellText(ks);
        if (name && !systemKeyspaces.has(name)) items.set(name, { kind: 'keyspace', name });
      }
      for (const [ks, t] of (await select('tables'))?.rows ?? []) {
        const k = cellText(ks);
        const name = cellText(t);
        if (k && name && items.has(k)) items.set(`${k}.${name}`, { kind: 'table', name: `${k}.${name}` });
      }
      for (const [ks, t, c] of (await select('columns'))?.rows ?? []) {
        const item = items.get(`${cellText(ks)}.${cellText(t)}`);
        const col = cellText(c);
        if (!item || !col) continue;
        item.fields ??= [];
        if (item.fields.length < ctx.caps.fields) item.fields.push(col);
        else truncated = true;
      }
      let rows = 0;
      let bytes = 0;
      for (const [ks, t, count, mean] of (await select('sizes'))?.rows ?? []) {
        const item = items.get(`${cellText(ks)}.${cellText(t)}`);
        const p = cellBigint(count) ?? 0;
        const m = cellBigint(mean) ?? 0;
        if (!item || p < 0 || m < 0) continue;
        item.rows = (item.rows ?? 0) + p;
        item.bytes = (item.bytes ?? 0) + p * m;
        rows += p;
        bytes += p * m;
      }
      const all = [...items.values()];
      if (all.length > ctx.caps.items) truncated = true;
      const sample = ctx.sample.rows > 0 ? await sampleTables(session, all, ctx.sample) : undefined;
      return {
        status: 'exposed',
        evidence: {
          product: 'Cassandra',
          ...(version ? { version } : {}),
          proof: startup,
          reply: 'READY',
          notes: ['OPTIONS/SUPPORTED needs no authentication anywhere: only READY to STARTUP proves access'],
          ...(truncated ? { truncated: true } : {}),
        },
        facts,
        data: {
          items: all.slice(0, ctx.caps.items),
          totals: {
            databases: all.filter((i) => i.kind === 'keyspace').length,
            tables: all.filter((i) => i.kind === 'table').length,
            rows,
            bytes,
          },
          ...(sample ? { sample } : {}),
          ...(truncated ? { truncated } : {}),
        },
      };
    } catch (err) {
      // A parse failure inside a CQL value after SUPPORTED: the peer is CQL but broke the protocol.
      if (!isEaError(err)) throw new EaError('EA_PROTOCOL', `malformed CQL reply: ${(err as Error).message}`);
      throw err;
    }
  },
});

/** CQL identifier quoting: double quotes, an embedded quote doubled. */
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Text-like CQL types whose cells are scanned: ascii (0x0001), varchar/text (0x000D). */
const textTypes = new Set([0x0001, 0x000d]);

/**
 * Opt-in (--sample N): SELECT * … LIMIT N on up to `sources` sensitive-looking tables, at consistency ONE. Text cells
 * are scanned for secrets and dropped; only counts and redacted fingerprints leave.
 */
async function sampleTables(session: TcpSession, items: DataItem[], sample: { rows: number; sources: number }): Promise<DataSample> {
  const pick = items
    .filter((i) => i.kind === 'table' && looksSensitive(i.name.split('.').slice(1).join('.'), i.fields))
    .sort((a, b) => (b.rows ?? 0) - (a.rows ?? 0))
    .slice(0, sample.sources);
  const values: string[] = [];
  let rows = 0;
  let truncated = false;
  let stream = 100;
  for (const t of pick) {
    const [ks, ...rest] = t.name.split('.');
    const s = stream++;
    try {
      const reply = await exchange(
        session,
        encodeQuery(`SELECT * FROM ${quote(ks!)}.${quote(rest.join('.'))} LIMIT ${sample.rows}`, s, sample.rows),
        s,
      );
      const result = reply.opcode === cqlOpcodes.RESULT ? parseRows(reply.body, sample.rows) : undefined;
      if (!result) continue;
      rows += result.rows.length;
      for (const row of result.rows)
        row.forEach((cell, i) => {
          if (cell && textTypes.has(result.columns[i]?.type ?? -1)) values.push(cell.toString('utf8', 0, Math.min(cell.length, 4096)));
        });
    } catch (err) {
      // The exposure is already proven: a failed sample only leaves it incomplete (and the session may be unusable).
      if (isEaError(err, 'EA_ABORTED')) throw err;
      truncated = true;
      break;
    }
  }
  return { rows, sources: pick.map((t) => t.name), secrets: scanSecrets(values), ...(truncated ? { truncated } : {}) };
}
