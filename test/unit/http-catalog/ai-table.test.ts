import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outOfDate } from '../../../scripts/gen-outputs.js';
import {
  aiMarkers,
  aiSignatures,
  longTailMarkers,
  longTailSignatures,
  renderAiTable,
  renderLongTailTable,
} from '../../../scripts/gen-product-tables.js';
import { between } from '../../../scripts/lib/markdown.js';
import { signatures } from '../../../signatures/index.js';
import { forbiddenReason } from '../../../src/http-catalog/forbidden.js';
import { signatureProbe } from '../../../src/http-catalog/probes.js';
import { signatureProblems, type Signature } from '../../../src/http-catalog/signature.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('AI infrastructure table', () => {
  it('README.md holds the generated AI and long-tail tables (npm run gen)', () => {
    expect(between(readme, aiMarkers), outOfDate('README.md (AI table)')).toBe(renderAiTable());
    expect(between(readme, longTailMarkers), outOfDate('README.md (long-tail table)')).toBe(renderLongTailTable());
  });

  it('every signature is in exactly one product table, and every AI product says what it never sends', () => {
    const ids = [...aiSignatures, ...longTailSignatures].map(({ sig }) => sig.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(signatures.map((s) => s.id).sort());
    for (const { sig } of aiSignatures) expect(sig.neverSends?.length, sig.id).toBeGreaterThan(5);
  });

  it('no AI signature request, measurement or default-credential request is a forbidden route', () => {
    for (const { sig } of aiSignatures) {
      for (const r of sig.requests) expect(forbiddenReason(r.method, r.path), `${sig.id} ${r.method} ${r.path}`).toBeUndefined();
      for (const m of sig.measure ?? []) {
        expect(forbiddenReason(m.request.method, m.request.path), `${sig.id} ${m.id}`).toBeUndefined();
        if (m.each) expect(forbiddenReason('GET', m.each.path.replace('{name}', 'x')), `${sig.id} ${m.id} each`).toBeUndefined();
      }
      for (const c of sig.defaultCredentials ?? [])
        expect(
          sig.requests.some((r) => r.id === c.request),
          `${sig.id} credential request`,
        ).toBe(true);
    }
  });

  it('the routes these products must never receive are forbidden by the catalog', () => {
    const never: Array<[string, string]> = [
      ['POST', '/api/generate'],
      ['POST', '/api/chat'],
      ['POST', '/api/embed'],
      ['POST', '/api/embeddings'],
      ['POST', '/api/pull'],
      ['DELETE', '/api/delete'],
      ['POST', '/api/copy'],
      ['POST', '/api/create'],
      ['POST', '/v1/chat/completions'],
      ['POST', '/v1/completions'],
      ['POST', '/v1/embeddings'],
      ['POST', '/generate'],
      ['POST', '/generate_stream'],
      ['POST', '/v2/models/densenet/infer'],
      ['POST', '/api/jobs/'],
      ['GET', '/health'],
      ['POST', '/prompt'],
      ['GET', '/prompt'],
      ['PUT', '/collections/docs'],
    ];
    for (const [method, path] of never) expect(forbiddenReason(method, path), `${method} ${path}`).toBeDefined();
  });

  it('every categorised signature says what it never sends, and its probe (the `probes --json` row) carries it', () => {
    for (const s of signatures.filter((x) => x.category !== undefined)) {
      expect(s.neverSends?.length, s.id).toBeGreaterThan(5);
      expect(signatureProbe(s).meta.neverSends, s.id).toBe(s.neverSends);
    }
    expect(renderLongTailTable()).toContain('critical (runs code)');
  });

  it('a product that runs code is critical: the validator rejects anything less', () => {
    const livy = signatures.find((s) => s.id === 'livy')!;
    expect(livy.impact).toBe('code-execution');
    expect(signatureProbe(livy).meta.impact).toBe('code-execution');
    const lowered: Signature = { ...livy, severity: 'high' };
    expect(signatureProblems(lowered)).toContain('impact code-execution is rated critical');
    expect(signatureProblems({ ...livy, category: 'spreadsheet' as never })).toContain('unknown category "spreadsheet"');
  });
});
