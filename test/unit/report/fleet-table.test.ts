import { describe, expect, it } from 'vitest';
import { columnWidths, wrapCell } from '../../../src/report/table.js';

describe('table cells and columns', () => {
  it.each([
    ['hello world this is a test', 7, 4, ['hello', 'world', 'this is', 'a test']],
    ['abcdefghijklmnop', 5, 4, ['abcde', 'fghij', 'klmno', 'p']],
    ['a b\nc d e f', 3, 4, ['a b', 'c d', 'e f']],
    ['', 5, 4, ['']],
    ['x'.repeat(100), 10, 3, ['x'.repeat(10), 'x'.repeat(10), `${'x'.repeat(9)}…`]],
    ['日本語テキスト', 5, 4, ['日本', '語テ', 'キス', 'ト']],
    ['a\tb\rc\u001b[2Jd', 20, 2, ['a b c\\x1b[2Jd']],
  ] as const)('wraps %j at %i columns in at most %i lines', (text, w, max, want) => {
    expect(wrapCell(text, w, max)).toEqual(want);
  });

  it('wraps in one pass: twice the text takes about twice the work, never more (no timing: a step count)', () => {
    // Linear by construction: each character is appended once and moved at most once (the word after the last
    // space). Check the output instead of a clock: every line within the width, the text all there.
    for (const w of [1, 7, 30, 200]) {
      const text = 'ab cdefghij '.repeat(2000);
      const lines = wrapCell(text, w, 1e9);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(w);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });

  it('shares the width: minimums first, then by weight, borders included', () => {
    const cols = [
      { min: 10, weight: 0 },
      { min: 15, weight: 1 },
      { min: 12, weight: 3 },
    ];
    for (const width of [40, 60, 100, 137, 250]) {
      const w = columnWidths(width, cols);
      expect(w.reduce((a, b) => a + b, 0) + 3 * cols.length + 1).toBe(width);
      expect(w[0]).toBeGreaterThanOrEqual(Math.min(10, w[0]!));
    }
    expect(columnWidths(100, cols)[0]).toBe(10);
  });
});
