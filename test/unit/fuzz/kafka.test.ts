import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameKafka, parseApiVersions, parseMetadata } from '../../../src/protocols/kafka.js';
import { expectCleanPrototype, expectFramerContract, expectPrefixConsistent, perInputMs, runFramer, runs } from '../../support/fuzz.js';

const i16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const kstr = (s: string) => Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
const sized = (corr: number, body: Buffer) => Buffer.concat([i32(body.length + 4), i32(corr), body]);
const name = fc.oneof(fc.string({ maxLength: 24 }), fc.constantFrom('__proto__', '__consumer_offsets', 'constructor', ''));

const metadata = fc
  .record({
    v4: fc.boolean(),
    brokers: fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), name, fc.integer({ min: 0, max: 65535 })), { maxLength: 3 }),
    topics: fc.array(fc.tuple(name, fc.nat({ max: 8 }), fc.boolean()), { maxLength: 6 }),
  })
  .map(({ v4, brokers, topics }) => ({
    v4,
    topics,
    frame: sized(
      2,
      Buffer.concat([
        ...(v4 ? [i32(0)] : []),
        i32(brokers.length),
        ...brokers.map(([id, host, port]) => Buffer.concat([i32(id), kstr(host), i32(port), i16(-1)])),
        ...(v4 ? [kstr('cluster')] : []),
        i32(1),
        i32(topics.length),
        ...topics.map(([t, parts, internal]) =>
          Buffer.concat([
            i16(0),
            kstr(t),
            Buffer.from([internal ? 1 : 0]),
            i32(parts),
            ...Array.from({ length: parts }, (_, p) => Buffer.concat([i16(0), i32(p), i32(1), i32(1), i32(1), i32(0)])),
          ]),
        ),
      ]),
    ),
  }));

const kafkaish = fc
  .array(fc.oneof(fc.constantFrom(0x00, 0xff, 0x01, 0x02, 0x12, 0x03, 0x7f), fc.nat({ max: 255 })), { maxLength: 120 })
  .map((a) => Buffer.from(a));
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  kafkaish,
);

function plain(f: () => unknown): void {
  const t0 = performance.now();
  try {
    f();
  } catch (err) {
    expect((err as Error).constructor).toBe(Error);
  } finally {
    expect(performance.now() - t0).toBeLessThan(perInputMs);
  }
}

describe('Kafka framer and parsers (fast-check)', () => {
  it('frameKafka on arbitrary bytes: need-more, a frame within the input, or a plain Error; prefix-consistent', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (buf, cut) => {
        const full = runFramer(frameKafka, buf);
        expectFramerContract(full, buf);
        expectPrefixConsistent(runFramer(frameKafka, buf.subarray(0, buf.length ? cut % (buf.length + 1) : 0)), full);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('ApiVersions and Metadata parsers on arbitrary bodies: a value or a plain Error, fast', () => {
    fc.assert(
      fc.property(anyBytes, (body) => {
        plain(() => parseApiVersions(sized(1, body), 1));
        plain(() => parseMetadata(sized(2, body), 4, 2));
        plain(() => parseMetadata(sized(2, body), 1, 2));
        expectCleanPrototype();
      }),
      { numRuns: runs(1000) },
    );
  });

  it('Metadata v1/v4 round-trip: topic names and partition counts come back; any truncation is a plain Error', () => {
    fc.assert(
      fc.property(metadata, fc.nat(), ({ v4, topics, frame }, cut) => {
        const md = parseMetadata(frame, v4 ? 4 : 1, 2);
        expect(md.topics.map((t) => [t.name, t.partitions, t.internal])).toEqual(topics);
        plain(() => parseMetadata(frame.subarray(0, 8 + (cut % (frame.length - 8))), v4 ? 4 : 1, 2));
        // Prefix mode (a reply cut at the byte cap): a plain Error while the brokers are incomplete, else a lower
        // bound: the whole topics before the cut, in order, and never more than the response lists.
        const prefix = frame.subarray(0, 8 + (cut % (frame.length - 7)));
        let cutMd: ReturnType<typeof parseMetadata> | undefined;
        plain(() => (cutMd = parseMetadata(prefix, v4 ? 4 : 1, 2, 10_000, { prefix: true })));
        if (cutMd) {
          expect(cutMd.topics.map((t) => [t.name, t.partitions, t.internal])).toEqual(topics.slice(0, cutMd.topics.length));
          expect(cutMd.cut || cutMd.topics.length === topics.length).toBe(true);
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('a Metadata prefix with the whole response given is not cut', () => {
    fc.assert(
      fc.property(metadata, ({ v4, topics, frame }) => {
        const md = parseMetadata(frame, v4 ? 4 : 1, 2, 10_000, { prefix: true });
        expect([md.cut, md.readableTopics, md.announcedTopics]).toEqual([
          false,
          md.topics.filter((t) => t.errorCode === 0).length,
          topics.length,
        ]);
      }),
      { numRuns: runs(200) },
    );
  });

  it('a wrong correlation id and an array count larger than the response are refused', () => {
    expect(() => parseApiVersions(sized(7, Buffer.concat([i16(0), i32(0)])), 1)).toThrow(/correlation/);
    expect(() => parseApiVersions(sized(1, Buffer.concat([i16(0), i32(1_000_000_000)])), 1)).toThrow(/does not fit/);
    expect(() => frameKafka(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(/out of range/);
  });
});
