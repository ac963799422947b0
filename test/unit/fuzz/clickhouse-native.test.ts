import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientRevision,
  encodeClientHello,
  frameServerHello,
  parseServerHello,
  type ServerPacket,
} from '../../../src/protocols/clickhouse-native.js';
import { Reader } from '../../../src/protocols/reader.js';
import {
  chString as str,
  encodeServerPacket as encode,
  expectFramerContract,
  expectPrefixConsistent,
  runFramer,
  runs,
  varuint,
} from '../../support/fuzz.js';

/** The fields parseServerHello returns for a revision (absent ones are not sent). */
function normalize(p: ServerPacket): ServerPacket {
  if (p.type !== 'hello') return p;
  const effective = Math.min(p.revision, clientRevision);
  const out: ServerPacket = { type: 'hello', name: p.name, major: p.major, minor: p.minor, revision: p.revision };
  if (effective >= 54058) out.timezone = p.timezone ?? '';
  if (effective >= 54372) out.displayName = p.displayName ?? '';
  if (effective >= 54401) out.patch = p.patch ?? 0;
  return out;
}

const text = (max: number) =>
  fc.string({
    maxLength: max,
    unit: fc.oneof(
      fc.constantFrom('a', 'Z', '/', ' '),
      fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }),
      fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
    ),
  });
const smallUint = fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: 0, max: 2 ** 40 }));
const packet: fc.Arbitrary<ServerPacket> = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const),
    name: fc.oneof(fc.constant('ClickHouse'), text(40)),
    major: smallUint,
    minor: smallUint,
    revision: fc.oneof(fc.constantFrom(54057, 54058, 54371, 54372, 54400, 54401, 54412, 54449, 54460), fc.nat({ max: 60000 })),
    timezone: text(30),
    displayName: text(60),
    patch: smallUint,
  }),
  fc.record({
    type: fc.constant('exception' as const),
    code: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    name: text(30),
    message: text(200),
    nested: fc.boolean(),
  }),
);

// Mostly small first bytes (0 = Hello, 2 = Exception) so the fuzz reaches the packet bodies.
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.tuple(fc.constantFrom(0, 1, 2), fc.uint8Array({ maxLength: 300 })).map(([t, a]) => Buffer.concat([Buffer.from([t]), Buffer.from(a)])),
  fc
    .tuple(
      fc.constantFrom(0, 2),
      fc.array(fc.oneof(fc.constantFrom(0x80, 0xff, 0x7f, 0x00, 0x0a), fc.nat({ max: 255 })), { maxLength: 64 }),
    )
    .map(([t, a]) => Buffer.from([t, ...a])),
);

describe('ClickHouse native ServerHello framer and parser (fast-check)', () => {
  it('frameServerHello on arbitrary bytes: need-more, a frame within the input, or a plain Error; never slow', () => {
    fc.assert(
      fc.property(anyBytes, (buf) => {
        expectFramerContract(runFramer(frameServerHello, buf), buf);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('parseServerHello never throws on what frameServerHello framed', () => {
    fc.assert(
      fc.property(anyBytes, (buf) => {
        const out = runFramer(frameServerHello, buf);
        if (out.kind !== 'frame') return;
        const p = parseServerHello(buf.subarray(0, out.n));
        expect(['hello', 'exception']).toContain(p.type);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('decisions are stable as bytes arrive (prefix consistency)', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (buf, k) => {
        const cut = buf.length ? k % (buf.length + 1) : 0;
        expectPrefixConsistent(runFramer(frameServerHello, buf.subarray(0, cut)), runFramer(frameServerHello, buf));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('round-trips Hello and Exception packets; strict prefixes need more; trailing bytes are left alone', () => {
    fc.assert(
      fc.property(packet, text(300), fc.uint8Array({ maxLength: 16 }), (p, stack, tail) => {
        const enc = encode(p, stack);
        expect(runFramer(frameServerHello, enc)).toEqual({ kind: 'frame', n: enc.length });
        expect(parseServerHello(enc)).toEqual(normalize(p));
        for (let k = 0; k < enc.length; k++) expect(runFramer(frameServerHello, enc.subarray(0, k)).kind).toBe('need');
        expect(runFramer(frameServerHello, Buffer.concat([enc, Buffer.from(tail)]))).toEqual({ kind: 'frame', n: enc.length });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('encodeClientHello round-trips through a ClientHello decoder: packet 0, our revision, the user, an empty password', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (user) => {
        const r = new Reader(encodeClientHello(user));
        const decoded = {
          type: r.varuint(),
          client: r.string(1024),
          major: r.varuint(),
          minor: r.varuint(),
          revision: r.varuint(),
          database: r.string(1024),
          user: r.string(1024),
          password: r.string(1024),
        };
        expect(r.offset).toBe(r.buf.length);
        expect(decoded).toMatchObject({ type: 0, client: 'exposure-audit', revision: clientRevision, database: '', user, password: '' });
      }),
      { numRuns: runs(500) },
    );
  });

  it('oversized strings and over-long varints are refused with a plain Error, not buffered forever', () => {
    // A 1 MiB time-zone length prefix: refused at once instead of waiting for 1 MiB.
    const hugeTz = Buffer.concat([varuint(0), str('ClickHouse'), varuint(18), varuint(16), varuint(54449), varuint(1024 * 1024)]);
    expect(runFramer(frameServerHello, hugeTz)).toMatchObject({ kind: 'throw' });
    const longVarint = Buffer.from([0, ...Array(11).fill(0xff)]);
    const out = runFramer(frameServerHello, longVarint);
    expect(out).toMatchObject({ kind: 'throw' });
    expectFramerContract(out, longVarint);
  });
});
