import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDefaults } from '../../../src/engine/audit.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import { redactText } from '../../../src/risk/redact.js';
import { HttpClient } from '../../../src/net/http.js';
import { frameResp, parseResp, type RespValue } from '../../../src/protocols/resp.js';
import { probesFor } from '../../../src/cli/registry.js';
import type { Endpoint } from '../../../src/types.js';
import { seedRedis, serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { isDeclared, type Send } from '../../../src/probe.js';

/**
 * Read-only proof against real redis-server 7 (127.0.0.170–173): while the registry's Redis probes run, a second
 * connection in MONITOR mode records every command the server executed. Each command from the probe's source
 * address (127.0.0.196) must be one the probes declare in meta.sends (case-insensitive, command + arguments), every
 * declared command must carry no `write` flag in the server's own COMMAND INFO, and the data (DBSIZE, a SHA-256
 * over every key, type and value, and rdb_changes_since_last_save where INFO is allowed) must be unchanged.
 *
 * MONITOR shows what the server executed: commands refused before execution (-NOAUTH, -DENIED) never appear, which
 * is why the protected variants see nothing at all from the probe.
 */
const SOURCE = '127.0.0.196';
const VERIFIER = '127.0.0.1';
const redisProbes = probesFor('redis');
const servers: Record<string, ServerInstance> = {};

/** A minimal RESP client over node:net (RESP arrays of bulk strings), for the verifier's own connections. */
class RespConn {
  #socket: net.Socket;
  #buf = Buffer.alloc(0);
  #waiters: Array<(v: RespValue) => void> = [];
  #onSimple?: (line: string) => void;
  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (d) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      for (let guard = 0; guard < 10_000; guard++) {
        const n = frameResp(this.#buf);
        if (n === undefined) break;
        const v = parseResp(this.#buf.subarray(0, n));
        this.#buf = this.#buf.subarray(n);
        const w = this.#waiters.shift();
        if (w) w(v);
        else if (v.type === 'simple') this.#onSimple?.(v.value);
      }
    });
    socket.on('error', () => undefined);
  }
  static open(inst: ServerInstance): Promise<RespConn> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: inst.host, port: inst.ports.redis!, localAddress: VERIFIER }, () => resolve(new RespConn(s)));
      s.once('error', reject);
      s.setTimeout(10_000, () => s.destroy(new Error('verifier connection timed out')));
    });
  }
  send(...args: string[]): Promise<RespValue> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
  }
  /** After MONITOR: every pushed line. */
  onPush(f: (line: string) => void) {
    this.#onSimple = f;
  }
  close() {
    this.#socket.destroy();
  }
}

const text = (v: RespValue): string => (v.type === 'bulk' ? (v.value?.toString('utf8') ?? '') : v.type === 'array' ? '' : String(v.value));

async function authed(inst: ServerInstance): Promise<RespConn> {
  const c = await RespConn.open(inst);
  if (inst.password) expect(text(await c.send('AUTH', inst.password))).toBe('OK');
  return c;
}

/** DBSIZE, a digest over every key (name, type, value) and, where INFO is allowed, the change counter. */
async function snapshot(inst: ServerInstance) {
  const c = await authed(inst);
  try {
    const dbsize = (await c.send('DBSIZE')).value;
    const keys: string[] = [];
    let cursor = '0';
    for (let i = 0; i < 100; i++) {
      const r = await c.send('SCAN', cursor, 'COUNT', '1000');
      if (r.type !== 'array' || !r.value) throw new Error(`SCAN: ${JSON.stringify(r)}`);
      cursor = text(r.value[0]!);
      const page = r.value[1];
      if (page?.type === 'array') for (const k of page.value ?? []) keys.push(text(k));
      if (cursor === '0') break;
    }
    keys.sort();
    const hash = createHash('sha256');
    for (const k of keys) {
      const type = text(await c.send('TYPE', k));
      const value = type === 'string' ? text(await c.send('GET', k)) : '';
      hash.update(`${k}\0${type}\0${value}\0`);
    }
    const info = await c.send('INFO', 'persistence');
    const changes = info.type === 'bulk' ? /rdb_changes_since_last_save:(\d+)/.exec(text(info))?.[1] : 'INFO refused';
    return { dbsize, keys: keys.length, digest: hash.digest('hex'), changes };
  } finally {
    c.close();
  }
}

/** `+1700000000.123 [0 127.0.0.196:40000] "SCAN" "0" "COUNT" "100"` → { addr, args }. */
function parseMonitorLine(line: string): { addr: string; args: string[] } | undefined {
  const m = /^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
  if (!m) return undefined;
  const args = [...m[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((a) =>
    a[1]!.replace(/\\x([0-9a-f]{2})|\\(.)/gi, (_s, hex: string | undefined, c: string | undefined) =>
      hex
        ? String.fromCharCode(parseInt(hex, 16))
        : (({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' } as Record<string, string>)[c!] ?? c!),
    ),
  );
  const addr = m[1]!.replace(/:\d+$/, '');
  return { addr, args };
}

/** Watches a server with MONITOR until a marker (an ECHO from another connection) shows everything before it arrived. */
async function monitor(inst: ServerInstance) {
  const conn = await authed(inst);
  const lines: string[] = [];
  expect(text(await conn.send('MONITOR'))).toBe('OK');
  conn.onPush((l) => lines.push(l));
  return {
    async stop(): Promise<Array<{ addr: string; args: string[] }>> {
      const marker = `ea-readonly-marker-${process.pid}-${Date.now()}`;
      const c = await authed(inst);
      await c.send('ECHO', marker);
      c.close();
      const deadline = Date.now() + 5_000;
      while (!lines.some((l) => l.includes(marker)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      conn.close();
      expect(
        lines.some((l) => l.includes(marker)),
        'MONITOR saw the marker',
      ).toBe(true);
      return lines.map(parseMonitorLine).filter((x): x is { addr: string; args: string[] } => x !== undefined);
    },
  };
}

/** A declared Redis command's name: the first word inline, the first argument of a RESP array (`*<n> \\r\\n $4 \\r\\n MGET …`). */
function commandName(s: Send): string {
  return s.request.startsWith('*') ? s.request.split(' \\r\\n ')[2]! : s.request.split(' ')[0]!;
}

function allowed(command: string[], sampling: boolean): boolean {
  const sends = redisProbes.flatMap((p) => p.meta.sends);
  // MONITOR shows every command as its arguments: the inline form the probe types, matched by the one matcher.
  if (isDeclared(sends, [command[0]?.toUpperCase(), ...command.slice(1)].join(' '), { sample: sampling })) return true;
  // The opt-in RESP-array command (MGET): its name is the array's first argument.
  return sampling && sends.some((s) => s.when === '--sample' && commandName(s) === command[0]?.toUpperCase());
}

async function audit(inst: ServerInstance, sampleRows = 0) {
  const http = new HttpClient({ connectTimeoutMs: 1000, localAddress: SOURCE });
  const ep: Endpoint = {
    host: inst.host,
    port: inst.ports.redis!,
    service: 'redis',
    asset: inst.variant,
    declaredHost: inst.host,
    labels: {},
    source: { file: 'ro.yaml', line: 1, column: 1 },
  };
  try {
    return await probeEndpoint(redisProbes, ep, {
      timeoutMs: 3000,
      connectTimeoutMs: 1000,
      maxBytes: auditDefaults.maxBytes,
      caps: auditDefaults.caps,
      signal: new AbortController().signal,
      http,
      sourceAddress: SOURCE,
      ...(sampleRows ? { sampleRows } : {}),
    });
  } finally {
    await http.close();
  }
}

const seed = {
  'session:9f2c': 'u1',
  'session:77ab': 'u2',
  'api_key:prod': 'sk_live_0000000000000000',
  'user:42:profile': '{"name":"x"}',
  'cache:home': '<html>',
};

beforeAll(async () => {
  if (!serverAvailable('redis')) return;
  const [open, secured, protectedMode, limited] = await Promise.all([
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.170' }),
    startServer({ kind: 'redis', variant: 'protected', host: '127.0.0.171' }),
    startServer({ kind: 'redis', variant: 'protected-mode', host: '127.0.0.172' }),
    startServer({ kind: 'redis', variant: 'limited', host: '127.0.0.173' }),
  ]);
  Object.assign(servers, { open, secured, protectedMode, limited });
  await Promise.all(Object.values(servers).map((s) => seedRedis(s, seed)));
}, 60_000);

afterAll(async () => {
  await stopAll();
});

describe.skipIf(!serverAvailable('redis'))('Redis: only declared read-only commands reach the server, and its data is unchanged', () => {
  it('every declared command is read-only by the server’s own COMMAND INFO (no `write` flag)', async () => {
    const c = await authed(servers.open!);
    try {
      const names = [...new Set(redisProbes.flatMap((p) => p.meta.sends).map(commandName))];
      for (const name of names) {
        const info = await c.send('COMMAND', 'INFO', name);
        const entry = info.type === 'array' ? info.value?.[0] : undefined;
        expect(entry?.type, `${name} is a known command`).toBe('array');
        const flags = entry?.type === 'array' && entry.value?.[2]?.type === 'array' ? (entry.value[2].value ?? []).map(text) : [];
        expect(flags, name).not.toContain('write');
        expect(flags, name).not.toContain('admin');
      }
    } finally {
      c.close();
    }
  });

  it.each([
    ['open', 'exposed', 0],
    ['open', 'exposed', 3],
    ['secured', 'auth-required', 0],
    ['protectedMode', 'denied', 0],
    ['limited', 'exposed', 0],
  ] as const)('%s → %s (sample %i)', async (key, status, sampleRows) => {
    const inst = servers[key]!;
    const before = await snapshot(inst);
    const mon = await monitor(inst);
    const { observation } = await audit(inst, sampleRows);
    const seen = await mon.stop();
    expect(observation.status).toBe(status);

    const fromProbe = seen.filter((s) => s.addr === SOURCE);
    const others = seen.filter((s) => s.addr !== SOURCE && s.addr !== VERIFIER);
    expect(others, 'nobody else talked to this server').toEqual([]);
    for (const s of fromProbe) expect(allowed(s.args, sampleRows > 0), `undeclared command: ${s.args.join(' ')}`).toBe(true);
    // What the engine recorded as sent matches what the server executed (refused commands are not executed).
    const executed = fromProbe.map((s) => s.args.join(' ').toUpperCase());
    if (status === 'exposed' && !observation.evidence.limited) {
      expect(executed.slice(0, 3)).toEqual(['PING', 'INFO', 'SCAN 0 COUNT 100']);
      if (sampleRows) expect(executed.some((e) => e.startsWith('MGET '))).toBe(true);
    }
    if (status === 'auth-required' || status === 'denied') expect(executed).toEqual([]);
    // (MGET is written in RESP array form, so the engine records it as raw RESP rather than as a command line.)
    // Requests are recorded redacted at the source (a key named like a secret, e.g. api_key:prod, reads redacted there).
    const recorded = observation.evidence.requests.map((r) => r.toUpperCase());
    for (const s of fromProbe) {
      const line = s.args.join(' ');
      if (line.toUpperCase() === 'QUIT' || line.toUpperCase().startsWith('MGET ')) continue;
      expect(recorded).toContain(redactText(line).toUpperCase());
    }

    const after = await snapshot(inst);
    expect(after).toEqual(before);
    expect(after.dbsize).toBe(Object.keys(seed).length);
  });
});
