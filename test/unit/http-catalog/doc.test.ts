import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCatalogDoc, updateReadme } from '../../../scripts/gen-catalog-doc.js';
import { outOfDate } from '../../../scripts/gen-outputs.js';
import { signatures } from '../../../signatures/index.js';

describe('docs/http-catalog.md', () => {
  it('equals the output of scripts/gen-catalog-doc.ts (npm run gen)', () => {
    const committed = readFileSync(new URL('../../../docs/http-catalog.md', import.meta.url), 'utf8');
    expect(committed, outOfDate('docs/http-catalog.md')).toBe(renderCatalogDoc());
  });

  it("README.md's catalog table equals the generated one", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme, outOfDate('README.md (catalog table)')).toBe(updateReadme(readme));
  });

  it('lists every product with its ports and requests', () => {
    const doc = renderCatalogDoc();
    for (const s of signatures) {
      expect(doc).toContain(`\`${s.id}\``);
      for (const r of s.requests) expect(doc).toContain(`${r.method} ${r.path}`);
    }
    expect(doc).toContain('## How to add a signature');
  });
});
