import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aiMarkers, aiSignatures, neverSends, renderAiTable } from '../../scripts/gen-ai-table.js';
import { forbiddenReason } from '../../src/http-catalog/forbidden.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('AI infrastructure table', () => {
  it('README.md holds the generated table (npm run build && node dist/scripts/gen-ai-table.js)', () => {
    const [start, end] = aiMarkers;
    const body = readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end)).trim();
    expect(body).toBe(renderAiTable());
  });

  it('every AI signature says what it never sends, and the table names each once', () => {
    const ids = aiSignatures.map(({ sig }) => sig.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(neverSends).sort()).toEqual([...ids].sort());
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
});
