import { encodeString, varuint } from '../../src/protocols/clickhouse-native.js';
import type { Probe } from '../../src/probe.js';
import { cqlFrame, cqlStr, i32 } from './store-replays.js';

/**
 * Per-probe reply bytes for the hostile suite, as a server would write them. Probes without an entry get the
 * generic fallback for their transport, so a new probe is still covered by every hostile case (with bytes that
 * are merely plausible rather than its own protocol); `samplesFor` says which it got.
 */
export interface ReplySamples {
  /** A complete, valid-looking first reply: cut in half it is the "truncated" reply, dripped it is the slow one. */
  valid: Buffer;
  /** Bytes that keep this probe's parser waiting for more (a huge length prefix): endless streams start with it. */
  endlessPrefix: Buffer;
  /** A reply proving "credentials required", when known: used over real TLS to check the TLS paths end to end. */
  auth?: Buffer;
  /** The status `auth` must produce. */
  authStatus?: string;
  /** The server speaks first (MySQL's greeting): hostile peers act at accept instead of waiting for a request. */
  serverFirst?: boolean;
}

export function httpReply(status: number, headers: Record<string, string>, body: string | Buffer): Buffer {
  const b = Buffer.from(body);
  const reason = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 401: 'Unauthorized', 403: 'Forbidden' }[status] ?? 'Status';
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    `Content-Length: ${b.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

const chStr = (s: string) => [...encodeString(s)];
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return [...b];
};

/** One PostgreSQL backend message: type, Int32 length, body. */
function pg(type: string, body: Buffer | string): Buffer {
  const b = Buffer.from(body as string, typeof body === 'string' ? 'latin1' : undefined);
  const h = Buffer.alloc(5);
  h.write(type, 0, 'latin1');
  h.writeInt32BE(b.length + 4, 1);
  return Buffer.concat([h, b]);
}
const int32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
/** One MySQL packet: Int24 length, sequence id, payload. */
function my(seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
}
/** An OP_MSG reply to request 1 with a pre-encoded BSON body. */
function opMsg(bsonHex: string): Buffer {
  const body = Buffer.from(bsonHex, 'hex');
  const h = Buffer.alloc(21);
  h.writeInt32LE(21 + body.length, 0);
  h.writeInt32LE(99, 4);
  h.writeInt32LE(1, 8);
  h.writeInt32LE(2013, 12);
  return Buffer.concat([h, body]);
}
/** {ok: 1, maxWireVersion: 25} — a minimal MongoDB 8.0 hello reply. */
const helloBson = (() => {
  const el = (t: number, k: string, v: Buffer) => Buffer.concat([Buffer.from([t]), Buffer.from(`${k}\0`), v]);
  const i32 = (n: number) => Buffer.from(int32(n));
  const body = Buffer.concat([
    el(0x08, 'isWritablePrimary', Buffer.from([1])),
    el(0x10, 'maxWireVersion', i32(25)),
    el(0x10, 'ok', i32(1)),
  ]);
  return Buffer.concat([i32(body.length + 5), body, Buffer.from([0])]).toString('hex');
})();
/** MariaDB 10.11's Handshake v10 (5.5.5- prefix, mysql_native_password). */
const mariadbGreeting = my(
  0,
  Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from('5.5.5-10.11.19-MariaDB-0+deb12u1\0'),
    Buffer.from([3, 0, 0, 0]),
    Buffer.from('abcdefgh'),
    Buffer.from([0]),
    Buffer.from([0xfe, 0xf7]),
    Buffer.from([45]),
    Buffer.from([2, 0]),
    Buffer.from([0xff, 0x81]),
    Buffer.from([21]),
    Buffer.alloc(6),
    Buffer.from([0x1d, 0, 0, 0]),
    Buffer.from('ijklmnopqrst\0'),
    Buffer.from('mysql_native_password\0'),
  ]),
);

const known: Record<string, ReplySamples> = {
  mongodb: {
    valid: opMsg(helloBson),
    // A header announcing a 16 MB OP_MSG: the framer waits for it, the byte cap ends it.
    endlessPrefix: Buffer.from('00000001630000000100000' + '0dd070000', 'hex'),
  },
  postgres: {
    // AuthenticationOk, server_version, ReadyForQuery (a trust login).
    valid: Buffer.concat([pg('R', int32be(0)), pg('S', 'server_version\x0015.18\x00'), pg('Z', 'I')]),
    // An ErrorResponse announcing 64 KiB before authentication: past the cap before it completes.
    endlessPrefix: Buffer.concat([Buffer.from('E', 'latin1'), int32be(65_536)]),
    auth: pg('R', Buffer.concat([int32be(10), Buffer.from('SCRAM-SHA-256\0\0')])),
    authStatus: 'auth-required',
  },
  mysql: {
    valid: mariadbGreeting,
    // A greeting announcing 65,535 bytes: the framer waits, the 64 KiB cap ends it.
    endlessPrefix: Buffer.from([0xff, 0xff, 0x00, 0x00, 0x0a]),
    auth: my(
      0,
      Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), Buffer.from("Host '127.0.0.1' is not allowed to connect to this MariaDB server")]),
    ),
    authStatus: 'denied',
    serverFirst: true,
  },
  // MQTT 3.1.1 §3.2: CONNACK (0x20, remaining length 2, flags, return code); a remaining length of 127 keeps the
  // frame open. CONNACK 5 = not authorised.
  mqtt: {
    valid: Buffer.from([0x20, 0x02, 0x00, 0x00]),
    endlessPrefix: Buffer.from([0x20, 0x7f]),
    auth: Buffer.from([0x20, 0x02, 0x00, 0x05]),
    authStatus: 'auth-required',
  },
  memcached: {
    valid: Buffer.from('VERSION 1.6.18\r\n'),
    endlessPrefix: Buffer.from('STAT pid 1\r\nSTAT '),
    auth: Buffer.from('CLIENT_ERROR unauthenticated\r\n'),
    authStatus: 'auth-required',
  },
  redis: {
    valid: Buffer.from('+PONG\r\n'),
    endlessPrefix: Buffer.from('$999999999\r\n'),
    auth: Buffer.from('-NOAUTH Authentication required.\r\n'),
    authStatus: 'auth-required',
  },
  'clickhouse-native': {
    valid: Buffer.from([
      0,
      ...chStr('ClickHouse'),
      ...varuint(18),
      ...varuint(16),
      ...varuint(54412),
      ...chStr('Europe/Berlin'),
      ...chStr('audit-test'),
      ...varuint(1),
    ]),
    // Exception with a 1 MB stack trace announced: the parser waits for it, the byte cap ends it.
    endlessPrefix: Buffer.from([2, ...int32(516), 0, 0, ...varuint(1_000_000)]),
    auth: Buffer.from([2, ...int32(516), ...chStr('DB::Exception'), ...chStr('default: Authentication failed'), ...chStr(''), 0]),
    authStatus: 'auth-required',
  },
  'clickhouse-http': {
    valid: httpReply(
      200,
      { 'Content-Type': 'text/tab-separated-values; charset=UTF-8', 'X-ClickHouse-Server-Display-Name': 'audit-test' },
      '18.16.1\n',
    ),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values; charset=UTF-8\r\n\r\n18.16.1\n'),
    auth: httpReply(
      401,
      { 'X-ClickHouse-Exception-Code': '516', 'Content-Type': 'text/plain; charset=UTF-8' },
      'Code: 516. DB::Exception: default: Authentication failed: password is incorrect or there is no user with such name. (AUTHENTICATION_FAILED)\n',
    ),
    authStatus: 'auth-required',
  },
  elasticsearch: {
    valid: httpReply(
      200,
      { 'Content-Type': 'application/json', 'X-elastic-product': 'Elasticsearch' },
      JSON.stringify({
        name: 'n1',
        cluster_name: 'c',
        cluster_uuid: 'u',
        version: { number: '8.13.0', build_flavor: 'default' },
        tagline: 'You Know, for Search',
      }),
    ),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"name":"'),
    auth: httpReply(
      401,
      { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="security", charset="UTF-8"' },
      JSON.stringify({
        error: {
          root_cause: [{ type: 'security_exception', reason: 'missing authentication credentials for REST request [/]' }],
          type: 'security_exception',
          reason: 'missing authentication credentials for REST request [/]',
        },
        status: 401,
      }),
    ),
    authStatus: 'auth-required',
  },
  kibana: {
    valid: httpReply(
      200,
      { 'Content-Type': 'application/json', 'kbn-name': 'kibana' },
      JSON.stringify({ name: 'kibana', version: { number: '8.13.0' }, status: { overall: { level: 'available' } } }),
    ),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nkbn-name: kibana\r\n\r\n{"name":"'),
    auth: httpReply(
      401,
      { 'Content-Type': 'application/json', 'kbn-name': 'kibana' },
      JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' }),
    ),
    authStatus: 'auth-required',
  },
};

// Store probes (issue 11): CQL frames and Kafka sizes built by the store replays' encoders.
const cql = cqlFrame;
const be32 = i32;
const cqlSupported = cql(0, 0x06, Buffer.concat([Buffer.from([0, 1]), cqlStr('CQL_VERSION'), Buffer.from([0, 1]), cqlStr('3.4.7')]));
// Kafka ApiVersions v0 response (correlation 1): error 0, [ApiVersions 0–4, Metadata 0–12].
const kafkaApiVersions = (() => {
  const body = Buffer.from([0, 0, 0, 0, 0, 2, 0, 18, 0, 0, 0, 4, 0, 3, 0, 0, 0, 12]);
  return Buffer.concat([be32(body.length + 4), be32(1), body]);
})();
const s3Xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;

Object.assign(known, {
  influxdb: {
    valid: httpReply(
      200,
      { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.8.10' },
      JSON.stringify({ results: [{ statement_id: 0, series: [{ name: 'databases', columns: ['name'], values: [['telemetry']] }] }] }),
    ),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Influxdb-Version: 1.8.10\r\n\r\n{"results":['),
    auth: httpReply(
      401,
      { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.8.10' },
      '{"error":"unable to parse authentication credentials"}',
    ),
    authStatus: 'auth-required',
  },
  zookeeper: {
    valid: Buffer.from(
      'Zookeeper version: 3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 22:16 UTC\nLatency min/avg/max: 0/0.0/0\nReceived: 1\nSent: 0\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n',
    ),
    endlessPrefix: Buffer.from('Zookeeper version: 3.8.4, built on 2024-02-12 22:16 UTC\nLatency min/avg/max: '),
  },
  cassandra: {
    valid: cqlSupported,
    // A RESULT frame announcing 8 MB - 1 of body: the framer waits, the byte cap ends it.
    endlessPrefix: Buffer.concat([Buffer.from([0x84, 0, 0, 0, 0x06]), be32(8 * 1024 * 1024 - 1)]),
    // SUPPORTED (stream 0) then AUTHENTICATE (stream 1), as one write: the probe reads them in turn.
    auth: Buffer.concat([cqlSupported, cql(1, 0x03, cqlStr('org.apache.cassandra.auth.PasswordAuthenticator'))]),
    authStatus: 'auth-required',
  },
  kafka: {
    valid: kafkaApiVersions,
    endlessPrefix: Buffer.concat([be32(16 * 1024 * 1024 - 1), be32(1)]),
  },
  neo4j: {
    valid: httpReply(
      200,
      { 'Content-Type': 'application/json' },
      JSON.stringify({ results: [{ columns: ['1'], data: [{ row: [1], meta: [null] }] }], errors: [] }),
    ),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"results":['),
    auth: httpReply(
      401,
      { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="Neo4j"' },
      JSON.stringify({ errors: [{ code: 'Neo.ClientError.Security.Unauthorized', message: 'No authentication header supplied.' }] }),
    ),
    authStatus: 'auth-required',
  },
  loki: {
    valid: httpReply(200, { 'Content-Type': 'application/json' }, JSON.stringify({ status: 'success', data: ['job', 'app'] })),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"status":"success","data":['),
    auth: httpReply(401, { 'Content-Type': 'text/plain; charset=utf-8' }, 'no org id\n'),
    authStatus: 'auth-required',
  },
  s3: {
    valid: httpReply(
      200,
      { 'Content-Type': 'application/xml', Server: 'MinIO', 'X-Amz-Request-Id': '1799E4C7C3F1F3A2' },
      s3Xml('<ListAllMyBucketsResult><Buckets><Bucket><Name>backups</Name></Bucket></Buckets></ListAllMyBucketsResult>'),
    ),
    endlessPrefix: Buffer.from(
      'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nServer: MinIO\r\n\r\n<?xml version="1.0"?><ListAllMyBucketsResult>',
    ),
    auth: httpReply(
      403,
      { 'Content-Type': 'application/xml', Server: 'MinIO', 'X-Amz-Request-Id': '1799E4C7C3F1F3A2' },
      s3Xml(
        '<Error><Code>AccessDenied</Code><Message>Access Denied.</Message><Resource>/</Resource><RequestId>1799E4C7C3F1F3A2</RequestId></Error>',
      ),
    ),
    authStatus: 'auth-required',
  },
} satisfies Record<string, ReplySamples>);

const fallback: Record<Probe['meta']['transport'], ReplySamples> = {
  http: {
    valid: httpReply(200, { 'Content-Type': 'application/json' }, '{"status":"ok","version":"1.0.0"}'),
    endlessPrefix: Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>'),
  },
  tcp: {
    valid: Buffer.from('+PONG\r\n'),
    endlessPrefix: Buffer.alloc(0),
  },
};

export function samplesFor(probe: Probe): ReplySamples & { generic: boolean } {
  const k = known[probe.meta.id];
  return k ? { ...k, generic: false } : { ...fallback[probe.meta.transport], generic: true };
}

/** Deterministic garbage (a fixed LCG), so a failure reproduces byte for byte. */
export function garbage(n: number, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  // Never start like HTTP/RESP/TLS by accident.
  out[0] = 0xfe;
  return out;
}
