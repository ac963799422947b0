import { redactedExcerpt } from '../src/risk/redact.js';
import { busyResult, defineProbe, type ProbeResult } from '../src/probe.js';
import { encodeClientHello, frameServerHello, parseServerHello } from '../src/protocols/clickhouse-native.js';
import { clickhouseAccessDenied, clickhouseAuthCodes } from '../src/protocols/tsv.js';

/**
 * ClickHouse native protocol: the server checks credentials before it answers a ClientHello, so a ServerHello to
 * user `default` with an empty password proves access; Exception 194/193/516 proves a password is demanded.
 * Decided by packet type and code, never by the server's time zone (a peer check that matched `UTC` misses
 * every server in another zone). Nothing is sent after the Hello.
 */
export const hello = encodeClientHello();

export default defineProbe({
  meta: {
    id: 'clickhouse-native',
    service: 'clickhouse',
    title: 'ClickHouse native protocol without authentication',
    description:
      'ClientHello as user default with an empty password; ServerHello = exposed (version, time zone), Exception 194/193/516 = auth-required.',
    defaultPorts: [9000, 9440],
    tlsPorts: [9440],
    transport: 'tcp',
    tls: 'optional',
    sends: [{ request: 'ClientHello user=default password=""', when: 'always', bytes: hello }],
    impact: 'data-store',
    exposure: 'anyone who can reach the port can log in as the default user with clickhouse-client and run SQL',
    remediation:
      'Give the default user a password (or remove it), restrict <networks>, listen on private interfaces only, and firewall 9000/9440.',
    references: ['https://clickhouse.com/docs/interfaces/tcp'],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const proof = 'ClientHello user=default password=""';
    // The ClickHouse HTTP port (or any HTTP server) answers binary with an HTTP 400: the engine reads that
    // first-reply protocol error as not-detected.
    const session = await ctx.tcp({ proof });
    await session.write(hello);
    const buf = await session.read(frameServerHello);
    const packet = parseServerHello(buf);
    if (packet.type === 'hello') {
      const version = `${packet.major}.${packet.minor}${packet.patch !== undefined ? `.${packet.patch}` : ''}`;
      const facts: Record<string, unknown> = { serverName: packet.name, version, revision: packet.revision };
      if (packet.timezone !== undefined) facts.timezone = packet.timezone;
      if (packet.displayName !== undefined) facts.displayName = packet.displayName;
      if (!/clickhouse/i.test(packet.name))
        return { status: 'not-detected', evidence: { proof, reply: `Hello from ${packet.name}` }, facts };
      return {
        status: 'exposed',
        evidence: {
          product: 'ClickHouse',
          version,
          proof,
          reply: `ServerHello ${packet.name} ${version} rev ${packet.revision}${packet.timezone ? ` tz ${packet.timezone}` : ''}`,
          notes: ['native protocol: access proven at login; data is measured by the HTTP probe'],
        },
        facts,
      };
    }
    const reply = `Exception ${packet.code}: ${redactedExcerpt(packet.message, 200)}`;
    const facts = { exceptionCode: packet.code };
    if (clickhouseAuthCodes.has(packet.code)) return { status: 'auth-required', evidence: { product: 'ClickHouse', proof, reply }, facts };
    if (packet.code === clickhouseAccessDenied)
      return { status: 'exposed', evidence: { product: 'ClickHouse', proof, reply, limited: true }, facts };
    // 202 TOO_MANY_SIMULTANEOUS_QUERIES (max_concurrent_queries reached; ClickHouse src/Common/ErrorCodes.cpp): busy.
    if (packet.code === 202) return busyResult('ClickHouse', proof, reply, facts);
    return {
      status: 'error',
      evidence: { product: 'ClickHouse', proof, reply },
      facts,
      error: { code: 'EA_PROTOCOL', message: `unexpected ClickHouse exception code ${packet.code}` },
    };
  },
});
