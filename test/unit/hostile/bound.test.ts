import { describe, expect, it } from 'vitest';
import { boundObservation, maxStringChars } from '../../../src/engine/bound.js';
import { describeWrite } from '../../../src/probe.js';
import { decodeForMatching, redactText } from '../../../src/risk/redact.js';
import type { Observation } from '../../../src/types.js';

/** Issue 15, parts 3 and 4: the engine's one redact-then-cap step, applied to every observation of every probe. */
const caps = { items: 5, fields: 3 };
const token = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123';

function obs(over: Partial<Observation>): Observation {
  return { status: 'exposed', evidence: { requests: [] }, facts: {}, ...over };
}

describe('boundObservation', () => {
  it('cuts listings to caps.items with a note counting the rest; totals and status untouched', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({
      kind: 'table' as const,
      name: `db.t${i}`,
      rows: 1,
      fields: ['a', 'b', 'c', 'd', 'e'],
    }));
    const o = boundObservation(obs({ data: { items, totals: { rows: 12, tables: 12 } } }), caps);
    expect(o.status).toBe('exposed');
    expect(o.data!.items).toHaveLength(5);
    expect(o.data!.items[0]!.fields).toEqual(['a', 'b', 'c']);
    expect(o.data!.totals).toEqual({ rows: 12, tables: 12 });
    expect(o.data!.truncated).toBe(true);
    expect(o.evidence.notes).toContain('listing cut to 5 of 12 items (+7 not listed; totals count them all)');
  });

  it('cuts facts (arrays and objects), names and long strings', () => {
    const keyspace = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`db${i}`, { keys: i }]));
    const o = boundObservation(
      obs({
        facts: { keyspace, list: Array.from({ length: 9 }, (_, i) => i), text: 'x'.repeat(5000) },
        data: { items: [{ kind: 'table', name: 'n'.repeat(1000) }], totals: {} },
      }),
      caps,
    );
    expect(Object.keys(o.facts.keyspace as object)).toHaveLength(6);
    expect((o.facts.keyspace as Record<string, string>)['…']).toBe('+4 more');
    expect(o.facts.list).toEqual([0, 1, 2, 3, 4, '… +4 more']);
    expect((o.facts.text as string).length).toBeLessThan(maxStringChars + 40);
    expect(o.data!.items[0]!.name.length).toBeLessThan(300);
  });

  it('redacts before cutting (a secret across the cut still goes), and redacts object keys', () => {
    const reply = `${'y'.repeat(maxStringChars - 10)} ${token} tail`;
    const o = boundObservation(obs({ evidence: { requests: [], reply }, facts: { [`password=${token}`]: 1 } }), caps);
    expect(JSON.stringify(o)).not.toContain(token.slice(8, 24));
    expect(JSON.stringify(o)).not.toContain('AbCdEfGhIjKl');
  });
});

describe('redaction of encoded secrets and recorded requests', () => {
  it.each([
    ['percent-encoded', encodeURIComponent(`password=${token}`).replace(/-/g, '%2D')],
    ['JSON \\u escapes', [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
    ['HTML references', [...token].map((c) => `&#${c.charCodeAt(0)};`).join('')],
    ['two layers of percent', encodeURIComponent(encodeURIComponent(token).replace(/-/g, '%2D'))],
  ])('%s', (_n, text) => {
    const out = redactText(text);
    expect(out).toContain('[REDACTED');
    expect(decodeForMatching(decodeForMatching(out))).not.toContain('AbCdEfGhIjKl');
  });

  it('text without a hidden secret keeps its encoding', () => {
    expect(redactText('GET /idx%2Dlogs/_mapping')).toBe('GET /idx%2Dlogs/_mapping');
  });

  it('describeWrite shows CR LF apart from the words, so patterns see the key name whole', () => {
    const w = describeWrite(`*2\r\n$4\r\nMGET\r\n$22\r\npassword=hunter2hunter\r\n`);
    expect(w).toBe('*2 \\r\\n $4 \\r\\n MGET \\r\\n $22 \\r\\n password=hunter2hunter');
    expect(redactText(w)).not.toContain('hunter2hunter');
    expect(describeWrite('PING\r\n')).toBe('PING');
  });
});
