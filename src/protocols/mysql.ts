/**
 * MySQL / MariaDB client/server protocol, the parts a read-only probe needs
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html, …_connection_phase.html,
 * https://mariadb.com/kb/en/connection/). A packet is Int24 payload length, Int8 sequence id, payload.
 * Bounded: one packet at most 1 MiB (no multi-packet payloads are needed for metadata), one result set at most
 * 20,000 packets; strings are length-capped when decoded.
 */
const maxPacket = 1024 * 1024;
const maxPackets = 20_000;

export const CLIENT_LONG_PASSWORD = 0x1;
export const CLIENT_PROTOCOL_41 = 0x200;
export const CLIENT_TRANSACTIONS = 0x2000;
export const CLIENT_SECURE_CONNECTION = 0x8000;
export const CLIENT_PLUGIN_AUTH = 0x80000;

export interface Packet {
  seq: number;
  payload: Buffer;
}

function header(buf: Buffer, offset: number): { len: number; seq: number } | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUIntLE(offset, 3);
  if (len > maxPacket) throw new Error(`MySQL packet of ${len} bytes exceeds ${maxPacket}`);
  return { len, seq: buf[offset + 3]! };
}

/** Framer for one packet. */
export function framePacket(buf: Buffer): number | undefined {
  const h = header(buf, 0);
  if (!h) return undefined;
  return buf.length >= 4 + h.len ? 4 + h.len : undefined;
}

/**
 * Framer for the server's greeting: a Handshake v10 (first payload byte 0x0a) or an ERR packet (0xff, e.g. 1130
 * host not allowed) sent instead. Anything else is not MySQL; checked as soon as the bytes arrive.
 */
export function frameGreeting(buf: Buffer): number | undefined {
  if (buf.length >= 4) {
    const h = header(buf, 0)!;
    if (h.seq !== 0) throw new Error('greeting sequence id is not 0');
    if (h.len < 1 || h.len > 64 * 1024) throw new Error(`greeting of ${h.len} bytes`);
  }
  if (buf.length >= 5 && buf[4] !== 0x0a && buf[4] !== 0xff) throw new Error(`not a MySQL greeting: 0x${buf[4]!.toString(16)}`);
  return framePacket(buf);
}

export function packet(seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq & 0xff;
  return Buffer.concat([h, payload]);
}

export function parsePacket(buf: Buffer): Packet {
  const h = header(buf, 0);
  if (!h || buf.length < 4 + h.len) throw new Error('incomplete MySQL packet');
  return { seq: h.seq, payload: buf.subarray(4, 4 + h.len) };
}

function cstring(b: Buffer, offset: number, max: number): [string, number] {
  const end = b.indexOf(0, offset);
  if (end === -1) throw new Error('unterminated string');
  return [b.toString('utf8', offset, Math.min(end, offset + max)), end + 1];
}

export interface Handshake {
  protocol: number;
  serverVersion: string;
  connectionId: number;
  capabilities: number;
  authPlugin?: string;
}

/** Handshake v10 (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html). */
export function parseHandshake(p: Buffer): Handshake {
  if (p[0] !== 0x0a) throw new Error('not a protocol 10 handshake');
  const [serverVersion, o1] = cstring(p, 1, 120);
  if (o1 + 4 + 8 + 1 + 2 > p.length) throw new Error('short handshake');
  const connectionId = p.readUInt32LE(o1);
  let o = o1 + 4 + 8 + 1;
  let capabilities = p.readUInt16LE(o);
  o += 2;
  let authPlugin: string | undefined;
  if (o + 1 + 2 + 2 + 1 + 10 <= p.length) {
    o += 1 + 2; // charset, status
    capabilities |= p.readUInt16LE(o) << 16;
    o += 2;
    const authLen = p[o]!;
    o += 1 + 10;
    if (capabilities & CLIENT_SECURE_CONNECTION) o += Math.max(13, authLen - 8);
    if (capabilities & CLIENT_PLUGIN_AUTH && o < p.length) {
      const end = p.indexOf(0, o);
      authPlugin = p.toString('latin1', o, Math.min(end === -1 ? p.length : end, o + 64));
    }
  }
  return { protocol: 10, serverVersion, connectionId, capabilities: capabilities >>> 0, ...(authPlugin ? { authPlugin } : {}) };
}

/** MariaDB 10.x prefixes its version with `5.5.5-` for old clients (removed in 11.0): strip it. */
export function productVersion(serverVersion: string): { product: 'MariaDB' | 'MySQL'; version: string } {
  const v = serverVersion.replace(/^5\.5\.5-/, '');
  const product = /mariadb/i.test(v) ? 'MariaDB' : 'MySQL';
  return { product, version: /^\d+\.\d+(\.\d+|)/.exec(v)?.[0] ?? v.slice(0, 40) };
}

/**
 * HandshakeResponse41 for `user` with an EMPTY auth response (the empty password), no database, no TLS.
 * Capabilities: LONG_PASSWORD | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | PLUGIN_AUTH; charset utf8mb4.
 */
export function encodeHandshakeResponse(user: string, plugin = 'mysql_native_password'): Buffer {
  const caps = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(caps, 0);
  fixed.writeUInt32LE(16 * 1024 * 1024, 4);
  fixed[8] = 45; // utf8mb4_general_ci
  return packet(1, Buffer.concat([fixed, Buffer.from(`${user}\0`, 'utf8'), Buffer.from([0]), Buffer.from(`${plugin}\0`, 'latin1')]));
}

export interface ErrPacket {
  code: number;
  sqlState?: string;
  message: string;
}

/** ERR packet: 0xff, Int16 code, [# + 5-char SQLSTATE], message. */
export function parseErr(p: Buffer): ErrPacket {
  if (p[0] !== 0xff || p.length < 3) throw new Error('not an ERR packet');
  const code = p.readUInt16LE(1);
  let o = 3;
  let sqlState: string | undefined;
  if (p[3] === 0x23 && p.length >= 9) {
    sqlState = p.toString('latin1', 4, 9);
    o = 9;
  }
  return { code, ...(sqlState ? { sqlState } : {}), message: p.toString('utf8', o, Math.min(p.length, o + 300)) };
}

/** COM_QUERY (0x03) with the SQL text, sequence 0. */
export function encodeQuery(sql: string): Buffer {
  return packet(0, Buffer.concat([Buffer.from([0x03]), Buffer.from(sql, 'utf8')]));
}

/** The SQL of a COM_QUERY packet, or undefined. */
export function decodeQuery(buf: Buffer): string | undefined {
  if (buf.length < 5 || buf[4] !== 0x03 || buf.readUIntLE(0, 3) !== buf.length - 4) return undefined;
  return buf.toString('utf8', 5);
}

export const comQuit = packet(0, Buffer.from([0x01]));

/** Length-encoded integer: [value, next offset]; 0xfb (NULL) → null. */
function lenenc(b: Buffer, o: number): [number | null, number] {
  if (o >= b.length) throw new Error('short length-encoded integer');
  const f = b[o]!;
  if (f < 0xfb) return [f, o + 1];
  if (f === 0xfb) return [null, o + 1];
  if (f === 0xfc) {
    if (o + 3 > b.length) throw new Error('short length-encoded integer');
    return [b.readUInt16LE(o + 1), o + 3];
  }
  if (f === 0xfd) {
    if (o + 4 > b.length) throw new Error('short length-encoded integer');
    return [b.readUIntLE(o + 1, 3), o + 4];
  }
  if (f === 0xfe) {
    if (o + 9 > b.length) throw new Error('short length-encoded integer');
    const v = b.readBigUInt64LE(o + 1);
    if (v > BigInt(maxPacket)) throw new Error('length-encoded integer out of range');
    return [Number(v), o + 9];
  }
  throw new Error('0xff is not a length-encoded integer');
}

const isEof = (p: Buffer) => p[0] === 0xfe && p.length < 9;

/**
 * Framer for a COM_QUERY response (no CLIENT_DEPRECATE_EOF): OK or ERR alone, or column count, column
 * definitions, EOF, rows, EOF (or ERR). Returns the length of the whole response.
 */
export function frameQueryResponse(buf: Buffer): number | undefined {
  let o = 0;
  let stage: 'first' | 'columns' | 'rows' = 'first';
  let columns = 0;
  for (let n = 0; n <= maxPackets; n++) {
    const h = header(buf, o);
    if (!h || o + 4 + h.len > buf.length) return undefined;
    const p = buf.subarray(o + 4, o + 4 + h.len);
    o += 4 + h.len;
    if (stage === 'first') {
      if (p[0] === 0x00 || p[0] === 0xff) return o;
      const [count] = lenenc(p, 0);
      if (count === null || count < 1 || count > 4096) throw new Error(`bad column count ${count}`);
      columns = count;
      stage = 'columns';
    } else if (stage === 'columns') {
      if (p[0] === 0xff) return o;
      if (isEof(p)) {
        if (columns !== 0) throw new Error('EOF before every column definition');
        stage = 'rows';
      } else columns--;
    } else if (p[0] === 0xff || isEof(p)) return o;
  }
  throw new Error(`more than ${maxPackets} packets in one result`);
}

export interface ResultSet {
  rows: Array<Array<string | null>>;
  error?: ErrPacket;
}

/** Rows (text protocol: each column a length-encoded string or NULL) of a framed COM_QUERY response. */
export function parseQueryResponse(buf: Buffer): ResultSet {
  const packets: Buffer[] = [];
  for (let o = 0; o < buf.length && packets.length <= maxPackets;) {
    const h = header(buf, o)!;
    packets.push(buf.subarray(o + 4, o + 4 + h.len));
    o += 4 + h.len;
  }
  const first = packets[0];
  if (!first) throw new Error('empty response');
  if (first[0] === 0xff) return { rows: [], error: parseErr(first) };
  if (first[0] === 0x00) return { rows: [] };
  const [count] = lenenc(first, 0);
  let i = 1 + (count ?? 0);
  if (!packets[i] || !isEof(packets[i]!)) throw new Error('missing EOF after column definitions');
  i++;
  const out: ResultSet = { rows: [] };
  for (; i < packets.length; i++) {
    const p = packets[i]!;
    if (p[0] === 0xff) {
      out.error = parseErr(p);
      break;
    }
    if (isEof(p)) break;
    const row: Array<string | null> = [];
    let o = 0;
    for (let c = 0; c < (count ?? 0); c++) {
      const [len, next] = lenenc(p, o);
      if (len === null) {
        row.push(null);
        o = next;
        continue;
      }
      if (next + len > p.length) throw new Error('row value longer than its packet');
      row.push(p.toString('utf8', next, next + len));
      o = next + len;
    }
    out.rows.push(row);
  }
  return out;
}
