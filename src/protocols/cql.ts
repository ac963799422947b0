/**
 * Cassandra CQL native protocol v4, the client side of the few frames a read-only probe needs: OPTIONS, STARTUP,
 * QUERY (SELECT only) and the server's SUPPORTED / READY / AUTHENTICATE / ERROR / RESULT replies.
 * Spec: apache/cassandra doc/native_protocol_v4.spec (§2 frame header, §3 notations, §4.1/4.2 messages).
 * v4 is spoken by every Cassandra since 2.2, including 4.x and 5.0 (which also speak v5; v5 switches to
 * checksummed segments after STARTUP, so we stay on v4), and by ScyllaDB.
 *
 * Every length the server sends is bounded here: a frame body by `maxCqlBody`, strings by their own length
 * against the remaining body, counts by the bytes left (a count can never exceed the bytes it needs).
 */
import { BoundedReader } from './bounded-reader.js';

export const cqlVersion = 0x04;
export const cqlOpcodes = {
  ERROR: 0x00,
  STARTUP: 0x01,
  READY: 0x02,
  AUTHENTICATE: 0x03,
  OPTIONS: 0x05,
  SUPPORTED: 0x06,
  QUERY: 0x07,
  RESULT: 0x08,
  EVENT: 0x0c,
  AUTH_CHALLENGE: 0x0e,
  AUTH_SUCCESS: 0x10,
} as const;
const knownOpcodes = new Set<number>(Object.values(cqlOpcodes));
export const maxCqlBody = 8 * 1024 * 1024;

/** Consistency ONE ([short] 0x0001, spec §3). */
const consistencyOne = 0x0001;
/** QUERY flag 0x04: a page size follows (spec §4.1.4). */
const flagPageSize = 0x04;

export interface CqlFrame {
  version: number;
  flags: number;
  stream: number;
  opcode: number;
  body: Buffer;
}

function header(opcode: number, stream: number, bodyLength: number): Buffer {
  const h = Buffer.alloc(9);
  h[0] = cqlVersion; // request direction bit clear
  h[1] = 0; // no compression, no tracing
  h.writeInt16BE(stream, 2);
  h[4] = opcode;
  h.writeInt32BE(bodyLength, 5);
  return h;
}

function cqlString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

function cqlLongString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(4);
  len.writeInt32BE(b.length);
  return Buffer.concat([len, b]);
}

export function encodeOptions(stream = 0): Buffer {
  return header(cqlOpcodes.OPTIONS, stream, 0);
}

/** STARTUP with a [string map] of one entry, CQL_VERSION (spec §4.1.1). No compression is requested. */
export function encodeStartup(cqlVer: string, stream = 1): Buffer {
  const n = Buffer.alloc(2);
  n.writeUInt16BE(1);
  const body = Buffer.concat([n, cqlString('CQL_VERSION'), cqlString(cqlVer)]);
  return Buffer.concat([header(cqlOpcodes.STARTUP, stream, body.length), body]);
}

/** QUERY <long string><consistency ONE><flags: page size><page size> (spec §4.1.4). */
export function encodeQuery(cql: string, stream: number, pageSize = 1000): Buffer {
  const tail = Buffer.alloc(7);
  tail.writeUInt16BE(consistencyOne, 0);
  tail[2] = flagPageSize;
  tail.writeInt32BE(pageSize, 3);
  const body = Buffer.concat([cqlLongString(cql), tail]);
  return Buffer.concat([header(cqlOpcodes.QUERY, stream, body.length), body]);
}

/**
 * Framer for server frames: undefined until the 9-byte header and the body are in, the frame's length after.
 * Throws when the bytes cannot be a CQL response (direction bit, version, opcode, length), so a wrong service
 * reads as one, not as a wait for a length that never comes.
 */
export function frameCql(buf: Buffer): number | undefined {
  if (buf.length < 1) return undefined;
  const v = buf[0]!;
  if ((v & 0x80) === 0 || (v & 0x7f) < 1 || (v & 0x7f) > 6) throw new Error(`not a CQL response frame (version byte 0x${v.toString(16)})`);
  if (buf.length < 9) return undefined;
  const opcode = buf[4]!;
  if (!knownOpcodes.has(opcode)) throw new Error(`unknown CQL opcode 0x${opcode.toString(16)}`);
  const len = buf.readInt32BE(5);
  if (len < 0 || len > maxCqlBody) throw new Error(`CQL body length ${len} out of range`);
  return buf.length >= 9 + len ? 9 + len : undefined;
}

export function parseCqlFrame(buf: Buffer): CqlFrame {
  if (buf.length < 9) throw new Error('short CQL frame');
  const len = buf.readInt32BE(5);
  if (len < 0 || 9 + len > buf.length) throw new Error('CQL frame length beyond the buffer');
  return { version: buf[0]! & 0x7f, flags: buf[1]!, stream: buf.readInt16BE(2), opcode: buf[4]!, body: buf.subarray(9, 9 + len) };
}

/** Bounded cursor over a frame body; every read checks the bytes left and throws a plain Error past the end. */
export class CqlReader extends BoundedReader {
  constructor(buf: Buffer) {
    super(buf, { protocol: 'CQL', message: 'frame body' });
  }
  /** [string]: short length, then UTF-8. */
  string(max = 64 * 1024): string {
    const n = this.u16();
    if (n > max) throw new Error(`CQL string of ${n} bytes exceeds ${max}`);
    return this.utf8(n);
  }
  /** [bytes]: int length, negative = null. */
  bytes(): Buffer | null {
    const n = this.i32();
    return n < 0 ? null : this.slice(n);
  }
  /** A count of items each at least `minItemBytes` long cannot exceed the bytes left: refuse it before looping. */
  count(n: number, minItemBytes: number): number {
    return this.fits(n, minItemBytes, `count ${n}`);
  }
}

/** SUPPORTED: [string multimap] (spec §4.2.4). Keys come from the server: a null-prototype record. */
export function parseSupported(body: Buffer): Record<string, string[]> {
  const r = new CqlReader(body);
  const out: Record<string, string[]> = Object.create(null);
  const n = r.count(r.u16(), 4);
  for (let i = 0; i < n; i++) {
    const key = r.string(256);
    const m = r.count(r.u16(), 2);
    const values: string[] = [];
    for (let j = 0; j < m; j++) values.push(r.string(256));
    out[key] = values.slice(0, 32);
  }
  return out;
}

/** AUTHENTICATE: [string] authenticator class (spec §4.2.3). */
export function parseAuthenticate(body: Buffer): string {
  return new CqlReader(body).string(512);
}

/** ERROR: [int] code, [string] message (spec §9). */
export function parseError(body: Buffer): { code: number; message: string } {
  const r = new CqlReader(body);
  const code = r.i32();
  return { code, message: r.string().slice(0, 500) };
}

export interface CqlRows {
  columns: Array<{ name: string; type: number }>;
  rows: Array<Array<Buffer | null>>;
  /** The server has more pages (metadata flag 0x0002): the listing was cut at the page size. */
  morePages: boolean;
}

/** Skips one [option] type description (spec §4.2.5.2), bounded in nesting. */
function skipType(r: CqlReader, depth = 0): number {
  if (depth > 16) throw new Error('CQL type nesting too deep');
  const id = r.u16();
  switch (id) {
    case 0x0000:
      r.string();
      break;
    case 0x0020:
    case 0x0022:
      skipType(r, depth + 1);
      break;
    case 0x0021:
      skipType(r, depth + 1);
      skipType(r, depth + 1);
      break;
    case 0x0030: {
      r.string();
      r.string();
      const n = r.count(r.u16(), 4);
      for (let i = 0; i < n; i++) {
        r.string();
        skipType(r, depth + 1);
      }
      break;
    }
    case 0x0031: {
      const n = r.count(r.u16(), 2);
      for (let i = 0; i < n; i++) skipType(r, depth + 1);
      break;
    }
    default:
      if (id > 0x0031) throw new Error(`unknown CQL type id 0x${id.toString(16)}`);
  }
  return id;
}

/** RESULT: kind Rows (0x0002) → columns and raw cells; any other kind → undefined (spec §4.2.5). */
export function parseRows(body: Buffer, maxRows = 5000): CqlRows | undefined {
  const r = new CqlReader(body);
  const kind = r.i32();
  if (kind !== 0x0002) return undefined;
  const flags = r.i32();
  const colCount = r.count(r.i32(), 0);
  if (colCount > 1024) throw new Error(`CQL column count ${colCount} out of range`);
  const global = (flags & 0x0001) !== 0;
  const morePages = (flags & 0x0002) !== 0;
  if (morePages) r.bytes(); // paging state
  const columns: CqlRows['columns'] = [];
  if ((flags & 0x0004) === 0) {
    if (global) {
      r.string();
      r.string();
    }
    for (let i = 0; i < colCount; i++) {
      if (!global) {
        r.string();
        r.string();
      }
      const name = r.string(512);
      columns.push({ name, type: skipType(r) });
    }
  }
  const rowCount = r.count(r.i32(), colCount * 4);
  const rows: CqlRows['rows'] = [];
  for (let i = 0; i < rowCount && i < maxRows; i++) {
    const row: Array<Buffer | null> = [];
    for (let c = 0; c < colCount; c++) row.push(r.bytes());
    rows.push(row);
  }
  return { columns, rows, morePages: morePages || rowCount > maxRows };
}

/** text/varchar cell → string (capped); bigint cell → number; anything else undefined. */
export function cellText(b: Buffer | null | undefined, max = 256): string | undefined {
  return b ? b.toString('utf8', 0, Math.min(b.length, max)) : undefined;
}
export function cellBigint(b: Buffer | null | undefined): number | undefined {
  if (!b || b.length !== 8) return undefined;
  return Number(b.readBigInt64BE(0));
}
