import { decodeQuery, decodeStartup } from '../src/protocols/postgres.js';
import type { ProbeReplies } from '../src/probe-replies.js';
import { sql } from './postgres.js';

/**
 * PostgreSQL backend messages (https://www.postgresql.org/docs/current/protocol-message-formats.html): Authentication
 * `R`, ParameterStatus `S`, ReadyForQuery `Z`, RowDescription `T`, DataRow `D`, CommandComplete `C`, ErrorResponse
 * `E`. Error texts and SQLSTATEs from PostgreSQL 15 (src/backend/utils/init/postinit.c, libpq/auth.c;
 * https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
const planted = 'AKIAFAKEPLANTED00042';
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
function msg(type: string, body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  return Buffer.concat([Buffer.from(type, 'latin1'), int32(b.length + 4), b]);
}
const ready = (state = 'I') => msg('Z', state);
const param = (k: string, v: string) => msg('S', `${k}\0${v}\0`);
/** A text-format result: RowDescription, one DataRow per row, CommandComplete, ReadyForQuery (in a transaction). */
function result(columns: string[], rows: Array<Array<string | null>>, tag = `SELECT ${rows.length}`): Buffer {
  const fields = columns.map((c) =>
    Buffer.concat([Buffer.from(`${c}\0`), int32(0), int16(0), int32(25), int16(-1 & 0xffff), int32(-1), int16(0)]),
  );
  const data = rows.map((r) =>
    msg(
      'D',
      Buffer.concat([
        int16(r.length),
        ...r.map((v) => (v === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(v)), Buffer.from(v)]))),
      ]),
    ),
  );
  return Buffer.concat([msg('T', Buffer.concat([int16(columns.length), ...fields])), ...data, msg('C', `${tag}\0`), ready('T')]);
}
function error(severity: string, code: string, message: string): Buffer {
  return msg('E', `S${severity}\0V${severity}\0C${code}\0M${message}\0\0`);
}
const trust = Buffer.concat([
  msg('R', int32(0)),
  param('server_version', '15.10 (Debian 15.10-0+deb12u1)'),
  param('is_superuser', 'on'),
  param('server_encoding', 'UTF8'),
  param('TimeZone', 'Etc/UTC'),
  ready(),
]);
const startup = /^StartupMessage user=postgres database=\S+ application_name=exposure-audit$/;
const q = (text: string) => `Query "${text}"`;
/** SSLRequest (Int32 8, Int32 80877103) as describeWrite records it. */
const sslRequestSent = '<8 bytes 0000000804d2162f>';

export default {
  probe: 'postgres',
  // A StartupMessage carries its own length (Int32, itself included); every later message has a type byte first.
  frameRequest: (buf) => {
    if (buf.length < 5) return undefined;
    const total = buf[0] === 0 ? buf.readUInt32BE(0) : 1 + buf.readUInt32BE(1);
    return buf.length >= total ? total : undefined;
  },
  describe: (b) => {
    const text = decodeQuery(b);
    if (text !== undefined) return q(text);
    const s = decodeStartup(b);
    return s ? `StartupMessage user=${s.user} database=${s.database} application_name=${s.application_name}` : undefined;
  },
  endless: {
    prefix: Buffer.concat([Buffer.from('E', 'latin1'), int32(65_536)]),
    source: 'an ErrorResponse (protocol-message-formats.html) announcing 64 KiB before authentication',
  },
  cases: {
    trust: {
      state: 'exposed',
      source: 'pg_hba.conf `trust`: AuthenticationOk then the ParameterStatus set PostgreSQL 15.10 (Debian 12) sends',
      exchanges: [
        { request: startup, reply: trust },
        { request: q(sql.begin), reply: Buffer.concat([msg('C', 'BEGIN\0'), ready('T')]) },
        {
          request: q(sql.databases),
          reply: result(
            ['datname', 'size'],
            [
              ['postgres', '7602659'],
              ['shop', '9000000'],
            ],
          ),
        },
        { request: q(sql.tables), reply: result(['nspname', 'relname', 'rows', 'bytes'], [['public', 'customers', '1200', '245760']]) },
        { request: q(sql.columns), reply: result(['schema', 'table', 'column'], [['public', 'customers', 'api_key']]) },
        // The sampled row holds a secret: scanned, never in evidence.
        { request: /^Query "SELECT \* FROM "public"."customers" LIMIT \d+"$/, reply: result(['api_key'], [[planted]]) },
        { request: q(sql.rollback), reply: Buffer.concat([msg('C', 'ROLLBACK\0'), ready()]) },
      ],
      expect: { status: 'exposed', product: 'PostgreSQL' },
      planted: [planted],
      sampleRows: 1,
    },
    'scram-sha-256': {
      state: 'secured',
      source: 'AuthenticationSASL (R 10) listing SCRAM-SHA-256, as PostgreSQL 15 asks for a scram-sha-256 pg_hba line',
      exchanges: [{ request: startup, reply: msg('R', Buffer.concat([int32(10), Buffer.from('SCRAM-SHA-256\0\0')])) }],
      expect: { status: 'auth-required', product: 'PostgreSQL' },
    },
    'no-hba-entry': {
      state: 'denied',
      source:
        'libpq/auth.c ClientAuthentication: 28000 "no pg_hba.conf entry for host …, no encryption" (PostgreSQL 15 wording); then, on a new connection, SSLRequest answered \'N\' as postmaster ProcessStartupPacket does with ssl=off (protocol-flow.html#PROTOCOL-FLOW-SSL)',
      exchanges: [
        {
          request: startup,
          reply: error('FATAL', '28000', 'no pg_hba.conf entry for host "127.0.9.2", user "postgres", database "postgres", no encryption'),
          close: true,
        },
        { request: sslRequestSent, reply: 'N', close: true },
      ],
      expect: { status: 'denied', product: 'PostgreSQL' },
    },
    'too-many-clients': {
      state: 'busy',
      source: 'postinit.c InitPostgres: 53300 too_many_connections "sorry, too many clients already"',
      exchanges: [{ request: startup, reply: error('FATAL', '53300', 'sorry, too many clients already'), close: true }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'PostgreSQL' },
    },
    'starting-up': {
      state: 'busy',
      source: 'postmaster canAcceptConnections: 57P03 cannot_connect_now "the database system is starting up"',
      exchanges: [{ request: startup, reply: error('FATAL', '57P03', 'the database system is starting up'), close: true }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'PostgreSQL' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers binary (RFC 9112)',
      exchanges: [{ request: startup, reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
