import type { ProbeReplies } from '../src/probe-replies.js';

/**
 * CQL native protocol v4 responses (apache/cassandra doc/native_protocol_v4.spec §2 frame header, §4.2 SUPPORTED,
 * READY, AUTHENTICATE, ERROR; §9 error codes), each on the request's stream. SUPPORTED as Cassandra 5.0 sends it.
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
// Requests by opcode (byte 4 of a v4 request header), as describeWrite shows them.
const op = (code: number) => new RegExp(`^<\\d+ bytes 0400[0-9a-f]{4}${code.toString(16).padStart(2, '0')}`);

export default {
  probe: 'cassandra',
  frameRequest: (buf) => (buf.length >= 9 && buf.length >= 9 + buf.readInt32BE(5) ? 9 + buf.readInt32BE(5) : undefined),
  // A RESULT frame announcing 8 MB - 1 of body.
  endless: {
    prefix: Buffer.concat([Buffer.from([0x84, 0, 0, 0, 0x06]), i32(8 * 1024 * 1024 - 1)]),
    source: 'a v4 frame header (native_protocol_v4.spec §2.5: bodies up to 256 MB) announcing 8 MB - 1',
  },
  cases: {
    'allow-all': {
      state: 'exposed',
      source: 'Cassandra 5.0 with the default AllowAllAuthenticator: READY to STARTUP; metadata queries refused here (the proof is READY)',
      exchanges: [
        { request: op(0x05), reply: supported },
        { request: op(0x01), reply: frame(0x02, Buffer.alloc(0)) },
        { request: op(0x07), reply: error(0x2200, 'replay: no schema tables here') },
      ],
      expect: { status: 'exposed', product: 'Cassandra' },
    },
    'password-authenticator': {
      state: 'secured',
      source: 'AUTHENTICATE naming org.apache.cassandra.auth.PasswordAuthenticator (native_protocol_v4.spec §4.2.3)',
      exchanges: [
        { request: op(0x05), reply: supported },
        { request: op(0x01), reply: frame(0x03, str('org.apache.cassandra.auth.PasswordAuthenticator')) },
      ],
      expect: { status: 'auth-required', product: 'Cassandra' },
    },
    overloaded: {
      state: 'busy',
      source: 'ERROR 0x1001 Overloaded_error to STARTUP (native_protocol_v4.spec §9)',
      exchanges: [
        { request: op(0x05), reply: supported },
        { request: op(0x01), reply: error(0x1001, 'Server is in overloaded state. Cannot accept more requests at this point') },
      ],
      expect: { status: 'error', code: 'EA_BUSY', product: 'Cassandra' },
    },
    bootstrapping: {
      state: 'busy',
      source: 'ERROR 0x1002 Is_bootstrapping to OPTIONS (native_protocol_v4.spec §9)',
      exchanges: [{ request: op(0x05), reply: error(0x1002, 'Cannot accept requests: node is bootstrapping') }],
      expect: { status: 'error', code: 'EA_BUSY', product: 'Cassandra' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers binary (RFC 9112)',
      exchanges: [{ request: op(0x05), reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
