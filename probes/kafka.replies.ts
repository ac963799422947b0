import { declaredName, lengthPrefixed, type ProbeCase, type ProbeReplies } from '../src/probe-replies.js';
import kafka from './kafka.js';

/**
 * Kafka broker responses (https://kafka.apache.org/protocol; ApiVersions v0 and Metadata v4 layouts from apache/kafka
 * clients/src/main/resources/common/message/ApiVersionsResponse.json, MetadataResponse.json), each echoing the
 * request's correlation id. A SASL listener answers ApiVersions, then closes on anything but SaslHandshake
 * (SaslServerAuthenticator, IllegalSaslStateException). The Metadata range a broker advertises decides the version the
 * probe asks: Kafka 3.9 0–12, Kafka 4.x 4–13 (old versions removed, KIP-896), brokers before 0.11 0–2.
 */
const i16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const str = (s: string | null) => (s === null ? i16(-1) : Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]));
/** Size, the request's correlation id, then the body. */
const response = (body: Buffer) => (request: Buffer) => Buffer.concat([i32(body.length + 4), request.subarray(8, 12), body]);
/** ApiVersions v0: error 0, then [api_key min max] for Produce, Fetch, Metadata (`metadata`) and ApiVersions. */
const apiVersionsOf = (metadata: [number, number]) =>
  response(
    Buffer.concat([
      i16(0),
      i32(4),
      ...[
        [0, 3, 11],
        [1, 4, 17],
        [3, ...metadata],
        [18, 0, 4],
      ].map(([k, min, max]) => Buffer.concat([i16(k!), i16(min!), i16(max!)])),
    ]),
  );
const apiVersions = apiVersionsOf([0, 12]);
/**
 * The advertised listener host: `localhost`, as the KRaft quickstart's config/server.properties advertises. (A dotted
 * host name such as kafka-0.example reads as an e-mail address in `1@host` and is redacted in facts.brokers.)
 */
const advertised = 'localhost';
const topic = (name: string, partitions: number) =>
  Buffer.concat([
    i16(0),
    str(name),
    Buffer.from([name.startsWith('__') ? 1 : 0]),
    i32(partitions),
    ...Array.from({ length: partitions }, (_, p) => Buffer.concat([i16(0), i32(p), i32(1), i32(1), i32(1), i32(1), i32(1)])),
  ]);
/**
 * Metadata v4 (protocol guide, "Metadata Response (Version: 4)": throttle_time_ms, brokers, cluster_id,
 * controller_id, then topics [error_code name is_internal partitions [error_code partition_index leader_id
 * replica_nodes isr_nodes]]): the header and broker list come first, so the first bytes prove the answer.
 */
const metadataV4Of = (topics: Buffer[]) =>
  response(
    Buffer.concat([
      i32(0),
      i32(1),
      Buffer.concat([i32(1), str(advertised), i32(9092), str(null)]),
      str('MkU3OEVBNTcwNTJENDM2Qk'),
      i32(1),
      i32(topics.length),
      ...topics,
    ]),
  );
const topics = [topic('orders', 3), topic('payments', 1), topic('__consumer_offsets', 2)];
const metadataV4 = metadataV4Of(topics);
/** Metadata v1 (brokers [node_id host port rack], controller_id, topics): no throttle time, no cluster id. */
const metadataV1 = response(Buffer.concat([i32(1), i32(1), str(advertised), i32(9092), str(null), i32(1), i32(topics.length), ...topics]));
/** What every exposed broker here shows: three topics (one internal) of 6 partitions on one broker. */
const threeTopics = {
  facts: { topics: 3, partitions: 6, internalTopics: 1, brokers: ['1@localhost:9092'] },
  data: {
    items: [
      { kind: 'topic', name: 'orders', rows: 3 },
      { kind: 'topic', name: 'payments', rows: 1 },
      { kind: 'topic', name: '__consumer_offsets', rows: 2 },
    ],
  },
};
/** A large cluster: 3,000 topics of 16 partitions, about 1.33 MB, past the engine's 1 MiB default byte cap. */
const largeTopicCount = 3000;
const metadataLarge = metadataV4Of(
  Array.from({ length: largeTopicCount }, (_, t) => topic(`events.tenant-${String(t).padStart(5, '0')}`, 16)),
);
const [askVersions, askMetadata4, askMetadata1] = kafka.meta.sends.map((s) => s.request) as [string, string, string];
/** A PLAINTEXT broker advertising Metadata `range`, asked Metadata v`asked`, answering with the three topics. */
function threeTopicBroker(source: string, range: [number, number], asked: 1 | 4): ProbeCase {
  const ask = asked === 4 ? askMetadata4 : askMetadata1;
  return {
    state: 'exposed',
    source,
    exchanges: [
      { request: askVersions, reply: apiVersionsOf(range) },
      { request: ask, reply: asked === 4 ? metadataV4 : metadataV1 },
    ],
    expect: { status: 'exposed', product: 'Kafka', ...threeTopics, received: [askVersions, ask] },
  };
}

export default {
  probe: 'kafka',
  frameRequest: lengthPrefixed(0, 4, { extra: 4 }),
  // Every request is a fixed frame: named as meta.sends declares it.
  describe: (b) => declaredName(kafka.meta.sends, b),
  endless: {
    prefix: Buffer.concat([i32(16 * 1024 * 1024 - 1), i32(1)]),
    source: 'a response header (size, correlation id 1) announcing 16 MB - 1 (https://kafka.apache.org/protocol#protocol_common)',
  },
  cases: {
    plaintext: threeTopicBroker('a PLAINTEXT listener of Kafka 3.9 (ApiVersions ranges as 3.9 advertises them), three topics', [0, 12], 4),
    'kafka-4': threeTopicBroker(
      'a PLAINTEXT listener of Kafka 4.0, which advertises Metadata 4–13 only (KIP-896 removed the older versions)',
      [4, 13],
      4,
    ),
    'before-0.11': threeTopicBroker(
      'a broker before 0.11 (Metadata 0–2, MetadataResponse.json "validVersions"): asked Metadata v1',
      [0, 2],
      1,
    ),
    'no-metadata-in-common': {
      state: 'unsupported',
      source: 'a broker advertising Metadata 9–13 only (neither v1 nor v4): named, never called exposed',
      exchanges: [{ request: askVersions, reply: apiVersionsOf([9, 13]) }],
      expect: { status: 'error', code: 'EA_PROTOCOL', product: 'Kafka', received: [askVersions] },
    },
    'large-cluster': {
      state: 'exposed',
      source: `a PLAINTEXT listener of Kafka 3.9 with ${largeTopicCount} topics of 16 partitions: a Metadata v4 reply of 1.33 MB, over 1 MiB`,
      exchanges: [
        { request: askVersions, reply: apiVersions },
        { request: askMetadata4, reply: metadataLarge },
      ],
      expect: { status: 'exposed', product: 'Kafka' },
    },
    'sasl-listener': {
      state: 'secured',
      source: 'a SASL_PLAINTEXT listener: ApiVersions answered, Metadata before SaslHandshake closes the connection',
      exchanges: [
        { request: askVersions, reply: apiVersions },
        { request: askMetadata4, close: true },
      ],
      expect: { status: 'auth-required', product: 'Kafka', evidence: { notes: [/SASL/] }, data: null },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers binary (RFC 9112)',
      exchanges: [{ request: askVersions, reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
