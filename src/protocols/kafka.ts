/**
 * Kafka wire protocol, the client side of two requests: ApiVersions v0 (key 18) and Metadata v1/v4 (key 3).
 * Sources: https://kafka.apache.org/protocol (Kafka 4.x guide: request header v1 = api_key INT16, api_version INT16,
 * correlation_id INT32, client_id NULLABLE_STRING; response header v0 = correlation_id INT32), and the message
 * definitions in apache/kafka clients/src/main/resources/common/message/{ApiVersions,Metadata}{Request,Response}.json.
 * Both versions used are non-flexible (no tagged fields, no compact strings). Kafka 4.0 dropped Metadata v0–v3
 * (KIP-896), so v4 comes first; v1 is for brokers older than 0.11 (their ApiVersions says which is valid).
 *
 * Every length is bounded: a response by `maxKafkaResponse`, strings and arrays by the bytes left in it.
 */
import { BoundedReader } from './bounded-reader.js';

export const maxKafkaResponse = 16 * 1024 * 1024;
export const apiKeys = { Metadata: 3, ApiVersions: 18, SaslHandshake: 17 } as const;
export const clientId = 'exposure-audit';

function requestHeader(apiKey: number, apiVersion: number, correlationId: number, bodyLength: number): Buffer {
  const id = Buffer.from(clientId, 'latin1');
  const b = Buffer.alloc(4 + 2 + 2 + 4 + 2 + id.length);
  b.writeInt32BE(b.length - 4 + bodyLength, 0);
  b.writeInt16BE(apiKey, 4);
  b.writeInt16BE(apiVersion, 6);
  b.writeInt32BE(correlationId, 8);
  b.writeInt16BE(id.length, 12);
  id.copy(b, 14);
  return b;
}

/** ApiVersions v0: header only, no body. */
export function encodeApiVersions(correlationId = 1): Buffer {
  return requestHeader(apiKeys.ApiVersions, 0, correlationId, 0);
}

/**
 * Metadata for all topics. v1–v3: topics = null (-1) means all. v4 adds allow_auto_topic_creation, always false:
 * asking never creates a topic.
 */
export function encodeMetadata(version: 1 | 4, correlationId = 2): Buffer {
  const body = version === 4 ? Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]) : Buffer.from([0xff, 0xff, 0xff, 0xff]);
  return Buffer.concat([requestHeader(apiKeys.Metadata, version, correlationId, body.length), body]);
}

/**
 * Framer: INT32 size then that many bytes. Throws on a size no Kafka response has (negative, tiny, or past the
 * cap), so an HTTP or text server on the port fails fast instead of waiting for 1.2 GB (`HTTP` = 0x48545450).
 */
export function frameKafka(buf: Buffer): number | undefined {
  if (buf.length < 4) return undefined;
  const size = buf.readInt32BE(0);
  if (size < 4 || size > maxKafkaResponse) throw new Error(`Kafka response size ${size} out of range`);
  return buf.length >= 4 + size ? 4 + size : undefined;
}

/** Bounded big-endian cursor over a response; any read past the end throws a plain Error. */
export class KafkaReader extends BoundedReader {
  constructor(buf: Buffer, offset = 0) {
    super(buf, { protocol: 'Kafka', message: 'response' }, offset);
  }
  nullableString(max = 32 * 1024): string | null {
    const n = this.i16();
    if (n < 0) return null;
    if (n > max) throw new Error(`Kafka string of ${n} bytes exceeds ${max}`);
    return this.utf8(n);
  }
  string(max?: number): string {
    const s = this.nullableString(max);
    if (s === null) throw new Error('null where a Kafka string is required');
    return s;
  }
  /** Array length: -1 = null (→ 0); refused when its items (each ≥ minItemBytes) cannot fit the bytes left. */
  arrayLength(minItemBytes: number): number {
    const n = this.i32();
    return n < 0 ? 0 : this.fits(n, minItemBytes, `array of ${n} items`);
  }
}

/** Response header v0: size, correlation id. Returns a reader positioned at the body. */
export function responseBody(frame: Buffer, correlationId: number): KafkaReader {
  const r = new KafkaReader(frame, 4);
  const got = r.i32();
  if (got !== correlationId) throw new Error(`Kafka correlation id ${got}, expected ${correlationId}`);
  return r;
}

export interface ApiVersionRange {
  key: number;
  min: number;
  max: number;
}

export function parseApiVersions(frame: Buffer, correlationId = 1): { errorCode: number; apis: ApiVersionRange[] } {
  const r = responseBody(frame, correlationId);
  const errorCode = r.i16();
  const n = r.arrayLength(6);
  const apis: ApiVersionRange[] = [];
  for (let i = 0; i < n; i++) {
    const key = r.i16();
    const min = r.i16();
    const max = r.i16();
    if (i < 1000) apis.push({ key, min, max });
  }
  return { errorCode, apis };
}

export interface KafkaTopic {
  name: string;
  errorCode: number;
  internal: boolean;
  partitions: number;
  /** Sum over partitions of replica counts. */
  replicas: number;
}

export interface KafkaMetadata {
  brokers: Array<{ nodeId: number; host: string; port: number; rack: string | null }>;
  clusterId: string | null;
  controllerId: number;
  topics: KafkaTopic[];
  /** More topics than `maxTopics` were listed, or the reply was cut (`cut`). */
  truncated: boolean;
  /** Only a prefix of the response was given (a byte cap): `topics` are the complete ones in it, a lower bound. */
  cut: boolean;
  /** The topic count the response's array header announces (a server's claim; with `cut`, more than parsed). */
  announcedTopics: number;
  /** Topics read whole with error_code 0, past `maxTopics` too (with `cut`: a lower bound). */
  readableTopics: number;
}

/**
 * Metadata response v1 or v4 (v2 adds cluster_id, v3 throttle_time_ms; v4 has the same layout as v3). With
 * `prefix`, `frame` may be the first bytes of a larger response (a reply cut at the byte cap): the header, brokers,
 * cluster and controller ids must be complete (they come first, and prove the broker answered), and the topics
 * array is read as far as whole topics go.
 */
export function parseMetadata(
  frame: Buffer,
  version: 1 | 4,
  correlationId = 2,
  maxTopics = 10_000,
  opts: { prefix?: boolean } = {},
): KafkaMetadata {
  const r = responseBody(frame, correlationId);
  if (version >= 3) r.i32(); // throttle_time_ms
  const nb = r.arrayLength(4 + 2 + 4 + 2);
  const brokers: KafkaMetadata['brokers'] = [];
  for (let i = 0; i < nb; i++) {
    const nodeId = r.i32();
    const host = r.string(1024);
    const port = r.i32();
    const rack = r.nullableString(1024);
    if (i < 1000) brokers.push({ nodeId, host, port, rack });
  }
  const clusterId = version >= 2 ? r.nullableString(1024) : null;
  const controllerId = r.i32();
  const topicBytes = 2 + 2 + 1 + 4;
  // A cut reply cannot hold all its topics, so its count is not checked against the bytes left: every topic
  // read consumes at least `topicBytes` or throws at the end, which bounds the loop by the bytes received.
  const nt = opts.prefix ? Math.max(0, r.i32()) : r.arrayLength(topicBytes);
  const topics: KafkaTopic[] = [];
  let cut = false;
  let complete = 0;
  let readable = 0;
  for (let i = 0; i < nt; i++) {
    const start = r.offset;
    let topic: KafkaTopic;
    try {
      topic = readTopic(r);
    } catch (err) {
      if (!opts.prefix) throw err;
      r.offset = start;
      cut = true;
      break;
    }
    complete++;
    if (topic.errorCode === 0) readable++;
    if (i < maxTopics) topics.push(topic);
  }
  return {
    brokers,
    clusterId,
    controllerId,
    topics,
    truncated: cut || complete > maxTopics,
    cut,
    announcedTopics: nt,
    readableTopics: readable,
  };
}

function readTopic(r: KafkaReader): KafkaTopic {
  const errorCode = r.i16();
  const name = r.string(1024);
  const internal = r.i8() !== 0;
  const np = r.arrayLength(2 + 4 + 4 + 4 + 4);
  let replicas = 0;
  for (let p = 0; p < np; p++) {
    r.i16(); // error_code
    r.i32(); // partition_index
    r.i32(); // leader_id
    const nr = r.arrayLength(4);
    for (let k = 0; k < nr; k++) r.i32();
    replicas += nr;
    const ni = r.arrayLength(4);
    for (let k = 0; k < ni; k++) r.i32();
  }
  return { name, errorCode, internal, partitions: np, replicas };
}
