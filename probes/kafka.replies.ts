import { lengthPrefixed, type ProbeReplies } from '../src/probe-replies.js';

/**
 * Kafka broker responses (https://kafka.apache.org/protocol; ApiVersions v0 and Metadata v4 layouts from apache/kafka
 * clients/src/main/resources/common/message/ApiVersionsResponse.json, MetadataResponse.json), each echoing the
 * request's correlation id. A SASL listener answers ApiVersions, then closes on anything but SaslHandshake
 * (SaslServerAuthenticator, IllegalSaslStateException).
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
const apiVersions = response(
  Buffer.concat([
    i16(0),
    i32(4),
    ...[
      [0, 3, 11],
      [1, 4, 17],
      [3, 0, 12],
      [18, 0, 4],
    ].map(([k, min, max]) => Buffer.concat([i16(k!), i16(min!), i16(max!)])),
  ]),
);
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
      Buffer.concat([i32(1), str('kafka-0.replay'), i32(9092), str(null)]),
      str('MkU3OEVBNTcwNTJENDM2Qk'),
      i32(1),
      i32(topics.length),
      ...topics,
    ]),
  );
const metadataV4 = metadataV4Of([topic('orders', 3), topic('payments', 1), topic('__consumer_offsets', 2)]);
/** A large cluster: 3,000 topics of 16 partitions, about 1.33 MB, past the engine's 1 MiB default byte cap. */
const largeTopicCount = 3000;
const metadataLarge = metadataV4Of(
  Array.from({ length: largeTopicCount }, (_, t) => topic(`events.tenant-${String(t).padStart(5, '0')}`, 16)),
);
// Requests by API key (bytes 4–5 of the frame), as describeWrite shows them: `<n bytes SSSSSSSSKKKK…>`.
const apiKey = (key: number) => new RegExp(`^<\\d+ bytes [0-9a-f]{8}${key.toString(16).padStart(4, '0')}`);

export default {
  probe: 'kafka',
  frameRequest: lengthPrefixed(0, 4, { extra: 4 }),
  endless: {
    prefix: Buffer.concat([i32(16 * 1024 * 1024 - 1), i32(1)]),
    source: 'a response header (size, correlation id 1) announcing 16 MB - 1 (https://kafka.apache.org/protocol#protocol_common)',
  },
  cases: {
    plaintext: {
      state: 'exposed',
      source: 'a PLAINTEXT listener of Kafka 3.9 (ApiVersions ranges as 3.9 advertises them), three topics',
      exchanges: [
        { request: apiKey(18), reply: apiVersions },
        { request: apiKey(3), reply: metadataV4 },
      ],
      expect: { status: 'exposed', product: 'Kafka' },
    },
    'large-cluster': {
      state: 'exposed',
      source: `a PLAINTEXT listener of Kafka 3.9 with ${largeTopicCount} topics of 16 partitions: a Metadata v4 reply of 1.33 MB, over 1 MiB`,
      exchanges: [
        { request: apiKey(18), reply: apiVersions },
        { request: apiKey(3), reply: metadataLarge },
      ],
      expect: { status: 'exposed', product: 'Kafka' },
    },
    'sasl-listener': {
      state: 'secured',
      source: 'a SASL_PLAINTEXT listener: ApiVersions answered, Metadata before SaslHandshake closes the connection',
      exchanges: [
        { request: apiKey(18), reply: apiVersions },
        { request: apiKey(3), close: true },
      ],
      expect: { status: 'auth-required', product: 'Kafka' },
    },
    'http-server': {
      state: 'not-this-protocol',
      source: 'an HTTP/1.1 400 as any HTTP server answers binary (RFC 9112)',
      exchanges: [{ request: apiKey(18), reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', close: true }],
      expect: { status: 'not-detected' },
    },
  },
} satisfies ProbeReplies;
