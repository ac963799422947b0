// Connect verdicts that survive a busy server (issue 21 part 2): an open server whose accept queue is full for under
// a second drops our SYN; the kernel sends it again after ~1 s. With neighbours that answer in a millisecond the
// adaptive timeout is at its floor, yet the endpoint must read open (and be probed), not `filtered`. A server that
// stays silent past the retransmission is `filtered`, after ONE wait that spans it. Verdicts only: no wall time is
// asserted (the busy server is parked by blocking its own thread, whatever the load of this machine).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/engine/audit.js';
import { DEFAULT_ATTEMPTS } from '../../../src/engine/connect-phase.js';
import { HedgeBudget, LOSSY_EXTRA } from '../../../src/engine/hedge.js';
import { probeAccepted } from '../../../src/engine/two-phase.js';
import { HttpClient } from '../../../src/net/http.js';
import { defineProbe } from '../../../src/probe.js';
import { fakeProbeMeta } from '../../support/fake-probe.js';
import { runDefaults } from '../../../src/domain/run-config.js';
import type { Endpoint } from '../../../src/types.js';
import { startBusyServer, type BusyServer } from '../../support/busy-server.js';
import { closedPort, startRaw, type FakeServer } from '../../support/fake-servers.js';

const ep = (host: string, port: number): Endpoint => ({
  host,
  port,
  service: 'fake',
  asset: host,
  declaredHost: host,
  labels: {},
  source: { file: 'i.yaml', line: 1, column: 1 },
});

/** Reads the greeting line: `+HELLO` proves the service (a stand-in for a store's unauthenticated reply). */
const greeting = defineProbe({
  meta: fakeProbeMeta('greeting', 'nothing (reads the greeting)'),
  async run(_t, ctx) {
    const s = await ctx.tcp();
    try {
      const line = await s.read((b) => (b.includes(10) ? b.indexOf(10) + 1 : undefined));
      return { status: line.toString().startsWith('+HELLO') ? 'exposed' : 'not-detected', evidence: {}, facts: {} };
    } finally {
      s.close();
    }
  },
});

const started: Array<BusyServer | FakeServer> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

/** Fast neighbours in the busy server's /24: four open greeters and sixteen refused ports, listed first. */
async function neighbours(net24: string): Promise<Endpoint[]> {
  const eps: Endpoint[] = [];
  for (let k = 11; k <= 14; k++) {
    const s = await startRaw(`${net24}.${k}`, { kind: 'banner', data: '+HELLO\r\n' });
    started.push(s);
    eps.push(ep(s.host, s.port));
  }
  const refused = await closedPort(`${net24}.20`);
  for (let k = 0; k < 16; k++) eps.push(ep(`${net24}.20`, refused));
  return eps;
}

const audit = (eps: Endpoint[], timeoutMs: number, connectTimeoutMs: number) =>
  runAudit(eps, {
    timeoutMs,
    connectTimeoutMs,
    concurrency: 8,
    perHostConcurrency: 8,
    maxBytes: 4096,
    caps: runDefaults.caps,
    probes: [greeting],
  });

describe('connect verdicts beside fast neighbours', () => {
  it('an open server whose accept queue is full for 0.8 s is exposed, not filtered', async () => {
    const fast = await neighbours('127.0.21');
    const busy = await startBusyServer('127.0.21.10', '+HELLO\r\n');
    started.push(busy);
    await busy.park(800);
    await busy.fill();
    const run = await audit([...fast, ep(busy.host, busy.port)], 5000, 3000);
    const status = run.results.map((r) => r.status);
    expect(status.slice(0, 4)).toEqual(['exposed', 'exposed', 'exposed', 'exposed']);
    expect(new Set(status.slice(4, 20))).toEqual(new Set(['closed']));
    expect(run.results[20], JSON.stringify(run.results[20]?.evidence)).toMatchObject({ status: 'exposed' });
    // The server did accept our connections once it was free again (fillers, the connect phase, the probe).
    expect(await busy.accepted()).toBeGreaterThanOrEqual(3);
  });

  it('a server that stays silent past the retransmission is filtered after one wait that spans it', async () => {
    const fast = await neighbours('127.0.22');
    const busy = await startBusyServer('127.0.22.10', '+HELLO\r\n');
    started.push(busy);
    await busy.park(6000);
    await busy.fill();
    const run = await audit([...fast, ep(busy.host, busy.port)], 3000, 2000);
    const silent = run.results[20]!;
    expect(silent.status).toBe('filtered');
    const note = silent.evidence.notes?.[0] ?? '';
    const m = /^no answer to (\d) connect attempts? in (\d+) ms, across the kernel's SYN retransmission \(cap 2000 ms\)/.exec(note);
    expect(m, note).not.toBeNull();
    // Hedges were sent beside the first connect (neighbours measured the network), and the wait spanned the
    // kernel's 1 s retransmission (never less); at most the first connect and its two hedges, or LOSSY_EXTRA more
    // if this run counted an answer as evidence of loss (a neighbour answered after 1 s on a loaded machine).
    expect(Number(m![1])).toBeGreaterThanOrEqual(2);
    expect(Number(m![1])).toBeLessThanOrEqual(DEFAULT_ATTEMPTS + LOSSY_EXTRA);
    expect(Number(m![2])).toBeGreaterThanOrEqual(1000);
  });
});

describe('a probe that meets a lost packet is probed again, once the run has seen loss', () => {
  /** The connect phase's connection is closed at once; the first probe's gets nothing (as if the reply were lost). */
  async function silentOnce(host: string) {
    let n = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.once('data', () => undefined);
      if (++n >= 2) s.write('+HELLO\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const port = (server.address() as net.AddressInfo).port;
    const close = async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { port, connections: () => n, close };
  }

  /** probeAccepted as the probe phase calls it, with the run's hedge budget (wins = evidence of loss). */
  async function probeWith(host: string, port: number, budget: HedgeBudget) {
    const http = new HttpClient({ connectTimeoutMs: 2000 });
    try {
      return await probeAccepted([greeting], ep(host, port), {
        timeoutMs: 500,
        connectTimeoutMs: 2000,
        maxBytes: 4096,
        caps: runDefaults.caps,
        signal: new AbortController().signal,
        http,
        hedge: { delayMs: () => 60_000, minDelayMs: 1000, extra: 0, budget },
      });
    } finally {
      await http.close();
    }
  }

  it('loss seen in this run: silent on the first connection, answering on the next: exposed, with a note', async () => {
    const server = await silentOnce('127.0.23.10');
    try {
      const budget = new HedgeBudget();
      budget.won();
      const r = await probeWith('127.0.23.10', server.port, budget);
      expect(r.observation).toMatchObject({ status: 'exposed' });
      expect(r.observation.evidence.notes?.[0]).toMatch(/^probed again: the first probe received nothing/);
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('no loss seen: a silent probe is one deadline and `timeout` (a tarpit is not probed three times)', async () => {
    const server = await silentOnce('127.0.23.11');
    try {
      const r = await probeWith('127.0.23.11', server.port, new HedgeBudget());
      expect(r.observation).toMatchObject({ status: 'timeout' });
      expect(r.observation.evidence.notes ?? []).not.toContainEqual(expect.stringMatching(/^probed again/));
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
