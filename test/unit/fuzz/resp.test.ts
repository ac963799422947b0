import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameResp, parseInfo, parseKeyspaceLine, parseResp, type RespValue } from '../../../src/protocols/resp.js';
import {
  encodeResp as encode,
  expectCleanPrototype,
  expectFramerContract,
  expectPrefixConsistent,
  runFramer,
  runs,
} from '../../support/fuzz.js';

// Simple strings and errors are single lines: no CR or LF inside.
const line = fc
  .string({
    maxLength: 40,
    unit: fc.oneof(fc.constantFrom('a', 'Z', ' ', ':', '-', '\t'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })),
  })
  .map((s) => s.replace(/[\r\n]/g, ''));
const respValue: fc.Arbitrary<RespValue> = fc
  .letrec<{ v: RespValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      line.map((value): RespValue => ({ type: 'simple', value })),
      line.map((value): RespValue => ({ type: 'error', value })),
      fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }).map((value): RespValue => ({ type: 'integer', value })),
      fc
        .option(
          fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
          { nil: null },
        )
        .map((value): RespValue => ({ type: 'bulk', value })),
      fc.option(fc.array(tie('v'), { maxLength: 5 }), { nil: null }).map((value): RespValue => ({ type: 'array', value })),
    ),
  }))
  .v.filter((v) => depth(v) <= 8);

function depth(v: RespValue): number {
  return v.type === 'array' && v.value ? 1 + Math.max(0, ...v.value.map(depth)) : 0;
}

// Bytes that look like RESP often enough to reach the deep paths: type bytes, digits, CRLF, minus signs.
const respish = fc
  .array(
    fc.oneof(
      fc.constantFrom('+', '-', ':', '$', '*', '\r\n', '\r', '\n', '0', '1', '9', '-1', '15', 'OK', 'PONG', '99999999999999999'),
      fc.string({ maxLength: 3, unit: 'binary' }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  respish,
);

describe('RESP framer and parser (fast-check)', () => {
  it('frameResp on arbitrary bytes: need-more, a frame within the input, or a plain Error — never another throw, never slow', () => {
    fc.assert(
      fc.property(anyBytes, (buf) => {
        expectFramerContract(runFramer(frameResp, buf), buf);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('parseResp never throws on what frameResp framed', () => {
    fc.assert(
      fc.property(anyBytes, (buf) => {
        const out = runFramer(frameResp, buf);
        if (out.kind !== 'frame') return;
        const v = parseResp(buf.subarray(0, out.n));
        expect(['simple', 'error', 'integer', 'bulk', 'array']).toContain(v.type);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('decisions are stable as bytes arrive (prefix consistency)', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (buf, k) => {
        const cut = buf.length ? k % (buf.length + 1) : 0;
        expectPrefixConsistent(runFramer(frameResp, buf.subarray(0, cut)), runFramer(frameResp, buf));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('round-trips: parseResp(encode(v)) = v; every strict prefix needs more; trailing bytes are not consumed', () => {
    fc.assert(
      fc.property(respValue, fc.uint8Array({ maxLength: 16 }), (v, tail) => {
        const enc = encode(v);
        expect(runFramer(frameResp, enc)).toEqual({ kind: 'frame', n: enc.length });
        expect(parseResp(enc)).toEqual(v);
        for (let k = 0; k < enc.length; k++) expect(runFramer(frameResp, enc.subarray(0, k)).kind).toBe('need');
        const withTail = Buffer.concat([enc, Buffer.from(tail)]);
        expect(runFramer(frameResp, withTail)).toEqual({ kind: 'frame', n: enc.length });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('a pipelined stream delivered in arbitrary chunks frames back into the same replies', () => {
    fc.assert(
      fc.property(
        fc.array(respValue, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 20 }),
        (values, cuts) => {
          const stream = Buffer.concat(values.map(encode));
          // Feed chunk by chunk like tcp.ts: append, then frame as many complete replies as there are.
          let buffered = Buffer.alloc(0);
          const got: RespValue[] = [];
          let offset = 0;
          let i = 0;
          while (offset < stream.length) {
            const size = cuts[i++ % cuts.length]!;
            buffered = Buffer.concat([buffered, stream.subarray(offset, offset + size)]);
            offset += size;
            for (let guard = 0; guard < 100; guard++) {
              const out = runFramer(frameResp, buffered);
              expect(out.kind).not.toBe('throw');
              if (out.kind !== 'frame') break;
              got.push(parseResp(buffered.subarray(0, out.n)));
              buffered = buffered.subarray(out.n);
            }
          }
          expect(got).toEqual(values);
          expect(buffered.length).toBe(0);
        },
      ),
      { numRuns: runs(500) },
    );
  });
});

describe('INFO parser (fast-check)', () => {
  const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !/[:\r\n#]/.test(k) && k.trim() === k && k !== '');
  const value = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '').trim());
  const sectionName = fc.oneof(
    fc.constantFrom('server', 'keyspace', '__proto__', 'constructor', 'hasOwnProperty', 'toString'),
    key.map((k) => k.toLowerCase()),
  );
  const keyName = fc.oneof(fc.constantFrom('redis_version', '__proto__', 'constructor', 'valueOf', 'polluted'), key);

  it('never throws, never pollutes Object.prototype, on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ maxLength: 400, unit: 'binary' })), (text) => {
        const info = parseInfo(text);
        for (const section of Object.values(info)) for (const v of Object.values(section)) expect(typeof v).toBe('string');
        expectCleanPrototype();
      }),
      { numRuns: runs(1000) },
    );
  });

  it('round-trips sections and keys, including hostile names such as __proto__', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(sectionName, fc.uniqueArray(fc.tuple(keyName, value), { selector: ([k]) => k, maxLength: 5 })), {
          selector: ([s]) => s.trim().toLowerCase(),
          maxLength: 5,
        }),
        (sections) => {
          const text = sections.map(([s, kv]) => [`# ${s}`, ...kv.map(([k, v]) => `${k}:${v}`)].join('\r\n')).join('\r\n\r\n');
          const info = parseInfo(text);
          for (const [s, kv] of sections) {
            const got = info[s.trim().toLowerCase()];
            expect(got).toBeDefined();
            for (const [k, v] of kv) expect(Object.hasOwn(got!, k) ? got![k] : undefined).toBe(v);
          }
          expectCleanPrototype();
        },
      ),
      { numRuns: runs(1000) },
    );
  });

  it('a hostile INFO reply (`# __proto__`) cannot write to Object.prototype', () => {
    const info = parseInfo('# __proto__\r\npolluted:yes\r\n# Server\r\n__proto__:x\r\nredis_version:7.0.15\r\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(info.__proto__?.polluted).toBe('yes');
    expect(info.server?.redis_version).toBe('7.0.15');
    expectCleanPrototype();
  });

  it('parseKeyspaceLine never throws and yields only whole numbers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc
            .array(
              fc.tuple(fc.constantFrom('keys', 'expires', '__proto__', 'x'), fc.oneof(fc.nat().map(String), fc.string({ maxLength: 4 }))),
              { maxLength: 5 },
            )
            .map((p) => p.map(([k, v]) => `${k}=${v}`).join(',')),
        ),
        (text) => {
          for (const n of Object.values(parseKeyspaceLine(text))) expect(Number.isInteger(n) || n === Infinity).toBe(true);
          expectCleanPrototype();
        },
      ),
      { numRuns: runs(1000) },
    );
  });
});
