import { EaError, isEaError } from '../src/errors.js';
import type { TcpSession } from '../src/net/tcp.js';
import { always, busyResult, defineProbe, type ProbeResult } from '../src/probe.js';
import { frameResp, parseInfo, parseKeyspaceLine, parseResp, type RespValue } from '../src/protocols/resp.js';
import { redactedExcerpt } from '../src/risk/redact.js';
import { scanSecrets } from '../src/risk/scan.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { AccessTraces, DataItem, DataSample, KeyExpiry } from '../src/types.js';

/**
 * Redis speaks RESP; inline commands are plain lines. Never send HTTP here: Redis drops any line starting
 * `POST` or containing `Host:` as a cross-protocol attack. Read-only: PING, INFO, SCAN (names only), QUIT.
 * Never KEYS * (blocks the server), never CONFIG, CLIENT LIST or anything that writes.
 */
const scanCount = 100;

function excerpt(v: RespValue): string {
  // Redacted before it is cut: a secret cut by the excerpt would no longer match.
  if (v.type === 'bulk') return v.value === null ? '$-1' : `$${v.value.length} ${redactedExcerpt(v.value.toString('utf8'), 60)}…`;
  if (v.type === 'array') return `*${v.value?.length ?? -1}`;
  return `${{ simple: '+', error: '-', integer: ':' }[v.type]}${redactedExcerpt(String(v.value), 160)}`;
}

/** Groups key names by their first `:`/`/`-separated segment: `session:9f…` → `session:`. */
function keyPrefixes(names: string[]): DataItem[] {
  const counts = new Map<string, number>();
  for (const n of names) {
    const m = /^([^:/.]*[:/.])/.exec(n);
    const prefix = m ? m[1]! : n;
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  return [...counts].map(([name, rows]) => ({ kind: 'key' as const, name, rows }));
}

/** Opt-in: MGET of sensitive-looking keys (read-only; non-string keys come back nil). Values are scanned, then dropped. */
async function sampleValues(session: TcpSession, names: string[], max: number): Promise<DataSample> {
  const pick = names.filter((n) => looksSensitive(n)).slice(0, max);
  if (!pick.length) return { rows: 0, sources: [], secrets: [] };
  const cmd = ['MGET', ...pick];
  // RESP array form: key names may hold spaces or quotes that inline commands would split.
  await session.write(`*${cmd.length}\r\n${cmd.map((c) => `$${Buffer.byteLength(c)}\r\n${c}\r\n`).join('')}`);
  const reply = parseResp(await session.read(frameResp));
  const values =
    reply.type === 'array' ? (reply.value ?? []).flatMap((v) => (v.type === 'bulk' && v.value ? [v.value.toString('utf8')] : [])) : [];
  return { rows: values.length, sources: keyPrefixes(pick).map((p) => p.name), secrets: scanSecrets(values) };
}

/** Keys whose size is sampled to estimate the data's size. */
const memorySampleKeys = 8; // MEMORY USAGE <key> for up to this many key names from the SCAN page: sizes, never values

/**
 * The data's size, estimated: keys × the mean `MEMORY USAGE` of up to `memorySampleKeys` sampled keys (Redis ≥ 4.0,
 * a read-only command: https://redis.io/docs/latest/commands/memory-usage/, nested values sampled 5 by default).
 * Undefined when the command is refused (renamed, an older server, ACL): then only the server's memory is known,
 * and it is labelled as such, never reported as the data's bytes. A note says what the figure measures.
 */
async function estimateDataBytes(session: TcpSession, names: string[], keys: number, notes: string[]): Promise<number | undefined> {
  const sizes: number[] = [];
  // Inline commands, so the evidence reads as typed: only key names an inline command keeps whole (no blanks or quotes).
  for (const name of names.filter((n) => /^[\x21-\x7e]+$/.test(n) && !/["'\\]/.test(n)).slice(0, memorySampleKeys)) {
    await session.write(`MEMORY USAGE ${name}\r\n`);
    const reply = parseResp(await session.read(frameResp));
    if (reply.type === 'error') return undefined;
    if (reply.type === 'integer' && Number.isFinite(Number(reply.value)) && Number(reply.value) >= 0) sizes.push(Number(reply.value));
  }
  if (!sizes.length) return undefined;
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  const bytes = Math.round(mean * keys);
  notes.push(
    `data size: about ${bytes} bytes, estimated as ${keys} keys × the mean MEMORY USAGE of ${sizes.length} sampled key${sizes.length === 1 ? '' : 's'} (${Math.round(mean)} bytes)`,
  );
  return bytes;
}

/** Valkey 8.x protected-mode text lacks "Redis"; every Redis (and Valkey 7.2) text has it. */
function deniedProduct(error: string): string {
  return /^DENIED Running in protected mode/.test(error) ? 'Valkey' : 'Redis';
}

/**
 * Product and version from `# Server`. Valkey prints `redis_version:7.2.4` first (a compatibility constant that
 * "should never exceed 7.2.x"), then `server_name:valkey` and `valkey_version:<real>` (valkey src/version.h and
 * src/server.c, 7.2.5 and 8.0.1); reading only redis_version reports every Valkey as Redis 7.2.4.
 */
function productOf(server: Record<string, string>): { name: string; version: string; compat?: string } {
  const valkey = server.valkey_version?.slice(0, 40);
  if (valkey || server.server_name === 'valkey')
    return { name: 'Valkey', version: valkey ?? server.redis_version!, compat: server.redis_version };
  return { name: 'Redis', version: server.redis_version! };
}

export default defineProbe({
  meta: {
    id: 'redis',
    service: 'redis',
    title: 'Redis without authentication',
    description: 'PING then INFO: +PONG/INFO proves access, -NOAUTH asks for a password, -DENIED is protected mode.',
    defaultPorts: [6379, 6380],
    tlsPorts: [6380],
    transport: 'tcp',
    tls: 'optional',
    sends: [
      ...always('PING', 'INFO', `SCAN 0 COUNT ${scanCount}`, 'MEMORY USAGE <key>'),
      // MGET in RESP array form, up to N sensitive-looking key names, each a length-prefixed argument.
      { request: '*<n> \\r\\n $4 \\r\\n MGET \\r\\n <key arguments...>', when: '--sample' },
      ...always('QUIT'),
    ],
    impact: 'code-execution', // CONFIG SET dir/dbfilename and MODULE LOAD are known paths to code execution
    exposure: 'anyone who can reach the port can read and overwrite every key, and reconfigure the server (a known path to code execution)',
    remediation:
      'Set requirepass or ACL users (no `nopass` default user), bind to private interfaces, enable protected-mode, and firewall the port.',
    references: ['https://redis.io/docs/latest/operate/oss_and_stack/management/security/'],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    // Something that answers PING with anything but RESP (an HTTP or memcached server, a banner) is another
    // service: the engine reads that first-reply protocol error as not-detected.
    const session = await ctx.tcp();
    await session.write('PING\r\n');
    const pong = parseResp(await session.read(frameResp));
    const reply = excerpt(pong);
    if (pong.type === 'error') {
      const e = pong.value;
      if (/^NOAUTH\b/.test(e) || /^ERR operation not permitted/i.test(e) || /^WRONGPASS\b/.test(e))
        return { status: 'auth-required', evidence: { product: 'Redis', proof: 'PING', reply }, facts: {} };
      if (/^DENIED\b/.test(e))
        // Protected mode answers only when no password is set: one config change from open. Match the prefix, not
        // the wording: Valkey ≥ 8.0 says "Running in protected mode" (no "Redis"; valkey 8.0.1 src/networking.c),
        // Valkey 7.2.x still says "Redis is running in protected mode", so only the 8.x text names the product.
        return {
          status: 'denied',
          evidence: {
            product: deniedProduct(e),
            proof: 'PING',
            reply,
            notes: ['protected mode: no password is set for the default user'],
          },
          facts: { protectedMode: true, passwordSet: false },
        };
      // Sent at accept when maxclients is reached, before any authentication (redis networking.c acceptCommonHandler).
      if (/^ERR max number of clients reached/.test(e)) return busyResult('Redis', 'PING', reply);
      // processCommand refuses these only after its authentication check (NOAUTH comes first; redis server.c): the
      // server answered PING without a password, so it is open, just not serving data right now.
      if (/^(LOADING|BUSY|MASTERDOWN)\b/.test(e))
        return {
          status: 'exposed',
          evidence: {
            product: 'Redis',
            proof: 'PING',
            reply,
            limited: true,
            notes: [
              'PING passed the authentication check, then the server said it is loading or busy: no password is required; keys not listed',
            ],
          },
          facts: { transient: e.split(' ')[0] },
        };
      if (/^NOPERM\b/.test(e)) return { status: 'exposed', evidence: { product: 'Redis', proof: 'PING', reply, limited: true }, facts: {} };
      return { status: 'not-detected', evidence: { proof: 'PING', reply }, facts: {} };
    }
    if (!(pong.type === 'simple' && pong.value === 'PONG'))
      return { status: 'not-detected', evidence: { proof: 'PING', reply }, facts: {} };

    await session.write('INFO\r\n');
    const infoReply = parseResp(await session.read(frameResp));
    if (infoReply.type === 'error') {
      // PONG without credentials, INFO refused by ACL: logged in, but limited.
      return {
        status: 'exposed',
        evidence: { product: 'Redis', proof: 'PING', reply, limited: true, notes: [`INFO: ${excerpt(infoReply)}`] },
        facts: {},
      };
    }
    if (infoReply.type !== 'bulk' || infoReply.value === null) throw new EaError('EA_PROTOCOL', 'INFO did not return a bulk string');
    const info = parseInfo(infoReply.value.toString('utf8'));
    const server = info.server ?? {};
    if (!server.redis_version) return { status: 'not-detected', evidence: { proof: 'INFO', reply: excerpt(infoReply) }, facts: {} };

    const product = productOf(server);
    // Database names come from the server: no prototype, so `__proto__` is just a name.
    const keyspace: Record<string, { keys: number; expires: number }> = Object.create(null);
    let keys = 0;
    let expiring = 0;
    for (const [db, v] of Object.entries(info.keyspace ?? {})) {
      const k = parseKeyspaceLine(v);
      keyspace[db] = { keys: k.keys ?? 0, expires: k.expires ?? 0 };
      keys += k.keys ?? 0;
      expiring += k.expires ?? 0;
    }
    const usedMemory = Number(info.memory?.used_memory ?? NaN);
    const mode = server.redis_mode ?? server.server_mode;
    const facts: Record<string, unknown> = {
      version: product.version,
      ...(product.compat ? { redisCompatVersion: product.compat } : {}),
      mode,
      os: server.os,
      role: info.replication?.role,
      connectedClients: Number(info.clients?.connected_clients ?? NaN) || undefined,
      // The server's whole memory (allocator, buffers, replication backlog): never the data's size.
      serverMemoryBytes: Number.isFinite(usedMemory) ? usedMemory : undefined,
      keyspace,
    };
    const items: DataItem[] = Object.entries(keyspace).map(([name, k]) => ({ kind: 'keyspace', name, rows: k.keys }));
    let truncated = false;
    let sample: DataSample | undefined;
    let dataBytes: number | undefined;
    const notes: string[] = [];
    // Key names only (never values), one SCAN page from db 0: what kind of data sits here. SCAN and sampling are
    // optional steps after the proof: their failure (a 2 MB value past the byte cap, a reset) never undoes the
    // proven exposure; it is noted and the listing marked truncated. An interrupt still stops the run.
    let sessionUsable = true;
    if (keys > 0 && mode !== 'sentinel') {
      let names: string[] = [];
      try {
        await session.write(`SCAN 0 COUNT ${scanCount}\r\n`);
        const scan = parseResp(await session.read(frameResp));
        if (scan.type === 'array' && scan.value?.[1]?.type === 'array') {
          // Raw names (bounded) are what MGET must ask for; the listing gets them redacted, then cut.
          names = (scan.value[1].value ?? [])
            .map((v) => (v.type === 'bulk' && v.value ? v.value.toString('utf8', 0, 1024) : ''))
            .filter(Boolean)
            .slice(0, ctx.caps.items);
          items.push(...keyPrefixes(names.map((n) => redactedExcerpt(n, 200))));
          truncated = names.length < keys;
          dataBytes = await estimateDataBytes(session, names, keys, notes);
        }
      } catch (err) {
        if (isEaError(err, 'EA_ABORTED')) throw err;
        sessionUsable = false;
        truncated = true;
        notes.push(`SCAN failed (${isEaError(err) ? err.code : 'error'}): key names not listed`);
      }
      if (sessionUsable && names.length && ctx.sample.rows > 0) {
        try {
          sample = await sampleValues(session, names, ctx.sample.rows);
        } catch (err) {
          if (isEaError(err, 'EA_ABORTED')) throw err;
          sessionUsable = false;
          sample = { rows: 0, sources: [], secrets: [], truncated: true };
          notes.push(
            `sampling failed (${isEaError(err) ? err.code : 'error'}${isEaError(err, 'EA_TOO_LARGE') ? ': the values exceed the byte cap' : ''}): nothing sampled`,
          );
        }
      }
    }
    if (sessionUsable) await session.write('QUIT\r\n').catch(() => undefined);
    if (dataBytes === undefined && Number.isFinite(usedMemory)) {
      notes.push(`server memory (INFO used_memory): ${usedMemory} bytes — the whole server's, not the data's size`);
    }
    return {
      status: 'exposed',
      evidence: {
        product: mode === 'sentinel' ? `${product.name} Sentinel` : product.name,
        version: product.version,
        proof: 'INFO',
        reply: `${product.compat ? `valkey_version:${product.version} redis_version:${product.compat}` : `redis_version:${product.version}`} mode:${mode ?? '?'} role:${String(facts.role ?? '?')}`,
        ...(notes.length ? { notes } : {}),
      },
      facts,
      access: accessFromInfo(info),
      data: {
        items,
        // bytes: the data's estimated size (keys × mean MEMORY USAGE of the sampled keys), never used_memory.
        totals: { keys, ...(dataBytes !== undefined ? { bytes: dataBytes } : {}) },
        ...(keys > 0 ? { expiry: { keys, expiring } satisfies KeyExpiry } : {}),
        ...(sample ? { sample } : {}),
        ...(truncated ? { truncated } : {}),
      },
    };
  },
});

/**
 * Connection counters from the INFO already read (no extra command): `# Stats` total_connections_received and
 * `# Clients` connected_clients, since the server started (`# Server` uptime_in_seconds). Redis keeps no log of who
 * connected: these are counts, never addresses, and a low count proves nothing about earlier runs of the server.
 */
export function accessFromInfo(info: Record<string, Record<string, string> | undefined>): AccessTraces {
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const received = num(info.stats?.total_connections_received);
  const clients = num(info.clients?.connected_clients);
  const uptime = num(info.server?.uptime_in_seconds);
  return {
    source: 'INFO stats',
    ...(received !== undefined ? { connectionsReceived: received } : {}),
    ...(clients !== undefined ? { connectedClients: clients } : {}),
    ...(uptime !== undefined ? { uptimeSeconds: uptime } : {}),
    ...(received === undefined ? { unavailable: 'INFO stats has no total_connections_received' } : {}),
  };
}
