// Memory of what was open (issue 21 part 3): a known exposure (an open finding of the state file or --baseline)
// whose main-pass verdict proves nothing is probed again with the full timeout before its row is reported. Real Redis
// (Debian's redis-server, started on loopback and stopped by its pid) behind a small proxy that swallows connections
// while "stalled" (a server too busy to answer). No wall time is asserted: the proxy is switched when the engine says
// the re-check pass starts (onRecheck), whatever the load of this machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { probes } from '../../../src/cli/registry.js';
import { endpointKey } from '../../../src/domain/finding.js';
import { runAudit } from '../../../src/engine/audit.js';
import { needsRecheck, RECHECK_ATTEMPTS, recheckBudgetMs, Rechecks } from '../../../src/engine/recheck.js';
import { statuses, type Endpoint, type Status } from '../../../src/types.js';
import { closedPort } from '../../support/fake-servers.js';
import { redisResult } from '../../support/results.js';
import { startStallProxy, type StallProxy } from '../../support/stall-proxy.js';

const HOST = '127.0.21.31';
const PROXY = '127.0.21.32';

/** The declared endpoint of a report row (support/results.ts), its port written in the inventory. */
const ep = (host: string, port: number, service = 'redis'): Endpoint => {
  const { probe: _p, status: _s, evidence: _e, facts: _f, durationMs: _d, ...declared } = redisResult(host, 'timeout', port);
  return { ...declared, service, portDeclared: true };
};

describe('which endpoints are re-checked', () => {
  const known = new Set([endpointKey({ host: '127.0.0.2', port: 6379, service: 'redis' })]);

  it('only known exposures whose verdict does not prove resolution (filtered, timeout, error)', () => {
    const picked = statuses.filter((s) => needsRecheck(redisResult('127.0.0.2', s), known));
    expect(picked).toEqual<Status[]>(['filtered', 'timeout', 'error']);
    // Not a known exposure: the same verdicts are reported as they are.
    expect(statuses.filter((s) => needsRecheck(redisResult('127.0.0.3', s), known))).toEqual([]);
    expect(needsRecheck(redisResult('127.0.0.2', 'timeout', 6380), known)).toBe(false);
    expect(needsRecheck({ ...redisResult('127.0.0.2', 'timeout'), service: 'http' }, known)).toBe(false);
  });

  it('not when the interrupt cut it short or its name did not resolve', () => {
    const err = (code: string) => redisResult('127.0.0.2', 'error', 6379, { error: { code, message: code } });
    expect(needsRecheck(err('EA_BUSY'), known)).toBe(true);
    expect(needsRecheck(err('EA_RESET'), known)).toBe(true);
    expect(needsRecheck(err('EA_ABORTED'), known)).toBe(false);
    expect(needsRecheck(err('EA_DNS'), known)).toBe(false);
  });

  it('holds only the results of known endpoints the source produced, by their index', () => {
    const r = new Rechecks(known);
    const endpoints = [
      ep('127.0.0.3', 6379),
      ep('127.0.0.2', 6379),
      ep('127.0.0.2', 6379, 'http'),
      { ...ep('127.0.0.2', 6379), unresolved: 'ENOTFOUND' },
    ];
    const produced = [...r.source({ count: endpoints.length, [Symbol.iterator]: () => endpoints[Symbol.iterator]() })];
    expect(produced).toEqual(endpoints);
    expect(r.hold(redisResult('127.0.0.3', 'timeout'), 0)).toBe(false);
    expect(r.hold({ ...redisResult('127.0.0.2', 'timeout'), service: 'http' }, 2)).toBe(false);
    expect(r.hold(redisResult('127.0.0.2', 'error', 6379, { error: { code: 'EA_DNS', message: 'x' } }), 3)).toBe(false);
    expect(r.hold(redisResult('127.0.0.2', 'timeout'), 1)).toBe(true);
    // Each index is held at most once: the re-check's own result passes through.
    expect(r.hold(redisResult('127.0.0.2', 'timeout'), 1)).toBe(false);
    expect(r.count).toBe(1);
  });
});

describe('the verdict after the re-check', () => {
  const known = new Set([endpointKey({ host: '127.0.0.2', port: 6379, service: 'redis' })]);
  const obs = (status: Status, code?: string) => ({
    probe: 'redis',
    observation: { status, evidence: { requests: ['PING'] }, facts: {}, ...(code ? { error: { code, message: code } } : {}) },
  });
  /** Holds one main-pass `filtered` row, then re-checks it with probes that answer `replies` in turn. */
  async function recheck(replies: Array<ReturnType<typeof obs>>, budgetMs = recheckBudgetMs(3000)) {
    const r = new Rechecks(known);
    expect([...r.source({ count: 1, [Symbol.iterator]: () => [ep('127.0.0.2', 6379)][Symbol.iterator]() })].length).toBe(1);
    expect(
      r.hold(redisResult('127.0.0.2', 'filtered', 6379, { evidence: { requests: [], notes: ['no answer to 3 connect attempts'] } }), 0),
    ).toBe(true);
    const emitted: Array<Parameters<Parameters<typeof r.run>[0]['emit']>> = [];
    let probed = 0;
    await r.run({
      probe: async () => replies[probed++]!,
      emit: (result, i) => emitted.push([result, i]),
      signal: new AbortController().signal,
      concurrency: 4,
      perHost: 2,
      timeoutMs: 3000,
      budgetMs,
    });
    expect(emitted.length).toBe(1);
    return { row: emitted[0]![0], index: emitted[0]![1], probed };
  }

  it('a later proving verdict wins over the main pass: filtered, then timeout, then exposed', async () => {
    const { row, index, probed } = await recheck([obs('timeout', 'EA_TIMEOUT'), obs('exposed')]);
    expect([row.status, index, probed]).toEqual(['exposed', 0, 2]);
    expect(row.evidence.notes).toEqual([
      "known exposure re-checked 2× with the full timeout (3000 ms) after the main pass's filtered: timeout (EA_TIMEOUT), exposed",
    ]);
  });

  it("no attempt starts after the pass's budget: the main pass verdict stays, saying why it was not re-checked", async () => {
    expect(recheckBudgetMs(3000)).toBe(75_000);
    const { row, probed } = await recheck([obs('exposed')], 0);
    expect([row.status, probed]).toEqual(['filtered', 0]);
    expect(row.evidence.notes?.[0]).toBe("a known exposure, not re-checked: the re-check pass's 0 s budget was spent");
  });

  it('closed (the port refuses) and auth-required prove resolution at the first attempt: no second one', async () => {
    expect((await recheck([obs('closed', 'EA_REFUSED'), obs('exposed')])).row.status).toBe('closed');
    const auth = await recheck([obs('auth-required'), obs('exposed')]);
    expect([auth.row.status, auth.probed]).toEqual(['auth-required', 1]);
  });

  it('nothing proves anything: the main pass verdict and its evidence stay, the attempts are noted', async () => {
    const { row, probed } = await recheck([obs('error', 'EA_BUSY'), obs('timeout', 'EA_TIMEOUT'), obs('exposed')]);
    expect([row.status, probed]).toEqual(['filtered', RECHECK_ATTEMPTS]);
    expect(row.evidence.notes).toEqual([
      'known exposure re-checked 2× with the full timeout (3000 ms): error (EA_BUSY), timeout (EA_TIMEOUT); no verdict, so the known exposure stays open',
      'no answer to 3 connect attempts',
    ]);
  });
});

describe('the re-check pass on a real Redis that stalls', () => {
  let redis: ServerInstance;
  let proxy: StallProxy;
  let refused: number;

  beforeAll(async () => {
    redis = await startServer({ kind: 'redis', variant: 'open', host: HOST });
    proxy = await startStallProxy(PROXY, HOST, redis.ports.redis!);
    refused = await closedPort(PROXY);
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await stopAll();
  });

  const audit = (known: Endpoint[], extra: Partial<Parameters<typeof runAudit>[1]> = {}) =>
    runAudit([ep(PROXY, proxy.port), ep(PROXY, refused)], {
      ...{
        timeoutMs: 1000,
        connectTimeoutMs: 1000,
        concurrency: 8,
        perHostConcurrency: 4,
        maxBytes: 1 << 20,
        caps: { items: 50, fields: 50 },
      },
      probes,
      knownExposures: new Set(known.map(endpointKey)),
      ...extra,
    });

  it('silent through the main pass and the first re-check attempt, then answers: exposed, the re-check noted', async () => {
    proxy.stall();
    const counts: number[] = [];
    const run = await audit([ep(PROXY, proxy.port), ep(PROXY, refused)], {
      onRecheck: (n) => {
        counts.push(n);
        proxy.stallNext(1);
      },
    });
    // The refused port proves itself (closed): only the silent Redis is re-checked.
    expect(counts).toEqual([1]);
    const [redisRow, closedRow] = run.results;
    expect(closedRow!.status).toBe('closed');
    expect(closedRow!.evidence.notes?.join(' ')).not.toMatch(/re-checked/);
    expect(redisRow!.status, JSON.stringify(redisRow!.evidence)).toBe('exposed');
    expect(redisRow!.evidence.notes?.[0]).toMatch(
      /^known exposure re-checked 2× with the full timeout \(1000 ms\) after the main pass's timeout \(EA_TIMEOUT\): timeout \(EA_TIMEOUT\), exposed$/,
    );
    expect(run.complete).toBe(true);
  }, 120_000);

  it('silent throughout: the main pass verdict stays, saying it was re-checked and what each attempt got', async () => {
    proxy.stall();
    const before = proxy.swallowed;
    const run = await audit([ep(PROXY, proxy.port)]);
    const row = run.results[0]!;
    expect(row.status).toBe('timeout');
    expect(row.evidence.notes?.[0]).toBe(
      `known exposure re-checked ${RECHECK_ATTEMPTS}× with the full timeout (1000 ms): timeout (EA_TIMEOUT), timeout (EA_TIMEOUT); no verdict, so the known exposure stays open`,
    );
    const withRecheck = proxy.swallowed - before;
    // Not a known exposure: reported as the main pass left it, after the main pass's attempts only.
    const mid = proxy.swallowed;
    const unknown = await audit([]);
    expect(unknown.results[0]!.status).toBe('timeout');
    expect(unknown.results[0]!.evidence.notes?.join(' ')).not.toMatch(/re-checked/);
    // Bounded: exactly RECHECK_ATTEMPTS probes more than the main pass's.
    expect(withRecheck - (proxy.swallowed - mid)).toBe(RECHECK_ATTEMPTS);
  }, 120_000);

  it('a consumer that throws on a re-checked row fails the run, as it would in the main pass', async () => {
    proxy.stall();
    const run = audit([ep(PROXY, proxy.port)], {
      keepResults: false,
      onRecheck: () => proxy.resume(),
      onResult: (r) => {
        if (r.status === 'exposed') throw new Error('consumer failed');
      },
    });
    await expect(run).rejects.toThrow('consumer failed');
  }, 120_000);

  it('the interrupt ends the re-check pass: the row keeps its main-pass verdict and says it was not re-checked', async () => {
    proxy.stall();
    const ctl = new AbortController();
    const run = await audit([ep(PROXY, proxy.port)], { signal: ctl.signal, onRecheck: () => ctl.abort() });
    expect(run.complete).toBe(false);
    const row = run.results[0]!;
    expect(row.status).toBe('timeout');
    expect(row.evidence.notes?.[0]).toBe('a known exposure, not re-checked: the run was interrupted');
  }, 120_000);
});
