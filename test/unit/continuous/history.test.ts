// The state file's run history (issue 14): bounded, merged under the lock by finish time, readable back.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyState, loadState, mergeHistories, mergeStates, serializeState, type State } from '../../../src/continuous/state.js';
import { maxFixTimes, maxHistory, type RunSummary } from '../../../src/report/trend.js';

const run = (i: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
  open: { critical: i % 3, high: 1, medium: 0, low: 0, info: 0 },
  new: i % 2,
  resolved: 0,
  oldestOpenDays: i,
  notTested: 2,
  ...extra,
});

describe('run history in the state file', () => {
  it('keeps the last maxHistory runs, oldest first, and at most maxFixTimes fix times each', () => {
    const state: State = {
      ...emptyState(new Date()),
      history: [...Array.from({ length: 200 }, (_, i) => run(i)), run(300, { fixDays: Array.from({ length: 500 }, () => 3) })],
    };
    const text = serializeState(state);
    const dir = mkdtempSync(path.join(tmpdir(), 'ea-history-'));
    const file = path.join(dir, 'state.json');
    writeFileSync(file, text);
    return loadState(file).then((back) => {
      expect(back!.history).toHaveLength(maxHistory);
      expect(back!.history![0]!.at).toBe(run(111).at);
      expect(back!.history![maxHistory - 1]!.fixDays).toHaveLength(maxFixTimes);
      // One summary per line: a state file stays diffable.
      expect(text.split('\n').filter((l) => l.startsWith('{"at":'))).toHaveLength(maxHistory);
    });
  });

  it('merges two runs’ histories by finish time (one each), bounded', () => {
    expect(mergeHistories([run(1), run(3)], [run(2), run(3, { new: 9 })]).map((h) => [h.at, h.new])).toEqual([
      [run(1).at, 1],
      [run(2).at, 0],
      [run(3).at, 9],
    ]);
    expect(
      mergeHistories(
        Array.from({ length: 80 }, (_, i) => run(i)),
        Array.from({ length: 80 }, (_, i) => run(i + 50)),
      ),
    ).toHaveLength(maxHistory);
    const now = new Date();
    const merged = mergeStates(
      { ...emptyState(now), history: [run(5)] },
      { ...emptyState(now), history: [run(4)] },
      { startedAt: now, now, resolved: () => false },
    );
    expect(merged.history!.map((h) => h.at)).toEqual([run(4).at, run(5).at]);
  });

  it('reads a state file without history (written before it existed)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ea-history-'));
    const file = path.join(dir, 'state.json');
    writeFileSync(file, serializeState(emptyState(new Date())));
    return loadState(file).then((s) => expect(s!.history).toBeUndefined());
  });
});
