import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/engine/audit.js';
import { probes } from '../../../src/cli/registry.js';
import { defineProbe } from '../../../src/probe.js';
import type { Endpoint } from '../../../src/types.js';
import { startRaw } from '../../support/fake-servers.js';
import { always } from '../../../src/probe.js';
import { resolveRunConfig } from '../../../src/domain/run-config.js';
import { fakeProbeMeta } from '../../support/fake-probe.js';

const ep = (host: string, port: number, service = 'fake'): Endpoint => ({
  host,
  port,
  service,
  asset: host,
  declaredHost: host,
  labels: {},
  source: { file: 'i.yaml', line: 1, column: 1 },
});
const base = resolveRunConfig({ timeoutMs: 500, connectTimeoutMs: 300, concurrency: 8, perHostConcurrency: 2, maxBytes: 4096 });

describe('runAudit', () => {
  it("a probe's crash becomes status error for that endpoint, never a crashed run", async () => {
    const crashing = defineProbe({
      meta: fakeProbeMeta('crash', 'nothing'),
      async run() {
        throw new TypeError('boom');
      },
    });
    // Something must listen: the connect phase decides a refused port (closed) without running any probe.
    const listener = await startRaw('127.0.0.126', { kind: 'silent' });
    try {
      const run = await runAudit([ep('127.0.0.126', listener.port)], { ...base, probes: [crashing] });
      expect(run.results[0]).toMatchObject({ status: 'error', error: { code: 'EA_PROBE_CRASH' } });
      expect(run.complete).toBe(true);
    } finally {
      await listener.close();
    }
  });

  it('tarpits on a link that has lost nothing cost one deadline each, in parallel (one probe each, no retry)', async () => {
    const tarpit = await startRaw('127.0.0.127', { kind: 'silent' });
    let probed = 0;
    const echo = defineProbe({
      meta: fakeProbeMeta('wait', 'x'),
      async run(_t, ctx) {
        probed++;
        const s = await ctx.tcp();
        await s.write('x');
        await s.read(() => undefined);
        return { status: 'exposed', evidence: {}, facts: {} };
      },
    });
    const eps = Array.from({ length: 8 }, () => ep('127.0.0.127', tarpit.port));
    const run = await runAudit(eps, { ...base, probes: [echo], concurrency: 8, perHostConcurrency: 8, timeoutMs: 300 });
    await tarpit.close();
    expect(run.results.every((r) => r.status === 'timeout')).toBe(true);
    // No hedge won and no answer came on a retransmission: silence is the server's, not a lost packet (two-phase.ts).
    expect(probed).toBe(8);
    expect(run.results.flatMap((r) => r.evidence.notes ?? []).filter((n) => n.startsWith('probed again'))).toEqual([]);
  });

  it('an interrupted run marks untested endpoints error/EA_ABORTED and is flagged incomplete', async () => {
    const ac = new AbortController();
    ac.abort();
    const run = await runAudit([ep('127.0.0.126', 1), ep('127.0.0.126', 2)], { ...base, probes, signal: ac.signal });
    expect(run.complete).toBe(false);
    expect(run.results.map((r) => r.error?.code)).toEqual(['EA_ABORTED', 'EA_ABORTED']);
  });
});

describe('byte budget', () => {
  it('--max-bytes is one budget per probe attempt, across requests: later requests get what is left', async () => {
    const { startHttp } = await import('../../support/fake-servers.js');
    const web = await startHttp('127.0.0.128', (_q, r) => r.end('x'.repeat(3000)));
    const sizes: Array<number | string> = [];
    const greedy = defineProbe({
      meta: {
        id: 'greedy',
        service: 'fake',
        title: 't',
        description: 'd',
        defaultPorts: [1],
        transport: 'http',
        tls: 'never',
        sends: always('GET /a', 'GET /b', 'GET /c'),
        exposure: 'e',
        remediation: 'a remedy for tests',
      },
      async run(_t, ctx) {
        for (const p of ['/a', '/b', '/c']) {
          try {
            sizes.push((await ctx.http({ path: p })).body.length);
          } catch (err) {
            sizes.push((err as { code: string }).code);
          }
        }
        return { status: 'not-detected', evidence: {}, facts: {} };
      },
    });
    try {
      await runAudit([ep('127.0.0.128', web.port)], { ...base, maxBytes: 5000, probes: [greedy] });
    } finally {
      await web.close();
    }
    expect(sizes).toEqual([3000, 2000, 'EA_TOO_LARGE']);
  });
});

describe('feeding: runAudit keeps the global and the per-host limit', () => {
  /**
   * Four counting peers on 127.0.0.232–235. Each connection counts as busy from the probe's first byte until the
   * peer answers, 40 ms later; the peer stops counting it before it answers, so a probe that then ends and lets the
   * next one start can never be counted twice. The highest counts seen are what the peers saw in flight at once.
   */
  const HOSTS = ['127.0.0.232', '127.0.0.233', '127.0.0.234', '127.0.0.235'];
  const HOLD_MS = 40;

  async function countingPeers() {
    const now = { all: 0, byHost: new Map<string, number>() };
    const max = { all: 0, byHost: new Map<string, number>() };
    const sockets = new Set<net.Socket>();
    const servers = await Promise.all(
      HOSTS.map(
        (host) =>
          new Promise<{ host: string; port: number; server: net.Server }>((resolve) => {
            const server = net.createServer((socket) => {
              sockets.add(socket);
              socket.on('close', () => sockets.delete(socket));
              socket.on('error', () => undefined);
              socket.once('data', () => {
                now.all++;
                now.byHost.set(host, (now.byHost.get(host) ?? 0) + 1);
                max.all = Math.max(max.all, now.all);
                max.byHost.set(host, Math.max(max.byHost.get(host) ?? 0, now.byHost.get(host)!));
                setTimeout(() => {
                  now.all--;
                  now.byHost.set(host, now.byHost.get(host)! - 1);
                  if (!socket.destroyed) socket.end('ok\n');
                }, HOLD_MS);
              });
            });
            server.listen(0, host, () => resolve({ host, port: (server.address() as net.AddressInfo).port, server }));
          }),
      ),
    );
    const close = () =>
      Promise.all(
        servers.map(
          ({ server }) =>
            new Promise<void>((resolve) => {
              for (const s of sockets) s.destroy();
              server.close(() => resolve());
            }),
        ),
      );
    return { servers, max, close };
  }

  const ask = defineProbe({
    meta: fakeProbeMeta('ask', 'x'),
    async run(_t, ctx) {
      const s = await ctx.tcp();
      try {
        await s.write('x');
        await s.read((b) => (b.includes(10) ? b.indexOf(10) + 1 : undefined));
      } finally {
        s.close();
      }
      return { status: 'exposed', evidence: {}, facts: {} };
    },
  });

  it.each([
    { concurrency: 6, perHost: 2, want: { all: 6, host: 2 } },
    { concurrency: 3, perHost: 8, want: { all: 3, host: 3 } },
    { concurrency: 16, perHost: 3, want: { all: 12, host: 3 } },
  ])(
    'concurrency $concurrency, per host $perHost: never more, and hosts listed one after another still run together',
    async ({ concurrency, perHost, want }) => {
      const peers = await countingPeers();
      try {
        // Host by host, as a CIDR or a long port list expands: all of the first host's endpoints come first.
        const eps = peers.servers.flatMap(({ host, port }) => Array.from({ length: 10 }, () => ep(host, port)));
        const order: number[] = [];
        const run = await runAudit(eps, {
          ...base,
          timeoutMs: 3000,
          concurrency,
          perHostConcurrency: perHost,
          probes: [ask],
          onResult: (_r, _d, _t, i) => order.push(i),
        });
        expect(run.results.map((r) => r.status)).toEqual(eps.map(() => 'exposed'));
        expect(order.slice().sort((a, b) => a - b)).toEqual(eps.map((_, i) => i));
        expect(peers.max.all, 'most endpoints in flight at once, over all peers').toBe(want.all);
        for (const { host } of peers.servers) expect(peers.max.byHost.get(host), `most in flight at ${host}`).toBe(want.host);
      } finally {
        await peers.close();
      }
    },
  );

  it('keepResults: false hands every result to onResult once, with its index, and keeps none', async () => {
    const peers = await countingPeers();
    try {
      const eps = peers.servers.flatMap(({ host, port }) => Array.from({ length: 3 }, () => ep(host, port)));
      const seen = new Map<number, string>();
      const run = await runAudit(eps, {
        ...base,
        timeoutMs: 3000,
        probes: [ask],
        keepResults: false,
        onResult: (r, _d, _t, i) => seen.set(i, `${r.host}:${r.port}`),
      });
      expect(run.results).toEqual([]);
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual(eps.map((_, i) => i));
      for (const [i, where] of seen) expect(where).toBe(`${eps[i]!.host}:${eps[i]!.port}`);
    } finally {
      await peers.close();
    }
  });
});
