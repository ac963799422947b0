import { declaredName, type ProbeReplies } from '../src/probe-replies.js';
import cassandra from './cassandra.js';

/**
 * CQL native protocol v4 responses (apache/cassandra doc/native_protocol_v4.spec §2 frame header, §4.2 SUPPORTED,
 * READY, AUTHENTICATE, ERROR, RESULT Rows §4.2.5.2; §9 error codes), each on the request's stream. SUPPORTED as
 * Cassandra 5.0 sends it; the schema tables (system_schema.keyspaces/tables/columns, system.size_estimates) shaped as
 * Cassandra 5.0.3 with its default cluster_name answers them for two user keyspaces.
 */
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const str = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);
/** A v4 response frame (0x84) on the request's stream (bytes 2–3 of its header). */
const frame = (opcode: number, body: Buffer) => (request: Buffer) =>
  Buffer.concat([Buffer.from([0x84, 0]), request.subarray(2, 4), Buffer.from([opcode]), i32(body.length), body]);
const error = (code: number, message: string) => frame(0x00, Buffer.concat([i32(code), str(message)]));
const supported = frame(
  0x06,
  Buffer.concat([
    u16(3),
    str('CQL_VERSION'),
    u16(1),
    str('3.4.7'),
    str('COMPRESSION'),
    u16(2),
    str('snappy'),
    str('lz4'),
    str('PROTOCOL_VERSIONS'),
    u16(4),
    ...['3/v3', '4/v4', '5/v5', '6/v6-beta'].map(str),
  ]),
);
const bigint = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
/** RESULT Rows with a global table spec (flags 0x0001); columns varchar (0x000D) or bigint (0x0002). */
function rows(ks: string, table: string, cols: Array<[string, 'text' | 'bigint']>, values: Array<Array<string | number>>) {
  const parts = [i32(0x0002), i32(0x0001), i32(cols.length), str(ks), str(table)];
  for (const [name, type] of cols) parts.push(str(name), u16(type === 'text' ? 0x000d : 0x0002));
  parts.push(i32(values.length));
  for (const row of values)
    for (const v of row) {
      const b = typeof v === 'number' ? bigint(v) : Buffer.from(v);
      parts.push(i32(b.length), b);
    }
  return frame(0x08, Buffer.concat(parts));
}
const text = (...names: string[]) => names.map((n) => [n, 'text'] as [string, 'text']);
const schema: Record<string, Record<string, string[]>> = {
  shop: { customers: ['id', 'email', 'password_hash'], orders: ['id', 'customer_id', 'total'] },
  metrics: { events: ['day', 'ts', 'payload'] },
};
const tables = Object.entries(schema).flatMap(([ks, ts]) => Object.keys(ts).map((t) => [ks, t] as const));
const planted = 'sk-proj-FAKE0000esREPLAYnotREALkey';
/** Requests named as meta.sends declares them; a sampling QUERY (declared as a template) by its CQL text. */
function describe(b: Buffer): string | undefined {
  const declared = declaredName(cassandra.meta.sends, b);
  if (declared || b.length < 13 || b[0] !== 0x04 || b[4] !== 0x07) return declared;
  return `QUERY ${b.toString('utf8', 13, 13 + b.readInt32BE(9))}`;
}
const handshake = [
  { request: 'OPTIONS', reply: supported },
  { request: /^STARTUP /, reply: frame(0x02, Buffer.alloc(0)) },
];
/** READY, then every metadata query answered: Cassandra 5.0.3 with the schema above. */
const allowAll = [
  ...handshake,
  {
    request: /^QUERY SELECT release_version/,
    reply: rows('system', 'local', text('release_version', 'cluster_name'), [['5.0.3', 'Test Cluster']]),
  },
  {
    request: /^QUERY SELECT keyspace_name FROM system_schema\.keyspaces /,
    reply: rows('system_schema', 'keyspaces', text('keyspace_name'), [
      ['system'],
      ['system_schema'],
      ...Object.keys(schema).map((k) => [k]),
    ]),
  },
  {
    request: /^QUERY SELECT keyspace_name, table_name FROM system_schema\.tables /,
    reply: rows('system_schema', 'tables', text('keyspace_name', 'table_name'), [['system', 'local'], ...tables.map(([k, t]) => [k, t])]),
  },
  {
    request: /^QUERY SELECT keyspace_name, table_name, column_name FROM system_schema\.columns /,
    reply: rows(
      'system_schema',
      'columns',
      text('keyspace_name', 'table_name', 'column_name'),
      tables.flatMap(([k, t]) => schema[k]![t]!.map((c) => [k, t, c])),
    ),
  },
  {
    request: /^QUERY SELECT .* FROM system\.size_estimates /,
    reply: rows(
      'system',
      'size_estimates',
      [...text('keyspace_name', 'table_name'), ['partitions_count', 'bigint'], ['mean_partition_size', 'bigint']],
      [
        ['shop', 'customers', 1000, 200],
        ['shop', 'customers', 500, 200],
      ],
    ),
  },
  // The sampled rows hold a secret: scanned, never in evidence. Other tables: refused.
  {
    request: 'QUERY SELECT * FROM "shop"."customers" LIMIT 5',
    reply: rows('shop', 'customers', text('id', 'email', 'password_hash'), [
      ['1', 'a@example.com', planted],
      ['2', 'b@example.com', '$2y$10$abcdefghijklmnopqrstuv'],
    ]),
  },
  { request: /^QUERY /, reply: error(0x2200, 'replay: unconfigured table') },
];
const metadataQueries = [
  /^QUERY SELECT release_version/,
  /system_schema\.keyspaces/,
  /system_schema\.tables/,
  /system_schema\.columns/,
  /system\.size_estimates/,
];
/** What the allow-all replay measures (cassandra.ts: user keyspaces only, size estimates summed per table). */
const allowAllShows = {
  evidence: {
    product: 'Cassandra',
    version: '5.0.3',
    reply: 'READY',
    proof: /^STARTUP/,
    notes: [/OPTIONS\/SUPPORTED needs no authentication/],
  },
  facts: { cqlVersions: ['3.4.7'], clusterName: 'Test Cluster' },
};
const allowAllItems = [
  { kind: 'keyspace', name: 'shop' },
  { kind: 'keyspace', name: 'metrics' },
  { kind: 'table', name: 'shop.customers', fields: ['id', 'email', 'password_hash'], rows: 1500, bytes: 300_000 },
  { kind: 'table', name: 'shop.orders', fields: ['id', 'customer_id', 'total'] },
  { kind: 'table', name: 'metrics.events', fields: ['day', 'ts', 'payload'] },
];

export default {
  probe: 'cassandra',
  describe,
  frameRequest: (buf) => (buf.length >= 9 && buf.length >= 9 + buf.readInt32BE(5) ? 9 + buf.readInt32BE(5) : undefined),
  // A RESULT frame announcing 8 MB - 1 of body.
  endless: {
    prefix: Buffer.concat([Buffer.from([0x84, 0, 0, 0, 0x06]), i32(8 * 1024 * 1024 - 1)]),
    source: 'a v4 frame header (native_protocol_v4.spec §2.5: bodies up to 256 MB) announcing 8 MB - 1',
  },
  cases: {
    'allow-all': {
      state: 'exposed',
      source: 'Cassandra 5.0.3 with the default AllowAllAuthenticator: READY to STARTUP, then the schema tables answered',
      exchanges: allowAll,
      expect: {
        status: 'exposed',
        ...allowAllShows,
        data: { items: allowAllItems, totals: { databases: 2, tables: 3, rows: 1500, bytes: 300_000 } },
        received: ['OPTIONS', /^STARTUP /, ...metadataQueries],
      },
    },
    'allow-all-sampled': {
      state: 'exposed',
      source: 'the allow-all replay with --sample 5: SELECT … LIMIT 5 on the sensitive-looking tables only',
      exchanges: allowAll,
      expect: {
        status: 'exposed',
        ...allowAllShows,
        // customers (email, password_hash), orders (customer_id) and events (a log-like name) all look sensitive.
        data: {
          sample: {
            // The planted key and the two addresses are counted; only redacted fingerprints leave.
            secrets: [
              { pattern: 'openai-key', count: 1 },
              { pattern: 'email', count: 2 },
            ],
            rows: 2,
            sources: ['shop.customers', 'shop.orders', 'metrics.events'],
          },
        },
        received: [
          'OPTIONS',
          /^STARTUP /,
          ...metadataQueries,
          ...['"shop"."customers"', '"shop"."orders"', '"metrics"."events"'].map((t) => `QUERY SELECT * FROM ${t} LIMIT 5`),
        ],
      },
      planted: [planted],
      sampleRows: 5,
    },
    'password-authenticator': {
      state: 'secured',
      source: 'AUTHENTICATE naming org.apache.cassandra.auth.PasswordAuthenticator (native_protocol_v4.spec §4.2.3)',
      exchanges: [
        { request: 'OPTIONS', reply: supported },
        { request: /^STARTUP /, reply: frame(0x03, str('org.apache.cassandra.auth.PasswordAuthenticator')) },
      ],
      expect: {
        status: 'auth-required',
        product: 'Cassandra',
        facts: { authenticator: 'org.apache.cassandra.auth.PasswordAuthenticator' },
        // Nothing after STARTUP.
        received: ['OPTIONS', /^STARTUP /],
      },
    },
    overloaded: {
      state: 'busy',
      source: 'ERROR 0x1001 Overloaded_error to STARTUP (native_protocol_v4.spec §9)',
      exchanges: [
        { request: 'OPTIONS', reply: supported },
        { request: /^STARTUP /, reply: error(0x1001, 'Server is in overloaded state. Cannot accept more requests at this point') },
      ],
      expect: { status: 'error', code: 'EA_BUSY', product: 'Cassandra' },
    },
    bootstrapping: {
      state: 'busy',
      source: 'ERROR 0x1002 Is_bootstrapping to OPTIONS (native_protocol_v4.spec §9)',
      exchanges: [{ request: 'OPTIONS', reply: error(0x1002, 'Cannot accept requests: node is bootstrapping') }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'Cassandra' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers binary (RFC 9112)',
      exchanges: [{ request: 'OPTIONS', reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
