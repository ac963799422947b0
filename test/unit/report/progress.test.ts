import { describe, expect, it } from 'vitest';
import { createProgress, formatEta, progressLine, shouldShowProgress, type ProgressStream } from '../../../src/cli/progress.js';
import type { EndpointResult } from '../../../src/types.js';
import { sampleResults } from '../../fixtures/sample-run.js';

function fakeStream(isTTY: boolean | undefined, columns = 100): ProgressStream & { chunks: string[] } {
  const chunks: string[] = [];
  return { isTTY, columns, chunks, write: (s: string) => chunks.push(s) };
}

const results = sampleResults();
const exposed = results.find((r) => r.status === 'exposed')!;
const closed = results.find((r) => r.status === 'closed')!;

describe('when to draw a progress bar', () => {
  it('only on a terminal, and not with --quiet, --no-progress or TERM=dumb', () => {
    expect(shouldShowProgress(fakeStream(true))).toBe(true);
    expect(shouldShowProgress(fakeStream(true), { quiet: false, enabled: true, env: { TERM: 'xterm-256color' } })).toBe(true);
    expect(shouldShowProgress(fakeStream(false))).toBe(false);
    expect(shouldShowProgress(fakeStream(undefined))).toBe(false);
    expect(shouldShowProgress(undefined)).toBe(false);
    expect(shouldShowProgress(fakeStream(true), { quiet: true })).toBe(false);
    expect(shouldShowProgress(fakeStream(true), { enabled: false })).toBe(false);
    expect(shouldShowProgress(fakeStream(true), { env: { TERM: 'dumb' } })).toBe(false);
  });

  it('is silent when not drawn: nothing is ever written', () => {
    for (const [stream, opts] of [
      [fakeStream(false), {}],
      [fakeStream(true), { quiet: true }],
      [fakeStream(true), { enabled: false }],
    ] as const) {
      const p = createProgress(stream, opts);
      expect(p.active).toBe(false);
      for (let i = 1; i <= 5; i++) p.update(exposed, i, 5);
      p.stop();
      expect(stream.chunks).toEqual([]);
    }
  });
});

describe('the bar', () => {
  it('shows done/total, exposed so far and an ETA, on one rewritten line, then erases itself', () => {
    let t = 0;
    const s = fakeStream(true);
    const p = createProgress(s, { now: () => t, intervalMs: 100 });
    expect(p.active).toBe(true);
    const sequence: EndpointResult[] = [exposed, closed, exposed, closed];
    sequence.forEach((r, i) => {
      t += 1000;
      p.update(r, i + 1, 10);
    });
    expect(s.chunks).toHaveLength(4);
    for (const c of s.chunks) expect(c.startsWith('\r\x1b[2K')).toBe(true);
    for (const c of s.chunks) expect(c).not.toContain('\n');
    expect(s.chunks[0]).toContain('1/10 endpoints · 1 exposed · ETA 9s');
    expect(s.chunks[3]).toContain('4/10 endpoints · 2 exposed · ETA 6s');
    p.stop();
    expect(s.chunks.at(-1)).toBe('\r\x1b[2K');
    p.update(exposed, 5, 10);
    p.stop();
    expect(s.chunks).toHaveLength(5);
  });

  it('redraws at most once per interval, but always draws the last endpoint', () => {
    let t = 0;
    const s = fakeStream(true);
    const p = createProgress(s, { now: () => t, intervalMs: 100 });
    for (let i = 1; i <= 50; i++) {
      t += 10;
      p.update(closed, i, 50);
    }
    expect(s.chunks.length).toBeLessThanOrEqual(7);
    expect(s.chunks.at(-1)).toContain('50/50 endpoints · 0 exposed · ETA 0s');
    expect(s.chunks.at(-1)).toContain(`[${'#'.repeat(30)}]`);
  });

  it('does not write anything if stopped before the first result', () => {
    const s = fakeStream(true);
    createProgress(s).stop();
    expect(s.chunks).toEqual([]);
  });

  it('fits the terminal width', () => {
    for (const cols of [20, 40, 60, 80, 200]) expect(progressLine(3, 10, 1, 5000, cols).length).toBeLessThanOrEqual(cols);
    expect(progressLine(0, 10, 0, undefined, 80)).toContain('ETA --');
    expect(progressLine(5, 10, 0, 1000, 80)).toMatch(/^\[#{15}-{15}\]/);
  });

  it('formats the ETA', () => {
    expect(formatEta(0)).toBe('0s');
    expect(formatEta(1)).toBe('1s');
    expect(formatEta(59_000)).toBe('59s');
    expect(formatEta(61_000)).toBe('1m01s');
    expect(formatEta(3_723_000)).toBe('1h02m');
    expect(formatEta(Number.NaN)).toBe('--');
  });
});
