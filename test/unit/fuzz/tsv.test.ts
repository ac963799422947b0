import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clickhouseErrorCode, parseTsv } from '../../../src/protocols/tsv.js';
import { perInputMs, runs } from '../../support/fuzz.js';

/** ClickHouse's TabSeparated escaping (the inverse of parseTsv's unescape). */
function escapeField(s: string): string {
  return s.replace(
    /[\\\t\n\r\b\f\0']/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\0': '\\0', "'": "\\'" })[c]!,
  );
}

function timed<T>(f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  if (ms > perInputMs) throw new Error(`took ${ms.toFixed(0)} ms`);
  return out;
}

const field = fc.string({
  maxLength: 20,
  unit: fc.oneof(
    fc.constantFrom('\\', '\t', '\n', '\r', '\0', "'", 'a', ' ', 'é'),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
});
// A row whose only field is empty is written as an empty line, which parseTsv skips by design (ClickHouse never
// sends one for the probe's multi-column queries), so rows carry two or more fields, or one non-empty one.
const row = fc.oneof(
  fc.array(field, { minLength: 2, maxLength: 5 }),
  field.filter((f) => f !== '').map((f) => [f]),
);

describe('TabSeparated parser (fast-check)', () => {
  it('never throws on arbitrary text, and every row has at least one field', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 500 }),
          fc.string({ maxLength: 500, unit: 'binary' }),
          fc.array(fc.constantFrom('\t', '\n', '\\', '\\t', 'x', '\\\n'), { maxLength: 60 }).map((a) => a.join('')),
        ),
        (text) => {
          const rows = timed(() => parseTsv(text));
          for (const r of rows) expect(r.length).toBeGreaterThanOrEqual(1);
          expect(rows.length).toBeLessThanOrEqual(text.split('\n').length);
        },
      ),
      { numRuns: runs(2000) },
    );
  });

  it('round-trips escaped rows', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), fc.boolean(), (rows, trailingNewline) => {
        const text = rows.map((r) => r.map(escapeField).join('\t')).join('\n') + (trailingNewline && rows.length ? '\n' : '');
        expect(timed(() => parseTsv(text))).toEqual(rows);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('clickhouseErrorCode never throws and returns a whole number or undefined; the header wins when numeric', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc
            .tuple(
              fc.constantFrom('Code: ', 'Code:', 'code: ', 'x\nCode: '),
              fc.oneof(fc.nat().map(String), fc.string({ maxLength: 30 })),
              fc.string({ maxLength: 40 }),
            )
            .map((p) => p.join('')),
        ),
        fc.option(
          fc.oneof(
            fc.string({ maxLength: 25 }),
            fc.nat().map(String),
            fc.constantFrom(' 516 ', '194\n', '', '1e3', '-1', '99999999999999999999999'),
          ),
          { nil: undefined },
        ),
        (body, header) => {
          const code = timed(() => clickhouseErrorCode(body, header));
          if (code !== undefined) {
            expect(Number.isInteger(code)).toBe(true);
            expect(code).toBeGreaterThanOrEqual(0);
          }
          if (header !== undefined && /^\d+$/.test(header.trim())) expect(code).toBe(Number(header.trim()));
        },
      ),
      { numRuns: runs(2000) },
    );
  });
});
