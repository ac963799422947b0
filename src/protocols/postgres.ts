/**
 * PostgreSQL frontend/backend protocol 3.0, the parts a read-only probe needs
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html).
 * Backend messages: Byte1 type, Int32 length (including itself), body. Bounded: one message at most 1 MiB, one
 * reply at most 20,000 messages; before authentication only `R` and `E` (a few KiB) are plausible.
 */
const maxMessage = 1024 * 1024;
const maxMessages = 20_000;

export interface PgMessage {
  type: string;
  body: Buffer;
}

/** StartupMessage: Int32 length, Int32 196608 (3.0), then name\0value\0 pairs and a final \0. */
export function encodeStartup(params: Record<string, string>): Buffer {
  const pairs = Buffer.from(
    Object.entries(params)
      .map(([k, v]) => `${k}\0${v}\0`)
      .join('') + '\0',
    'utf8',
  );
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + pairs.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, pairs]);
}

/** Simple Query ('Q'): one SQL string. */
export function encodeQuery(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('Q', 0, 'latin1');
  head.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([head, text]);
}

/** The parameters of a StartupMessage we wrote (for tests and the fuzz test's check of what was sent). */
export function decodeStartup(buf: Buffer): Record<string, string> | undefined {
  if (buf.length < 9 || buf.readInt32BE(0) !== buf.length || buf.readInt32BE(4) !== 196608 || buf[buf.length - 1] !== 0) return undefined;
  const parts = buf.toString('utf8', 8, buf.length - 1).split('\0');
  if (parts.length % 2 !== 1 || parts.pop() !== '') return undefined;
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i < parts.length; i += 2) out[parts[i]!] = parts[i + 1]!;
  return out;
}

/**
 * SSLRequest: Int32 8, Int32 80877103 (1234 << 16 | 5679). The server answers one byte, 'S' (go on with a TLS
 * handshake on this connection) or 'N' (no SSL: send the StartupMessage in plain), or an ErrorResponse if it
 * predates SSL (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL).
 */
export const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** The SSLRequest answer: one byte 'S' or 'N'; anything else cannot be PostgreSQL's answer to it. */
export function frameSslAnswer(buf: Buffer): number | undefined {
  if (!buf.length) return undefined;
  if (buf[0] !== 0x53 && buf[0] !== 0x4e) throw new Error(`SSLRequest answered with byte 0x${buf[0]!.toString(16)}`);
  return 1;
}

/** Terminate ('X'). */
export const terminate = Buffer.from([0x58, 0, 0, 0, 4]);

/** The SQL of a Query message (for logs and the fuzz test's check of what was written). */
export function decodeQuery(buf: Buffer): string | undefined {
  if (buf.length < 6 || buf[0] !== 0x51 || buf.readInt32BE(1) !== buf.length - 1 || buf[buf.length - 1] !== 0) return undefined;
  return buf.toString('utf8', 5, buf.length - 1);
}

/**
 * Walks backend messages from the start of `buf`, calling `last` on each complete one: the consumed length once
 * `last` says the reply is over, undefined when more bytes are needed. Throws when the bytes cannot be PostgreSQL;
 * the type byte is checked as soon as it arrives, so another protocol is refused from its first byte.
 */
function walk(buf: Buffer, last: (m: PgMessage, index: number) => boolean, preAuth: (index: number) => boolean): number | undefined {
  let offset = 0;
  for (let n = 0; n <= maxMessages; n++) {
    if (offset >= buf.length) return undefined;
    const code = buf[offset]!;
    const type = String.fromCharCode(code);
    const early = preAuth(n);
    if (early ? type !== 'R' && type !== 'E' && type !== 'N' : !/^[A-Za-z0-9]$/.test(type))
      throw new Error(`not a PostgreSQL message: type byte 0x${code.toString(16).padStart(2, '0')}`);
    if (offset + 5 > buf.length) return undefined;
    const len = buf.readInt32BE(offset + 1);
    if (len < 4 || len > (early ? 64 * 1024 : maxMessage)) throw new Error(`PostgreSQL message length ${len} out of range`);
    if (offset + 1 + len > buf.length) return undefined;
    const m = { type, body: buf.subarray(offset + 5, offset + 1 + len) };
    offset += 1 + len;
    if (last(m, n)) return offset;
  }
  throw new Error(`more than ${maxMessages} messages in one reply`);
}

/**
 * Framer for the server's answer to a StartupMessage: up to the message that ends the phase — `R` with a non-zero
 * code (a password is asked), `E` (refused), or `Z` (ReadyForQuery, after AuthenticationOk).
 */
export function frameStartupReply(buf: Buffer): number | undefined {
  let okAt = -1;
  return walk(
    buf,
    (m, i) => {
      if (m.type === 'E' || m.type === 'Z') return true;
      if (m.type === 'R') {
        if (m.body.length < 4) throw new Error('short Authentication message');
        if (m.body.readInt32BE(0) !== 0) return true;
        okAt = i;
      }
      return false;
    },
    () => okAt === -1,
  );
}

/** Framer for a simple-query reply: every message up to and including ReadyForQuery (`Z`). */
export function frameQueryReply(buf: Buffer): number | undefined {
  return walk(
    buf,
    (m) => m.type === 'Z',
    () => false,
  );
}

/** Every message of a framed reply (trailing partial bytes are ignored). */
export function parseMessages(buf: Buffer): PgMessage[] {
  const out: PgMessage[] = [];
  walk(
    buf,
    (m) => (out.push(m), false),
    () => false,
  );
  return out;
}

/** ErrorResponse / NoticeResponse fields: S severity, C SQLSTATE, M message… (values capped at 300 chars). */
export function parseFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  let offset = 0;
  for (let n = 0; n < 64 && offset < body.length && body[offset] !== 0; n++) {
    const code = String.fromCharCode(body[offset]!);
    const end = body.indexOf(0, offset + 1);
    if (end === -1) break;
    out[code] = body.toString('utf8', offset + 1, Math.min(end, offset + 1 + 300));
    offset = end + 1;
  }
  return out;
}

/** ParameterStatus: name\0value\0. */
export function parseParameter(body: Buffer): [string, string] | undefined {
  const a = body.indexOf(0);
  const b = a === -1 ? -1 : body.indexOf(0, a + 1);
  if (a === -1 || b === -1) return undefined;
  return [body.toString('utf8', 0, Math.min(a, 200)), body.toString('utf8', a + 1, Math.min(b, a + 1 + 200))];
}

/** DataRow: Int16 column count, then per column Int32 length (-1 = NULL) and bytes (text format). */
export function parseDataRow(body: Buffer): Array<string | null> {
  if (body.length < 2) throw new Error('short DataRow');
  const n = body.readInt16BE(0);
  if (n < 0) throw new Error('negative column count');
  const out: Array<string | null> = [];
  let offset = 2;
  for (let i = 0; i < n; i++) {
    if (offset + 4 > body.length) throw new Error('DataRow shorter than its columns');
    const len = body.readInt32BE(offset);
    offset += 4;
    if (len === -1) {
      out.push(null);
      continue;
    }
    if (len < 0 || offset + len > body.length) throw new Error('DataRow column length out of range');
    out.push(body.toString('utf8', offset, offset + len));
    offset += len;
  }
  return out;
}

export interface QueryResult {
  rows: Array<Array<string | null>>;
  error?: Record<string, string>;
}

/** Rows and the first error of a framed simple-query reply. */
export function parseQueryReply(buf: Buffer): QueryResult {
  const out: QueryResult = { rows: [] };
  for (const m of parseMessages(buf)) {
    if (m.type === 'D') out.rows.push(parseDataRow(m.body));
    else if (m.type === 'E' && !out.error) out.error = parseFields(m.body);
  }
  return out;
}
