// The ProbeTester (issue 20 part 1): runs a probe against the recorded exchanges of probes/<id>.replies.ts through
// one replay TCP server on loopback, and says what the probe did. Loopback literals only, port 0.
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { describeWrite, isDeclared, type Probe } from '../../src/probe.js';
import type { Exchange, ProbeCase, ProbeReplies } from '../../src/probe-replies.js';
import type { Observation } from '../../src/types.js';
import { createHarness } from './probe-harness.js';

const dir = new URL('../../probes/', import.meta.url);

/** Probes that run the HTTP signature catalog: their recorded replies live beside each signature instead. */
export const catalogRunners = new Set(['http-admin']);

export function repliesPath(id: string): string {
  return `probes/${id}.replies.ts`;
}

export function hasRepliesFile(id: string): boolean {
  return existsSync(new URL(`${id}.replies.ts`, dir));
}

/** Every probes/<id>.replies.ts, loaded. */
export async function loadProbeReplies(): Promise<ProbeReplies[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.replies.ts'))
    .sort();
  const modules = await Promise.all(files.map(async (f) => (await import(new URL(f, dir).href)) as { default?: ProbeReplies }));
  // Byte replays only (a default ProbeReplies); an HTTP probe's recorded exchanges (probes/mcp.replies.ts) have their
  // own replay test and are checked by recordedHttpStates.
  return modules.flatMap((m) => (m.default && 'cases' in m.default ? [m.default] : []));
}

/**
 * The verdicts an HTTP probe's recorded exchanges cover (probes/<id>.replies.ts exporting cases of
 * `{ expect: { status } }`, replayed by that probe's own test): the registry test requires exposed and auth-required.
 */
export async function recordedHttpStates(id: string): Promise<Set<string>> {
  const file = new URL(`${id}.replies.ts`, dir);
  if (!existsSync(file)) return new Set();
  const m = (await import(file.href)) as Record<string, unknown>;
  const states = new Set<string>();
  for (const v of Object.values(m))
    if (v && typeof v === 'object')
      for (const c of Object.values(v as Record<string, { expect?: { status?: string } }>))
        if (typeof c?.expect?.status === 'string') states.add(c.expect.status);
  return states;
}

export interface ReplayTcp {
  host: string;
  port: number;
  /** Every request received, named by the replies file's describe (else describeWrite), in order. */
  requests: string[];
  /** The bytes written back, one list per connection in accept order (function replies resolved). */
  written: Buffer[][];
  close(): Promise<void>;
}

function matches(want: string | RegExp | undefined, got: string): boolean {
  return want !== undefined && (typeof want === 'string' ? want === got : want.test(got));
}

/** Serves one case: greetings at accept, then for each framed request the first exchange that matches it. */
export async function startReplayTcp(host: string, replies: ProbeReplies, c: ProbeCase): Promise<ReplayTcp> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`replay servers bind loopback literals only, not ${host}`);
  const requests: string[] = [];
  const written: Buffer[][] = [];
  const sockets = new Set<net.Socket>();
  const answer = (socket: net.Socket, out: Buffer[], e: Exchange, request = Buffer.alloc(0)) => {
    const r = typeof e.reply === 'function' ? e.reply(request) : e.reply;
    if (r !== undefined) {
      const bytes = typeof r === 'string' ? Buffer.from(r, 'latin1') : r;
      out.push(bytes);
      socket.write(bytes);
    }
    if (e.close) socket.end();
  };
  const server = net.createServer((socket) => {
    const out: Buffer[] = [];
    written.push(out);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    for (const e of c.exchanges.filter((x) => x.request === undefined)) answer(socket, out, e);
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (let n = replies.frameRequest(buf); n !== undefined && n > 0 && !socket.destroyed; n = replies.frameRequest(buf)) {
        const frame = buf.subarray(0, n);
        buf = buf.subarray(n);
        const name = replies.describe?.(frame) ?? describeWrite(frame);
        requests.push(name);
        const hit = c.exchanges.find((x) => matches(x.request, name));
        if (hit) answer(socket, out, hit, Buffer.from(frame));
        else socket.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    requests,
    written,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TesterRun {
  observation: Observation;
  /** Requests the server received, as named for meta.sends. */
  received: string[];
  /** Received requests meta.sends does not declare (under the case's flags): must be empty. */
  undeclared: string[];
  /** Planted secrets found anywhere in the observation: must be empty. */
  leaked: string[];
  /** The bytes the server wrote back, per connection (ReplayTcp.written). */
  written: Buffer[][];
}

const harness = createHarness({ timeoutMs: 6000 });

/** Runs `probe` against one case on `host` and reports what it did. */
export async function runCase(probe: Probe, replies: ProbeReplies, c: ProbeCase, host: string): Promise<TesterRun> {
  const server = await startReplayTcp(host, replies, c);
  try {
    const { observation } = await harness.probe(probe.meta.service, host, server.port, {
      probes: [probe],
      ...(c.sampleRows ? { sampleRows: c.sampleRows } : {}),
    });
    const flags = { sample: Boolean(c.sampleRows), tryDefaultCredentials: false };
    const text = JSON.stringify(observation);
    return {
      observation,
      received: [...server.requests],
      undeclared: server.requests.filter((r) => !isDeclared(probe.meta.sends, r, flags)),
      leaked: (c.planted ?? []).filter((s) => text.includes(s)),
      written: server.written.map((w) => [...w]),
    };
  } finally {
    await server.close();
  }
}

/** Deterministic garbage (a fixed LCG, so a failure reproduces byte for byte) that starts like no protocol. */
export function garbage(n: number, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  out[0] = 0xfe;
  return out;
}

/**
 * Hostile variants of a replies file's exposed case, for every probe without writing them by hand: its first reply
 * cut in half then closed, and replaced by garbage. Neither may ever read as exposed or crash the probe.
 */
export function hostileVariants(replies: ProbeReplies): Array<[string, ProbeCase]> {
  const exposed = Object.values(replies.cases).find((c) => c.state === 'exposed');
  const first = exposed?.exchanges.findIndex((e) => e.reply !== undefined) ?? -1;
  if (!exposed || first < 0) return [];
  const bytes = (r: string | Buffer) => (typeof r === 'string' ? Buffer.from(r, 'latin1') : r);
  const withFirst = (reply: (request: Buffer) => Buffer): ProbeCase => ({
    ...exposed,
    state: 'hostile',
    exchanges: exposed.exchanges.map((e, i) => (i === first ? { ...e, reply, close: true } : e)),
    expect: { status: ['not-detected', 'error', 'timeout'] },
  });
  const original = exposed.exchanges[first]!.reply!;
  const whole = (request: Buffer) => bytes(typeof original === 'function' ? original(request) : original);
  return [
    ['first reply cut in half, then closed', withFirst((r) => whole(r).subarray(0, Math.floor(whole(r).length / 2)))],
    ['first reply replaced by garbage', withFirst((r) => garbage(Math.max(16, Math.min(whole(r).length, 256))))],
  ];
}
