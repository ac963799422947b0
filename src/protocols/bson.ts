/**
 * A small, bounded BSON codec (https://bsonspec.org/spec.html), written here rather than taking the `bson` npm
 * package: the probe needs to encode a handful of flat commands and decode replies from an untrusted peer, and the
 * decoder must refuse hostile nesting and sizes on its own terms (depth ≤ 32, ≤ 100,000 elements per reply,
 * every length checked against its container before it is used). Decoded documents have no prototype, so a
 * `__proto__` key from a peer is just a key.
 */
/** A value the probe never needs to read (ObjectId as hex, regex, code, decimal128, min/max key…): its type only. */
export class BsonOther {
  constructor(
    readonly type: number,
    readonly hex?: string,
  ) {}
}
export type BsonValue = number | bigint | string | boolean | null | undefined | Date | Buffer | BsonDoc | BsonValue[] | BsonOther;
export interface BsonDoc {
  [key: string]: BsonValue;
}

const maxDepth = 32;
const maxElements = 100_000;

/** Values the encoder takes: numbers (int32 when integral and in range, else double), strings, booleans, documents. */
export type EncodableValue = number | string | boolean | EncodableDoc;
export interface EncodableDoc {
  [key: string]: EncodableValue;
}

function cstring(s: string): Buffer {
  if (s.includes('\0')) throw new Error('BSON key contains NUL');
  return Buffer.from(`${s}\0`, 'utf8');
}

export function encodeBson(doc: EncodableDoc): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) {
        const b = Buffer.alloc(4);
        b.writeInt32LE(v);
        parts.push(Buffer.from([0x10]), cstring(k), b);
      } else {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(v);
        parts.push(Buffer.from([0x01]), cstring(k), b);
      }
    } else if (typeof v === 'string') {
      const s = Buffer.from(v, 'utf8');
      const len = Buffer.alloc(4);
      len.writeInt32LE(s.length + 1);
      parts.push(Buffer.from([0x02]), cstring(k), len, s, Buffer.from([0]));
    } else if (typeof v === 'boolean') {
      parts.push(Buffer.from([0x08]), cstring(k), Buffer.from([v ? 1 : 0]));
    } else {
      parts.push(Buffer.from([0x03]), cstring(k), encodeBson(v));
    }
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(4);
  head.writeInt32LE(body.length + 5);
  return Buffer.concat([head, body, Buffer.from([0])]);
}

class Decoder {
  elements = 0;
  constructor(readonly buf: Buffer) {}

  doc(offset: number, depth: number, asArray: boolean): { value: BsonDoc | BsonValue[]; end: number } {
    if (depth > maxDepth) throw new Error('BSON nesting too deep');
    const b = this.buf;
    if (offset + 5 > b.length) throw new Error('BSON document runs past its container');
    const size = b.readInt32LE(offset);
    const end = offset + size;
    if (size < 5 || end > b.length) throw new Error(`BSON document size ${size} out of range`);
    if (b[end - 1] !== 0) throw new Error('BSON document not NUL-terminated');
    const out: BsonDoc = Object.create(null);
    const arr: BsonValue[] = [];
    let o = offset + 4;
    while (o < end - 1) {
      if (++this.elements > maxElements) throw new Error(`more than ${maxElements} BSON elements`);
      const type = b[o++]!;
      const keyEnd = b.indexOf(0, o);
      if (keyEnd === -1 || keyEnd >= end) throw new Error('BSON key runs past its document');
      const key = b.toString('utf8', o, keyEnd);
      o = keyEnd + 1;
      const [value, next] = this.value(type, o, end, depth);
      if (next > end - 1) throw new Error('BSON value runs past its document');
      o = next;
      if (asArray) arr.push(value);
      else out[key] = value;
    }
    return { value: asArray ? arr : out, end };
  }

  value(type: number, o: number, end: number, depth: number): [BsonValue, number] {
    const b = this.buf;
    const need = (n: number) => {
      if (o + n > end) throw new Error('BSON value runs past its document');
    };
    switch (type) {
      case 0x01:
        need(8);
        return [b.readDoubleLE(o), o + 8];
      case 0x02:
      case 0x0d:
      case 0x0e: {
        need(4);
        const len = b.readInt32LE(o);
        if (len < 1 || o + 4 + len > end || b[o + 4 + len - 1] !== 0) throw new Error('bad BSON string');
        return [b.toString('utf8', o + 4, o + 4 + len - 1), o + 4 + len];
      }
      case 0x03:
      case 0x04: {
        const r = this.doc(o, depth + 1, type === 0x04);
        return [r.value, r.end];
      }
      case 0x05: {
        need(5);
        const len = b.readInt32LE(o);
        if (len < 0 || o + 5 + len > end) throw new Error('bad BSON binary');
        return [Buffer.from(b.subarray(o + 5, o + 5 + len)), o + 5 + len];
      }
      case 0x06:
      case 0x0a:
      case 0x7f:
      case 0xff:
        return [type === 0x06 ? undefined : type === 0x0a ? null : new BsonOther(type), o];
      case 0x07:
        need(12);
        return [new BsonOther(type, b.toString('hex', o, o + 12)), o + 12];
      case 0x08:
        need(1);
        return [b[o] !== 0, o + 1];
      case 0x09:
        need(8);
        return [new Date(Number(b.readBigInt64LE(o))), o + 8];
      case 0x0b: {
        const a = b.indexOf(0, o);
        const c = a === -1 ? -1 : b.indexOf(0, a + 1);
        if (a === -1 || c === -1 || c >= end) throw new Error('bad BSON regex');
        return [new BsonOther(type), c + 1];
      }
      case 0x0c: {
        need(4);
        const len = b.readInt32LE(o);
        if (len < 1 || o + 4 + len + 12 > end) throw new Error('bad BSON DBPointer');
        return [new BsonOther(type), o + 4 + len + 12];
      }
      case 0x0f: {
        need(4);
        const len = b.readInt32LE(o);
        if (len < 14 || o + len > end) throw new Error('bad BSON code with scope');
        return [new BsonOther(type), o + len];
      }
      case 0x10:
        need(4);
        return [b.readInt32LE(o), o + 4];
      case 0x11:
        need(8);
        return [b.readBigUInt64LE(o), o + 8];
      case 0x12: {
        need(8);
        const v = b.readBigInt64LE(o);
        return [v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v, o + 8];
      }
      case 0x13:
        need(16);
        return [new BsonOther(type), o + 16];
      default:
        throw new Error(`unknown BSON type 0x${type.toString(16)}`);
    }
  }
}

/** Decodes one BSON document that must fill `buf` exactly. Throws a plain Error on anything malformed. */
export function decodeBson(buf: Buffer): BsonDoc {
  const d = new Decoder(buf);
  const { value, end } = d.doc(0, 0, false);
  if (end !== buf.length) throw new Error('trailing bytes after the BSON document');
  return value as BsonDoc;
}

/** A number from an int32/int64/double field, when it is a finite safe integer-ish number. */
export function bsonNumber(v: BsonValue): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n) return Number(v);
  return undefined;
}

export function isDoc(v: BsonValue): v is BsonDoc {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date) && !(v instanceof BsonOther)
  );
}
