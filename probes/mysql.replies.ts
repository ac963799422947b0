import { decodeQuery } from '../src/protocols/mysql.js';
import { lengthPrefixed, type ProbeReplies } from '../src/probe-replies.js';
import { authSwitchAnswer, sql } from './mysql.js';

/**
 * MySQL/MariaDB packets (Int24 length, sequence id, payload): Handshake v10, OK, ERR, text result sets without
 * CLIENT_DEPRECATE_EOF (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html,
 * …/page_protocol_connection_phase.html, …/page_protocol_com_query_response_text_resultset.html). The greeting is
 * MariaDB 10.11.19's on Debian 12 (5.5.5- prefix); error numbers and texts from mysys/errmsg (ER_CON_COUNT_ERROR
 * 1040, ER_ACCESS_DENIED_ERROR 1045, ER_HOST_NOT_PRIVILEGED 1130, ER_TOO_MANY_USER_CONNECTIONS 1203).
 */
const planted = 'sk-proj-FAKE0000PLANTEDnotREALkey42';
function packet(seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
}
const lenstr = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);
const greeting = packet(
  0,
  Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from('5.5.5-10.11.19-MariaDB-0+deb12u1\0'),
    Buffer.from([3, 0, 0, 0]),
    Buffer.from('abcdefgh\0'),
    Buffer.from([0xfe, 0xf7, 45, 2, 0, 0xff, 0x81, 21]),
    Buffer.alloc(6),
    Buffer.from([0x1d, 0, 0, 0]),
    Buffer.from('ijklmnopqrst\0'),
    Buffer.from('mysql_native_password\0'),
  ]),
);
const ok = (seq: number) => packet(seq, Buffer.from([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]));
const err = (seq: number, code: number, state: string, message: string) =>
  packet(seq, Buffer.concat([Buffer.from([0xff, code & 0xff, code >> 8]), Buffer.from(`#${state}${message}`)]));
const eof = (seq: number) => packet(seq, Buffer.from([0xfe, 0, 0, 0x02, 0]));
/** A text result set: column count, definitions, EOF, rows, EOF. */
function resultSet(columns: string[], rows: string[][]): Buffer {
  let seq = 1;
  const parts = [packet(seq++, Buffer.from([columns.length]))];
  for (const c of columns)
    parts.push(
      packet(
        seq++,
        Buffer.concat([
          lenstr('def'),
          lenstr(''),
          lenstr(''),
          lenstr(''),
          lenstr(c),
          lenstr(c),
          Buffer.from([0x0c, 0x21, 0, 0, 1, 0, 0, 0xfd, 0, 0, 0, 0, 0]),
        ]),
      ),
    );
  parts.push(eof(seq++));
  for (const r of rows) parts.push(packet(seq++, Buffer.concat(r.map(lenstr))));
  parts.push(eof(seq++));
  return Buffer.concat(parts);
}
const login = /^<\d+ bytes /;
const q = (text: string) => `COM_QUERY "${text}"`;

export default {
  probe: 'mysql',
  frameRequest: lengthPrefixed(0, 3, { le: true, extra: 4 }),
  describe: (b) => {
    const text = decodeQuery(b);
    if (text !== undefined) return q(text);
    return b.length === 4 && b.readUIntLE(0, 3) === 0 ? authSwitchAnswer : undefined;
  },
  endless: {
    prefix: Buffer.from([0xff, 0xff, 0x00, 0x00, 0x0a]),
    source: 'a Handshake v10 packet header announcing 65,535 bytes (page_protocol_basic_packets.html)',
  },
  cases: {
    'empty-root-password': {
      state: 'exposed',
      source: 'MariaDB 10.11 with root@% and no password: greeting, OK to the login, then text result sets',
      exchanges: [
        { reply: greeting },
        { request: login, reply: ok(2) },
        { request: q(sql.schemata), reply: resultSet(['SCHEMA_NAME'], [['information_schema'], ['shop']]) },
        {
          request: q(sql.tables),
          reply: resultSet(
            ['TABLE_SCHEMA', 'TABLE_NAME', 'ENGINE', 'TABLE_ROWS', 'SIZE'],
            [['shop', 'customers', 'InnoDB', '1200', '262144']],
          ),
        },
        { request: q(sql.columns), reply: resultSet(['TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME'], [['shop', 'customers', 'api_key']]) },
        // The sampled row holds a secret: scanned, never in evidence.
        { request: /^COM_QUERY "SELECT \* FROM `shop`\.`customers` LIMIT \d+"$/, reply: resultSet(['api_key'], [[planted]]) },
        { request: /^<5 bytes 0100000001>$/, close: true },
      ],
      expect: { status: 'exposed', product: 'MariaDB' },
      planted: [planted],
      sampleRows: 1,
    },
    'password-set': {
      state: 'secured',
      source: 'ER_ACCESS_DENIED_ERROR 1045 (28000) as MariaDB 10.11 words it',
      exchanges: [
        { reply: greeting },
        { request: login, reply: err(2, 1045, '28000', "Access denied for user 'root'@'127.0.9.1' (using password: NO)") },
      ],
      expect: { status: 'auth-required', product: 'MariaDB' },
    },
    'host-not-privileged': {
      state: 'denied',
      source: 'ER_HOST_NOT_PRIVILEGED 1130, sent instead of the greeting (no SQLSTATE marker before the protocol is agreed)',
      exchanges: [
        {
          reply: packet(
            0,
            Buffer.concat([
              Buffer.from([0xff, 0x6a, 0x04]),
              Buffer.from("Host '127.0.9.1' is not allowed to connect to this MariaDB server"),
            ]),
          ),
          close: true,
        },
      ],
      expect: { status: 'denied', product: 'MariaDB' },
    },
    'too-many-connections': {
      state: 'busy',
      source: 'ER_CON_COUNT_ERROR 1040 "Too many connections", sent instead of the greeting when max_connections is reached',
      exchanges: [{ reply: packet(0, Buffer.concat([Buffer.from([0xff, 0x10, 0x04]), Buffer.from('Too many connections')])), close: true }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'MySQL' },
    },
    'user-connection-limit': {
      state: 'busy',
      source: 'ER_TOO_MANY_USER_CONNECTIONS 1203, raised only after the password was accepted (sql_authentication.cc acl_authenticate)',
      exchanges: [
        { reply: greeting },
        { request: login, reply: err(2, 1203, '42000', "User root already has more than 'max_user_connections' active connections") },
      ],
      expect: { status: 'exposed', product: 'MariaDB' },
    },
    'ssh-banner': {
      state: 'not-this-protocol',
      source: 'another server that speaks first: the SSH identification string (RFC 4253 §4.2) of OpenSSH 9.2p1 on Debian 12',
      exchanges: [{ reply: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
