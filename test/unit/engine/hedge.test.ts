import { describe, expect, it } from 'vitest';
import { HedgeBudget, LOSSY_EXTRA, hedgeDue, hedgedConnect, type HedgeTimers } from '../../../src/engine/hedge.js';

/** A clock and timers advanced by hand: no wall clock in these tests. fire() runs the earliest timer at its time. */
function manualTimers(): HedgeTimers & { fire(): void; pending(): number; clock: number } {
  const due = new Map<number, { at: number; fn: () => void }>();
  let id = 0;
  const t = {
    clock: 0,
    now: () => t.clock,
    setTimeout(fn: () => void, ms: number) {
      due.set(++id, { at: t.clock + ms, fn });
      return id;
    },
    clearTimeout(k: unknown) {
      due.delete(k as number);
    },
    fire() {
      const [k, next] = [...due].sort((a, b) => a[1].at - b[1].at)[0]!;
      due.delete(k);
      t.clock = Math.max(t.clock, next.at);
      next.fn();
    },
    pending: () => due.size,
  };
  return t;
}

/** A plan with a fixed adaptive timeout of `delay` ms (and checks at least every 100 ms). */
const plan = (delay: number, extra: number, budget: HedgeBudget) => ({ delayMs: () => delay, minDelayMs: 100, extra, budget });

interface FakeAttempt {
  signal: AbortSignal;
  connect(): void;
  fail(err: unknown): void;
  closed: boolean;
}

/** Connect attempts that settle when the test says so. */
function fakeOpen() {
  const attempts: FakeAttempt[] = [];
  const open = (signal: AbortSignal) =>
    new Promise<{ close(): void; n: number }>((resolve, reject) => {
      const a: FakeAttempt = {
        signal,
        closed: false,
        connect: () => resolve({ n: attempts.indexOf(a), close: () => (a.closed = true) }),
        fail: reject,
      };
      attempts.push(a);
    });
  return { attempts, open };
}

const timeout = { code: 'EA_TIMEOUT' };
const refused = { code: 'EA_REFUSED' };
const isTimeout = (e: unknown) => (e as { code: string }).code === 'EA_TIMEOUT';
const flush = () => new Promise((r) => setImmediate(r));

describe('HedgeBudget', () => {
  it('allows the exploring hedges, then only PER_WIN more per win', () => {
    const b = new HedgeBudget({ explore: 2, perWin: 3 });
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
    b.won();
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect([b.started, b.wins]).toEqual([5, 1]);
  });

  it('a firewalled fleet (no answer, no win) gets the exploring hedges in all, whatever its size', () => {
    const b = new HedgeBudget({ explore: 64 });
    let granted = 0;
    for (let i = 0; i < 4096 * 2; i++) if (b.take()) granted++;
    expect(granted).toBe(64);
  });
});

describe('HedgeBudget.maxAttempts', () => {
  it('the usual attempts until a hedge has won, then LOSSY_EXTRA more; none when hedging is off (1 attempt)', () => {
    const b = new HedgeBudget();
    expect(b.maxAttempts(3)).toBe(3);
    b.won();
    expect(b.maxAttempts(3)).toBe(3 + LOSSY_EXTRA);
    expect(b.maxAttempts(1)).toBe(1);
  });
});

describe('hedgeDue', () => {
  it('one more attempt per elapsed delay, up to the most attempts', () => {
    expect(hedgeDue(99, 1, 3, 100)).toBe(false);
    expect(hedgeDue(100, 1, 3, 100)).toBe(true);
    expect(hedgeDue(150, 2, 3, 100)).toBe(false);
    expect(hedgeDue(200, 2, 3, 100)).toBe(true);
    expect(hedgeDue(10_000, 3, 3, 100)).toBe(false);
  });
});

describe('hedgedConnect', () => {
  it('first attempt connects before the delay: no hedge, no timer left', async () => {
    const t = manualTimers();
    const { attempts, open } = fakeOpen();
    const budget = new HedgeBudget();
    const p = hedgedConnect(open, plan(100, 2, budget), isTimeout, t);
    attempts[0]!.connect();
    expect((await p).n).toBe(0);
    expect([attempts.length, t.pending(), budget.started, budget.wins]).toEqual([1, 0, 0, 0]);
    expect(attempts[0]!.signal.aborted).toBe(false);
  });

  it('a hedge that connects first wins; the pending first attempt is aborted, a late one closed; the win is counted', async () => {
    const t = manualTimers();
    const { attempts, open } = fakeOpen();
    const budget = new HedgeBudget();
    const p = hedgedConnect(open, plan(100, 2, budget), isTimeout, t);
    t.fire();
    t.fire();
    expect(attempts.length).toBe(3);
    attempts[1]!.connect();
    const s = await p;
    expect(s.n).toBe(1);
    expect(attempts.map((a) => a.signal.aborted)).toEqual([true, false, true]);
    attempts[2]!.connect();
    await flush();
    expect(attempts[2]!.closed).toBe(true);
    expect(attempts[1]!.closed).toBe(false);
    expect([budget.started, budget.wins, t.pending()]).toEqual([2, 1, 0]);
  });

  it('the delay is re-read: a connect started while the estimate was the cap hedges once the estimate falls', async () => {
    const t = manualTimers();
    const { attempts, open } = fakeOpen();
    let delay = 2000;
    const p = hedgedConnect(open, { delayMs: () => delay, minDelayMs: 100, extra: 2, budget: new HedgeBudget() }, isTimeout, t);
    t.fire();
    expect([t.clock, attempts.length]).toEqual([100, 1]);
    delay = 150;
    t.fire();
    expect([t.clock, attempts.length]).toEqual([200, 2]);
    t.fire();
    expect([t.clock, attempts.length]).toEqual([300, 3]);
    attempts[2]!.connect();
    expect((await p).n).toBe(2);
  });

  it('at most `extra` hedges per connect', () => {
    const t = manualTimers();
    const { attempts, open } = fakeOpen();
    void hedgedConnect(open, plan(100, 2, new HedgeBudget()), isTimeout, t).catch(() => undefined);
    for (let i = 0; i < 5 && t.pending(); i++) t.fire();
    expect(attempts.length).toBe(3);
    expect(t.pending()).toBe(0);
  });

  it('a spent budget starts no hedge: the first attempt alone decides', async () => {
    const t = manualTimers();
    const { attempts, open } = fakeOpen();
    const budget = new HedgeBudget({ explore: 0 });
    const p = hedgedConnect(open, plan(100, 2, budget), isTimeout, t);
    t.fire();
    t.fire();
    expect(attempts.length).toBe(1);
    attempts[0]!.fail(timeout);
    await expect(p).rejects.toBe(timeout);
  });

  it('fails only when every attempt failed, with a refusal before a timeout', async () => {
    const t = manualTimers();
    const { attempts, open } = fakeOpen();
    const p = hedgedConnect(open, plan(100, 1, new HedgeBudget()), isTimeout, t);
    let rejected = false;
    p.catch(() => (rejected = true));
    t.fire();
    attempts[0]!.fail(timeout);
    await flush();
    expect(rejected).toBe(false);
    attempts[1]!.fail(refused);
    await expect(p).rejects.toBe(refused);
  });

  it('a first attempt refused before any hedge is due ends it at once, with no timer left', async () => {
    const t = manualTimers();
    const { attempts, open } = fakeOpen();
    const p = hedgedConnect(open, plan(100, 2, new HedgeBudget()), isTimeout, t);
    attempts[0]!.fail(refused);
    await expect(p).rejects.toBe(refused);
    expect([attempts.length, t.pending()]).toEqual([1, 0]);
  });
});
