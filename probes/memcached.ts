import { always, busyResult, defineProbe, type ProbeResult } from '../src/probe.js';
import { frameMemcached, parseStats } from '../src/protocols/memcached.js';
import type { DataItem } from '../src/types.js';

/**
 * memcached text protocol. `version`, `stats` and `stats items` are read-only counters; key names and values are
 * never read (no `stats cachedump`, no `lru_crawler metadump`, no `get`). With ASCII auth (`-Y`, 1.5.15+) every
 * command before authentication answers `CLIENT_ERROR unauthenticated`; SASL (`-S`) is binary-only and closes a
 * text connection without a reply, which stays an error (nothing identified the product).
 * Source: memcached proto_text.c, doc/protocol.txt.
 */
const sends = always('version', 'stats', 'stats items', 'quit');

function firstLine(buf: Buffer): string {
  const t = buf.toString('utf8');
  return t.slice(0, Math.min(t.indexOf('\r\n') >>> 0, 200));
}

export default defineProbe({
  meta: {
    id: 'memcached',
    service: 'memcached',
    title: 'memcached without authentication',
    description:
      'version, then stats and stats items: a STAT reply proves access (item counts, bytes); CLIENT_ERROR unauthenticated = ASCII auth is on.',
    defaultPorts: [11211],
    transport: 'tcp',
    tls: 'never',
    sends,
    exposure: 'anyone who can reach the port can read, overwrite and flush every cached item (sessions, tokens, rendered pages)',
    remediation: 'Listen on a private interface only (-l), disable UDP (-U 0), enable SASL (-S) or ASCII auth (-Y), and firewall 11211.',
    references: [
      'https://github.com/memcached/memcached/wiki/SASLHowto',
      'https://github.com/memcached/memcached/blob/master/doc/protocol.txt',
    ],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    const session = await ctx.tcp();
    await session.write('version\r\n');
    const reply = firstLine(await session.read(frameMemcached));
    // Written at accept when maxconns is reached, then the connection is closed (memcached.c, conn_listening);
    // SERVER_ERROR out of memory when it cannot allocate for the request (proto_text.c).
    if (/^ERROR Too many open connections|^SERVER_ERROR out of memory/.test(reply)) return busyResult('memcached', 'version', reply);
    if (/^CLIENT_ERROR unauthenticated/.test(reply))
      return { status: 'auth-required', evidence: { product: 'memcached', proof: 'version', reply }, facts: { asciiAuth: true } };
    const v = /^VERSION (\S{1,40})$/.exec(reply);
    if (!v) return { status: 'not-detected', evidence: { proof: 'version', reply }, facts: {} };
    const version = v[1]!;

    await session.write('stats\r\n');
    const statsBuf = await session.read(frameMemcached);
    const stats = parseStats(statsBuf.toString('utf8'));
    // VERSION alone could be any line-based echo: the proof is a STAT reply with memcached's own counters.
    if (stats.curr_items === undefined || stats.pid === undefined)
      return { status: 'not-detected', evidence: { proof: 'stats', reply: firstLine(statsBuf) }, facts: { version } };
    const num = (k: string) => (/^\d{1,20}$/.test(stats[k] ?? '') ? Number(stats[k]) : undefined);

    await session.write('stats items\r\n');
    const itemsBuf = await session.read(frameMemcached);
    const items: DataItem[] = [];
    let truncated = false;
    for (const [k, val] of Object.entries(parseStats(itemsBuf.toString('utf8')))) {
      const m = /^items:(\d{1,3}):number$/.exec(k);
      if (!m || !/^\d{1,20}$/.test(val)) continue;
      if (items.length >= ctx.caps.items) {
        truncated = true;
        continue;
      }
      items.push({ kind: 'keyspace', name: `slab class ${m[1]}`, rows: Number(val) });
    }
    await session.write('quit\r\n').catch(() => undefined);
    const keys = num('curr_items') ?? 0;
    const bytes = num('bytes');
    const facts: Record<string, unknown> = {
      version,
      currItems: keys,
      totalItems: num('total_items'),
      bytes,
      limitMaxBytes: num('limit_maxbytes'),
      currConnections: num('curr_connections'),
      uptimeSeconds: num('uptime'),
    };
    return {
      status: 'exposed',
      evidence: {
        product: 'memcached',
        version,
        proof: 'stats',
        reply: `VERSION ${version}; STAT curr_items ${keys}; STAT bytes ${bytes ?? '?'}`,
      },
      facts,
      data: { items, totals: { keys, ...(bytes !== undefined ? { bytes } : {}) }, ...(truncated ? { truncated } : {}) },
    };
  },
});
