import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HedgeBudget } from '../../../src/engine/hedge.js';
import { probeHedgeAfter, probeRace } from '../../../src/engine/probe-race.js';
import type { Observation, Status } from '../../../src/types.js';

type Probed = { probe: string; observation: Observation };

/** Probe attempts that end when the test says so. */
function fakeAttempts() {
  const attempts: Array<{ signal: AbortSignal; end(status: Status): void }> = [];
  const attempt = (signal: AbortSignal) =>
    new Promise<Probed>((resolve) => {
      const n = attempts.length;
      attempts.push({
        signal,
        end: (status) => resolve({ probe: `attempt-${n}`, observation: { status, evidence: { requests: ['PING'] }, facts: {} } }),
      });
    });
  return { attempts, attempt };
}

/** A budget that has seen loss (one hedge won), as on a lossy link. */
function lossyBudget(opts?: { explore?: number }): HedgeBudget {
  const b = new HedgeBudget(opts);
  b.won();
  return b;
}

describe('probeRace', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const run = new AbortController().signal;
  const after = probeHedgeAfter(100);
  const clock = {
    now: () => Date.now(),
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (t: unknown) => clearTimeout(t as NodeJS.Timeout),
  };

  it('no evidence of loss in this run: one attempt, never hedged', async () => {
    const { attempts, attempt } = fakeAttempts();
    const p = probeRace(attempt, run, { delayMs: () => 100, budget: new HedgeBudget() }, clock);
    await vi.advanceTimersByTimeAsync(after * 10);
    expect(attempts.length).toBe(1);
    attempts[0]!.end('timeout');
    expect((await p).observation.status).toBe('timeout');
  });

  it('a verdict before the hedge is due: one attempt, no note', async () => {
    const { attempts, attempt } = fakeAttempts();
    const p = probeRace(attempt, run, { delayMs: () => 100, budget: lossyBudget() }, clock);
    attempts[0]!.end('auth-required');
    const r = await p;
    await vi.advanceTimersByTimeAsync(after * 10);
    expect(attempts.length).toBe(1);
    expect(r.observation.evidence.notes).toBeUndefined();
  });

  it('no verdict when the hedge is due: a second attempt; its verdict wins, the first is aborted, the win counted', async () => {
    const { attempts, attempt } = fakeAttempts();
    const budget = lossyBudget();
    const p = probeRace(attempt, run, { delayMs: () => 100, budget }, clock);
    await vi.advanceTimersByTimeAsync(after - 1);
    expect(attempts.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts.length).toBe(2);
    attempts[1]!.end('auth-required');
    const r = await p;
    expect(r.probe).toBe('attempt-1');
    expect(attempts[0]!.signal.aborted).toBe(true);
    expect(attempts[1]!.signal.aborted).toBe(false);
    expect(r.observation.evidence.notes?.[0]).toMatch(/probed twice in parallel.*second attempt/);
    expect([budget.started, budget.wins]).toEqual([1, 2]);
  });

  it('an inconclusive end waits for the other attempt; both inconclusive: the first attempt decides', async () => {
    const { attempts, attempt } = fakeAttempts();
    const p = probeRace(attempt, run, { delayMs: () => 100, budget: lossyBudget() }, clock);
    await vi.advanceTimersByTimeAsync(after);
    let settled = false;
    void p.then(() => (settled = true));
    attempts[0]!.end('timeout');
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    attempts[1]!.end('error');
    const r = await p;
    expect([r.probe, r.observation.status]).toEqual(['attempt-0', 'timeout']);
  });

  it('loss seen only after the probe began (a hedge won elsewhere): the probe is still hedged', async () => {
    const { attempts, attempt } = fakeAttempts();
    const budget = new HedgeBudget();
    const p = probeRace(attempt, run, { delayMs: () => 100, budget }, clock);
    await vi.advanceTimersByTimeAsync(after);
    expect(attempts.length).toBe(1);
    budget.won();
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts.length).toBe(2);
    attempts[0]!.end('auth-required');
    expect((await p).probe).toBe('attempt-0');
    expect(attempts[1]!.signal.aborted).toBe(true);
  });

  it('a spent budget: no hedge', async () => {
    const { attempts, attempt } = fakeAttempts();
    const budget = lossyBudget({ explore: 0 });
    while (budget.take());
    const p = probeRace(attempt, run, { delayMs: () => 100, budget }, clock);
    await vi.advanceTimersByTimeAsync(after * 2);
    expect(attempts.length).toBe(1);
    attempts[0]!.end('auth-required');
    expect((await p).probe).toBe('attempt-0');
  });
});
