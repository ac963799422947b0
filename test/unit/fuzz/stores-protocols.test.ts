import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBson, encodeBson } from '../../../src/protocols/bson.js';
import { frameMemcached, parseStats } from '../../../src/protocols/memcached.js';
import { encodeOpMsg, frameOpMsg, parseOpMsg } from '../../../src/protocols/mongodb.js';
import * as my from '../../../src/protocols/mysql.js';
import * as pg from '../../../src/protocols/postgres.js';
import { bson, long, opMsg, type W } from '../../support/mongodb-replay.js';
import { expectCleanPrototype, expectFramerContract, expectPrefixConsistent, runFramer, runs } from '../../support/fuzz.js';

/**
 * The wire parsers of the MongoDB, PostgreSQL, MySQL and memcached probes on arbitrary and near-valid bytes:
 * framers keep tcp.ts's contract (need-more, a frame within the input, or a plain Error), decisions are stable as
 * bytes arrive, decoders never throw anything but a plain Error, never recurse without bound, and never pollute
 * Object.prototype; what the encoders write decodes back.
 */
const anyBytes = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));
const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'ok', 'name', 'n', ''),
  fc.string({ maxLength: 8 }).filter((k) => !k.includes('\0')),
);
const leaf: fc.Arbitrary<W> = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d) || Math.abs(d) >= 2 ** 31),
  fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0')),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => ({ $long: b })),
);
const doc: fc.Arbitrary<{ [k: string]: W }> = fc.letrec<{ d: { [k: string]: W }; v: W }>((tie) => ({
  d: fc.array(fc.tuple(key, tie('v')), { maxLength: 5 }).map((kv) => {
    const o: { [k: string]: W } = {};
    for (const [k, v] of kv) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
    return o;
  }),
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('d'), fc.array(tie('v'), { maxLength: 4 })),
})).d;

/** What decodeBson gives back for a written value. */
function expected(v: W): unknown {
  if (Array.isArray(v)) return v.map(expected);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    if ('$long' in v && typeof v.$long === 'bigint') {
      const b = v.$long;
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    const o: Record<string, unknown> = Object.create(null);
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(o, k, { value: expected(x as W), enumerable: true, configurable: true, writable: true });
    return o;
  }
  return v;
}

function plainErrorOnly(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    expect((err as Error).constructor, String(err)).toBe(Error);
  }
}

describe('BSON (fast-check)', () => {
  it('round-trips documents written like MongoDB writes them (int32, double, int64, strings, arrays, nesting)', () => {
    fc.assert(
      fc.property(doc, (d) => {
        expect(decodeBson(bson(d))).toEqual(expected(d));
        expectCleanPrototype();
      }),
      { numRuns: runs(1000) },
    );
  });

  it('arbitrary and mutated bytes: a plain Error or a document, never another throw, never slow', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyBytes,
          fc.tuple(doc, fc.nat(), fc.nat(255)).map(([d, i, b]) => {
            const buf = Buffer.from(bson(d));
            buf[i % buf.length] = b;
            return buf;
          }),
        ),
        (buf) => {
          const t0 = performance.now();
          plainErrorOnly(() => decodeBson(buf));
          expect(performance.now() - t0).toBeLessThan(250);
          expectCleanPrototype();
        },
      ),
      { numRuns: runs(3000) },
    );
  });

  it('a nesting bomb (10,000 levels) is refused with a plain Error, not a stack overflow', () => {
    let inner = Buffer.from([5, 0, 0, 0, 0]);
    for (let i = 0; i < 10_000; i++) {
      const body = Buffer.concat([Buffer.from([0x03, 0x61, 0]), inner]);
      const h = Buffer.alloc(4);
      h.writeInt32LE(body.length + 5);
      inner = Buffer.concat([h, body, Buffer.from([0])]);
    }
    expect(() => decodeBson(inner)).toThrow(/too deep/);
  });

  it('encodeBson writes what decodeBson reads', () => {
    const cmd = { listCollections: 1, nameOnly: true, $db: 'shop', x: { y: 2.5 } };
    expect({ ...decodeBson(encodeBson(cmd)) }).toEqual({ listCollections: 1, nameOnly: true, $db: 'shop', x: expect.anything() });
  });
});

describe('OP_MSG framer (fast-check)', () => {
  const msgs = fc.oneof(
    anyBytes,
    fc.tuple(fc.nat(1000), doc).map(([id, d]) => opMsg(id, d)),
    fc.tuple(fc.nat(), doc).map(([id, d]) => encodeOpMsg(id % 1000, { hello: 1, $db: 'admin', n: d.n === undefined ? 1 : 2 })),
  );
  it('keeps the framer contract, is prefix-consistent, and parseOpMsg throws only plain Errors', () => {
    fc.assert(
      fc.property(msgs, fc.nat(), (buf, k) => {
        const full = runFramer(frameOpMsg, buf);
        expectFramerContract(full, buf);
        expectPrefixConsistent(runFramer(frameOpMsg, buf.subarray(0, buf.length ? k % (buf.length + 1) : 0)), full);
        if (full.kind === 'frame') plainErrorOnly(() => parseOpMsg(buf.subarray(0, full.n)));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('a reply written by the replay server parses back to its body', () => {
    fc.assert(
      fc.property(fc.nat(1000), doc, (id, d) => {
        const m = opMsg(id, { ...d, cursor: { id: long(0), firstBatch: [{ name: 'c' }] } });
        expect(runFramer(frameOpMsg, m)).toEqual({ kind: 'frame', n: m.length });
        expect(parseOpMsg(m).responseTo).toBe(id);
      }),
      { numRuns: runs(500) },
    );
  });
});

// ---- PostgreSQL ----

function pgMsg(type: string, body: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.write(type, 0, 'latin1');
  h.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([h, body]);
}
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cell = fc.option(fc.string({ maxLength: 12 }), { nil: null });
function dataRow(cells: Array<string | null>): Buffer {
  const parts = [Buffer.from([cells.length >> 8, cells.length & 0xff])];
  for (const c of cells) {
    if (c === null) parts.push(i32(-1));
    else {
      const b = Buffer.from(c);
      parts.push(i32(b.length), b);
    }
  }
  return pgMsg('D', Buffer.concat(parts));
}
const pgStartup = fc.oneof(
  fc.constant(
    Buffer.concat([
      pgMsg('R', i32(0)),
      pgMsg('S', Buffer.from('server_version\x0015.18\x00')),
      pgMsg('K', Buffer.alloc(8)),
      pgMsg('Z', Buffer.from('I')),
    ]),
  ),
  fc
    .constantFrom(3, 5, 10, 7)
    .map((c) => pgMsg('R', Buffer.concat([i32(c), Buffer.from(c === 10 ? 'SCRAM-SHA-256\0\0' : c === 5 ? 'salt' : '')]))),
  fc.constantFrom('28000', '28P01', '3D000', '53300').map((c) => pgMsg('E', Buffer.from(`SFATAL\0C${c}\0Mno pg_hba.conf entry\0\0`))),
);
const pgRows = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 6 });
const pgQueryReply = pgRows.map((rows) =>
  Buffer.concat([
    pgMsg('T', Buffer.from([0, 0])),
    ...rows.map(dataRow),
    pgMsg('C', Buffer.from('SELECT 1\0')),
    pgMsg('Z', Buffer.from('T')),
  ]),
);

describe('PostgreSQL framers and decoders (fast-check)', () => {
  it.each([
    ['startup', pg.frameStartupReply, pgStartup],
    ['query', pg.frameQueryReply, pgQueryReply],
  ] as const)('%s framer: contract, prefix consistency, every strict prefix of a valid reply needs more', (_n, framer, valid) => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, valid), fc.nat(), (buf, k) => {
        const full = runFramer(framer, buf);
        expectFramerContract(full, buf);
        expectPrefixConsistent(runFramer(framer, buf.subarray(0, buf.length ? k % (buf.length + 1) : 0)), full);
      }),
      { numRuns: runs(2000) },
    );
    fc.assert(
      fc.property(valid, (buf) => {
        expect(runFramer(framer, buf)).toEqual({ kind: 'frame', n: buf.length });
        for (let i = 0; i < buf.length; i++) expect(runFramer(framer, buf.subarray(0, i)).kind).toBe('need');
      }),
      { numRuns: runs(300) },
    );
  });

  it('query replies decode back to their rows; mutated ones throw only plain Errors', () => {
    fc.assert(
      fc.property(pgRows, fc.nat(), fc.nat(255), (rows, i, b) => {
        const buf = Buffer.concat([pgMsg('T', Buffer.from([0, 0])), ...rows.map(dataRow), pgMsg('Z', Buffer.from('I'))]);
        expect(pg.parseQueryReply(buf).rows).toEqual(rows);
        const bad = Buffer.from(buf);
        bad[i % bad.length] = b;
        plainErrorOnly(() => pg.parseQueryReply(bad));
        plainErrorOnly(() => pg.parseFields(bad));
        expectCleanPrototype();
      }),
      { numRuns: runs(1000) },
    );
  });

  it('encodeQuery and decodeQuery agree', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }).filter((s) => !s.includes('\0')),
        (q) => {
          expect(pg.decodeQuery(pg.encodeQuery(q))).toBe(q);
        },
      ),
      { numRuns: runs(300) },
    );
  });
});

// ---- MySQL ----

const myPkt = (seq: number, payload: Buffer) => my.packet(seq, payload);
function lenencStr(s: string | null): Buffer {
  if (s === null) return Buffer.from([0xfb]);
  const b = Buffer.from(s);
  return Buffer.concat([b.length < 251 ? Buffer.from([b.length]) : Buffer.from([0xfc, b.length & 0xff, b.length >> 8]), b]);
}
const eof = (seq: number) => myPkt(seq, Buffer.from([0xfe, 0, 0, 2, 0]));
function resultSet(cols: number, rows: Array<Array<string | null>>): Buffer {
  const out = [myPkt(1, Buffer.from([cols]))];
  for (let c = 0; c < cols; c++)
    out.push(
      myPkt(
        2 + c,
        Buffer.concat([lenencStr('def'), lenencStr('db'), lenencStr('t'), lenencStr('t'), lenencStr(`c${c}`), lenencStr(`c${c}`)]),
      ),
    );
  out.push(eof(2 + cols));
  rows.forEach((r, i) => out.push(myPkt(3 + cols + i, Buffer.concat(r.map(lenencStr)))));
  out.push(eof(3 + cols + rows.length));
  return Buffer.concat(out);
}
const myRows = fc
  .integer({ min: 1, max: 4 })
  .chain((cols) => fc.tuple(fc.constant(cols), fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { maxLength: 6 })));

describe('MySQL framers and decoders (fast-check)', () => {
  it('result sets frame whole and decode back to their rows; strict prefixes need more', () => {
    fc.assert(
      fc.property(myRows, ([cols, rows]) => {
        const buf = resultSet(cols, rows);
        expect(runFramer(my.frameQueryResponse, buf)).toEqual({ kind: 'frame', n: buf.length });
        for (let i = 0; i < buf.length; i += 3) expect(runFramer(my.frameQueryResponse, buf.subarray(0, i)).kind).toBe('need');
        expect(my.parseQueryResponse(buf).rows).toEqual(rows);
      }),
      { numRuns: runs(500) },
    );
  });

  it.each([
    ['greeting', my.frameGreeting],
    ['packet', my.framePacket],
    ['query response', my.frameQueryResponse],
  ] as const)('%s framer on arbitrary and mutated bytes: contract and prefix consistency', (_n, framer) => {
    const mutated = fc.tuple(myRows, fc.nat(), fc.nat(255)).map(([[c, r], i, b]) => {
      const buf = resultSet(c, r);
      buf[i % buf.length] = b;
      return buf;
    });
    fc.assert(
      fc.property(fc.oneof(anyBytes, mutated), fc.nat(), (buf, k) => {
        const full = runFramer(framer, buf);
        expectFramerContract(full, buf);
        expectPrefixConsistent(runFramer(framer, buf.subarray(0, buf.length ? k % (buf.length + 1) : 0)), full);
        if (full.kind === 'frame' && framer === my.frameQueryResponse) plainErrorOnly(() => my.parseQueryResponse(buf.subarray(0, full.n)));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('handshake and ERR decoders throw only plain Errors on arbitrary payloads', () => {
    fc.assert(
      fc.property(anyBytes, fc.boolean(), (buf, asHandshake) => {
        const p = Buffer.concat([Buffer.from([asHandshake ? 0x0a : 0xff]), buf]);
        plainErrorOnly(() => my.parseHandshake(p));
        plainErrorOnly(() => my.parseErr(p));
      }),
      { numRuns: runs(2000) },
    );
  });
});

// ---- memcached ----

describe('memcached framer (fast-check)', () => {
  const statsText = fc
    .array(fc.tuple(fc.constantFrom('pid', 'curr_items', 'bytes', '__proto__', 'items:1:number'), fc.nat().map(String)), { maxLength: 10 })
    .map((kv) => Buffer.from(`${kv.map(([k, v]) => `STAT ${k} ${v}\r\n`).join('')}END\r\n`));
  it('contract, prefix consistency, STAT blocks frame whole, parseStats keeps the prototype clean', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyBytes, statsText, fc.constantFrom(Buffer.from('VERSION 1.6.18\r\n'), Buffer.from('CLIENT_ERROR unauthenticated\r\n'))),
        fc.nat(),
        (buf, k) => {
          const full = runFramer(frameMemcached, buf);
          expectFramerContract(full, buf);
          expectPrefixConsistent(runFramer(frameMemcached, buf.subarray(0, buf.length ? k % (buf.length + 1) : 0)), full);
          parseStats(buf.toString('utf8'));
          expectCleanPrototype();
        },
      ),
      { numRuns: runs(2000) },
    );
    fc.assert(
      fc.property(statsText, (buf) => {
        expect(runFramer(frameMemcached, buf)).toEqual({ kind: 'frame', n: buf.length });
      }),
      { numRuns: runs(300) },
    );
  });
});
