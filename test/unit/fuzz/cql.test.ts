import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameCql, parseAuthenticate, parseCqlFrame, parseError, parseRows, parseSupported } from '../../../src/protocols/cql.js';
import { expectCleanPrototype, expectFramerContract, expectPrefixConsistent, perInputMs, runFramer, runs } from '../../support/fuzz.js';

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const str = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);
const name = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'CQL_VERSION', 'toString', ''));

/** A well-formed SUPPORTED multimap body. */
const supported = fc.array(fc.tuple(name, fc.array(name, { maxLength: 4 })), { maxLength: 6 }).map((entries) => ({
  entries,
  body: Buffer.concat([u16(entries.length), ...entries.flatMap(([k, vs]) => [str(k), u16(vs.length), ...vs.map(str)])]),
}));

/** A well-formed RESULT Rows body, text columns, global table spec. */
const rowsBody = fc
  .tuple(fc.array(name, { minLength: 1, maxLength: 4 }), fc.nat({ max: 6 }))
  .chain(([cols, n]) =>
    fc.tuple(
      fc.constant(cols),
      fc.array(fc.array(fc.option(name, { nil: null }), { minLength: cols.length, maxLength: cols.length }), {
        minLength: n,
        maxLength: n,
      }),
    ),
  )
  .map(([cols, rows]) => ({
    cols,
    rows,
    body: Buffer.concat([
      i32(2),
      i32(1),
      i32(cols.length),
      str('ks'),
      str('t'),
      ...cols.flatMap((c) => [str(c), u16(0x000d)]),
      i32(rows.length),
      ...rows.flatMap((r) => r.map((v) => (v === null ? i32(-1) : Buffer.concat([i32(Buffer.byteLength(v)), Buffer.from(v)])))),
    ]),
  }));

// Bytes that look like CQL often enough: response versions, opcodes, small lengths, counts.
const cqlish = fc
  .array(fc.oneof(fc.constantFrom(0x84, 0x83, 0x85, 0x00, 0x02, 0x03, 0x06, 0x08, 0xff, 0x7f), fc.nat({ max: 255 })), { maxLength: 80 })
  .map((a) => Buffer.from(a));
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  cqlish,
);

function timed<T>(f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    expect(performance.now() - t0).toBeLessThan(perInputMs);
  }
}

/** Either a value or a plain Error: never a TypeError/RangeError (a bug), never slow. */
function plain(f: () => unknown): void {
  try {
    timed(f);
  } catch (err) {
    expect((err as Error).constructor).toBe(Error);
  }
}

describe('CQL framer and parsers (fast-check)', () => {
  it('frameCql on arbitrary bytes: need-more, a frame within the input, or a plain Error; prefix-consistent', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (buf, cut) => {
        const full = runFramer(frameCql, buf);
        expectFramerContract(full, buf);
        const prefix = buf.subarray(0, buf.length ? cut % (buf.length + 1) : 0);
        expectPrefixConsistent(runFramer(frameCql, prefix), full);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('every body parser on arbitrary bytes returns or throws a plain Error, fast, with a clean prototype', () => {
    fc.assert(
      fc.property(anyBytes, (body) => {
        plain(() => parseSupported(body));
        plain(() => parseAuthenticate(body));
        plain(() => parseError(body));
        plain(() => parseRows(Buffer.concat([i32(2), body])));
        plain(() => parseCqlFrame(body));
        expectCleanPrototype();
      }),
      { numRuns: runs(1000) },
    );
  });

  it('SUPPORTED round-trips: every key and value comes back (hostile keys included)', () => {
    fc.assert(
      fc.property(supported, ({ entries, body }) => {
        const out = parseSupported(body);
        // A repeated key: the last one wins.
        const last = new Map(entries.map(([k, vs]) => [k, vs] as const));
        for (const [k, vs] of last) expect(out[k]).toEqual(vs.slice(0, 32));
        expectCleanPrototype();
      }),
      { numRuns: runs(1000) },
    );
  });

  it('Rows round-trip: columns and cells come back; truncated bodies throw a plain Error', () => {
    fc.assert(
      fc.property(rowsBody, fc.nat(), ({ cols, rows, body }, cut) => {
        const out = parseRows(body)!;
        expect(out.columns.map((c) => c.name)).toEqual(cols);
        expect(out.rows.map((r) => r.map((c) => (c === null ? null : c.toString())))).toEqual(rows);
        const short = body.subarray(0, cut % body.length);
        plain(() => parseRows(short));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('a row count larger than the body can hold is refused before looping', () => {
    const body = Buffer.concat([i32(2), i32(1), i32(1), str('k'), str('t'), str('c'), u16(0x000d), i32(2_000_000_000)]);
    expect(() => parseRows(body)).toThrow(/does not fit/);
  });
});
