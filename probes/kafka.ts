import { EaError, isEaError } from '../src/errors.js';
import { defineProbe, type ProbeResult } from '../src/probe.js';
import {
  apiKeys,
  encodeApiVersions,
  encodeMetadata,
  frameKafka,
  parseApiVersions,
  parseMetadata,
  type ApiVersionRange,
} from '../src/protocols/kafka.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { DataItem } from '../src/types.js';

/**
 * Kafka broker protocol. ApiVersions is answered before authentication on every listener (SASL listeners allow
 * exactly ApiVersions and SaslHandshake first), so it identifies Kafka and proves nothing. Metadata for all topics
 * decides: answered = the listener needs no authentication (PLAINTEXT / SSL without client auth) and we see the
 * topics and partitions; connection closed instead = a SASL listener refusing a request before the handshake
 * (apache/kafka SaslServerAuthenticator: "Unexpected Kafka request of type METADATA during SASL handshake").
 * Read-only: Metadata v4 carries allow_auto_topic_creation=false; no Produce, Fetch or admin request is ever sent.
 */
const frames = {
  apiVersions: encodeApiVersions(1),
  metadata4: encodeMetadata(4, 2),
  metadata1: encodeMetadata(1, 2),
};

function range(apis: ApiVersionRange[], key: number): ApiVersionRange | undefined {
  return apis.find((a) => a.key === key);
}

export default defineProbe({
  meta: {
    id: 'kafka',
    service: 'kafka',
    title: 'Kafka broker without authentication',
    description:
      'ApiVersions (identifies the broker, answered even before SASL), then Metadata for all topics: answered = no authentication; the topics and partition counts it lists.',
    defaultPorts: [9092],
    transport: 'tcp',
    tls: 'optional',
    sends: [
      { request: 'ApiVersions v0', when: 'always', bytes: frames.apiVersions },
      { request: 'Metadata v4 all topics, allow_auto_topic_creation=false', when: 'always', bytes: frames.metadata4 },
      { request: 'Metadata v1 all topics (brokers without v4)', when: 'always', bytes: frames.metadata1 },
    ],
    exposure:
      'anyone who can reach the listener can list, read and write every topic the default (ANONYMOUS) principal is allowed, which is all of them without an authorizer',
    remediation:
      'Use SASL_SSL (or SSL with client certificates) listeners, set an authorizer with allow.everyone.if.no.acl.found=false, advertise and bind private addresses only, and firewall 9092.',
    references: ['https://kafka.apache.org/protocol', 'https://kafka.apache.org/documentation/#security'],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    // Anything but a Kafka ApiVersions answer (an HTTP server, a banner, garbage) fails the first reply's parsing:
    // the engine reads that as not-detected, with a redacted excerpt of the bytes.
    const session = await ctx.tcp({ proof: 'ApiVersions v0' });
    await session.write(frames.apiVersions);
    const first = await session.read(frameKafka);
    let parsed: ReturnType<typeof parseApiVersions>;
    try {
      parsed = parseApiVersions(first, 1);
    } catch (err) {
      throw new EaError('EA_PROTOCOL', `not an ApiVersions response: ${(err as Error).message}`, { partial: first });
    }
    const apis = parsed.apis;
    // Kafka answers every ApiVersions with its own key 18 and Metadata (key 3) in the list.
    if (!range(apis, apiKeys.ApiVersions) || !range(apis, apiKeys.Metadata))
      return {
        status: 'not-detected',
        evidence: { proof: 'ApiVersions v0', reply: `error ${parsed.errorCode}, ${apis.length} api keys` },
        facts: {},
      };
    const meta = range(apis, apiKeys.Metadata)!;
    const facts: Record<string, unknown> = {
      apiKeyCount: apis.length,
      // Version hints: each Kafka release raises some of these maxima (see the protocol guide's per-API versions).
      maxVersions: Object.fromEntries(
        [
          ['Produce', 0],
          ['Fetch', 1],
          ['Metadata', 3],
          ['ApiVersions', 18],
        ].map(([n, k]) => [n, range(apis, k as number)?.max ?? null]),
      ),
      saslHandshake: range(apis, apiKeys.SaslHandshake) !== undefined,
    };
    const version: 1 | 4 | undefined = meta.min <= 4 && meta.max >= 4 ? 4 : meta.min <= 1 && meta.max >= 1 ? 1 : undefined;
    if (!version)
      return {
        status: 'error',
        evidence: { product: 'Kafka', proof: 'ApiVersions v0', reply: `Metadata v${meta.min}–v${meta.max}` },
        facts,
        error: { code: 'EA_PROTOCOL', message: `no Metadata version in common (broker: v${meta.min}–v${meta.max}; probe: v1, v4)` },
      };
    const proof = `Metadata v${version}`;
    await session.write(version === 4 ? frames.metadata4 : frames.metadata1);
    let frame: Buffer;
    let cut = false;
    try {
      frame = await session.read(frameKafka);
    } catch (err) {
      if (isEaError(err, 'EA_CLOSED') || isEaError(err, 'EA_RESET'))
        return {
          status: 'auth-required',
          evidence: {
            product: 'Kafka',
            proof,
            reply: 'connection closed after ApiVersions',
            notes: ['the broker answered ApiVersions but closed the connection on Metadata: a SASL listener wants SaslHandshake first'],
          },
          facts,
        };
      // A cluster of a few thousand topics answers past the byte cap. The session stopped reading there (the cap
      // is kept); the bytes up to it begin with the response header and the broker list, which already prove the
      // broker answered Metadata without authentication, and the topics whole in them are a lower bound.
      if (!isEaError(err, 'EA_TOO_LARGE') || !err.details.partial) throw err;
      frame = err.details.partial;
      cut = true;
    }
    let md;
    try {
      md = parseMetadata(frame, version, 2, Math.max(ctx.caps.items, 1) * 4, { prefix: cut });
    } catch (err) {
      throw new EaError(cut ? 'EA_TOO_LARGE' : 'EA_PROTOCOL', `malformed Metadata response: ${(err as Error).message}`);
    }
    const visible = md.topics.filter((t) => t.errorCode === 0);
    const items: DataItem[] = visible
      .slice(0, ctx.caps.items)
      .map((t) => ({ kind: 'topic', name: t.name.slice(0, 256), rows: t.partitions }));
    const truncated = md.truncated || visible.length > ctx.caps.items;
    const topicCount = md.readableTopics;
    const sensitive = visible.filter((t) => looksSensitive(t.name)).length;
    Object.assign(facts, {
      clusterId: md.clusterId,
      controllerId: md.controllerId,
      brokers: md.brokers.slice(0, 20).map((b) => `${b.nodeId}@${b.host.slice(0, 128)}:${b.port}`),
      topics: topicCount,
      ...(md.cut ? { topicsAtLeast: true, topicsAnnounced: md.announcedTopics } : {}),
      internalTopics: visible.filter((t) => t.internal).length,
      partitions: visible.reduce((n, t) => n + t.partitions, 0),
      ...(md.topics.length > visible.length ? { topicsWithErrors: md.topics.length - visible.length } : {}),
      ...(sensitive ? { sensitiveTopics: sensitive } : {}),
    });
    const notes = ['ApiVersions is answered before any authentication: only the Metadata reply proves access'];
    if (md.cut)
      notes.push(
        `at least ${topicCount} topics (reply cut at the byte cap after ${frame.length} bytes; its header announces ${md.announcedTopics}): counts are lower bounds`,
      );
    if (!visible.length) notes.push('Metadata answered without credentials but listed no topics (none exist, or an authorizer hides them)');
    return {
      status: 'exposed',
      evidence: {
        product: 'Kafka',
        proof,
        reply: `${md.brokers.length} broker(s), ${md.cut ? 'at least ' : ''}${topicCount} topic(s)${md.clusterId ? `, cluster ${md.clusterId.slice(0, 64)}` : ''}`,
        notes,
        ...(truncated ? { truncated: true } : {}),
      },
      facts,
      data: {
        items,
        totals: { tables: topicCount },
        ...(truncated ? { truncated } : {}),
      },
    };
  },
});
