// `npm run gen -- --check` in-process: every generated file (scripts/gen-outputs.ts) equals what the generators
// render from the sources now, and the failure names the one command to run. Also the new:signature skeletons.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dataFiles, indexFiles, outOfDate } from '../../../scripts/gen-outputs.js';
import { repliesSkeleton, signatureSkeleton } from '../../../scripts/new-signature.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('npm run gen -- --check', () => {
  it('every generated file is up to date', async () => {
    const files = [...indexFiles(root), ...(await dataFiles())];
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['probes/index.ts', 'signatures/index.ts', 'docs/http-catalog.md', 'README.md', 'schema/report.schema.json']),
    );
    for (const g of files) {
      const current = readFileSync(path.join(root, g.file), 'utf8');
      expect(current, outOfDate(g.file)).toBe(g.render(current));
    }
  });

  it('an out-of-date message names the one command', () => {
    expect(outOfDate('README.md')).toBe('README.md is out of date: run `npm run gen`');
  });

  it('package.json runs the one generator for gen, --check and the old aliases', () => {
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.gen).toBe('npm run build --silent || export EA_GEN_REBUILD=1; node dist/scripts/gen.js');
    expect(scripts['new:signature']).toBe('npm run build && node dist/scripts/new-signature.js');
    for (const alias of ['gen:schema', 'gen:signatures', 'gen:registry']) expect(scripts[alias]).toBe('npm run gen');
  });
});

describe('npm run new:signature skeletons', () => {
  it('name the id and leave TODOs (the test below fails while any is left)', () => {
    const sig = signatureSkeleton('acme-admin');
    expect(sig).toContain("id: 'acme-admin'");
    expect(sig).toContain('TODO');
    expect(repliesSkeleton('acme-admin')).toContain("signature: 'acme-admin'");
  });

  it('no signature or replies file still holds a skeleton TODO (a scaffold fails until it is filled in)', () => {
    const dir = path.join(root, 'signatures');
    const left = readdirSync(dir).filter((f) => f.endsWith('.ts') && readFileSync(path.join(dir, f), 'utf8').includes('TODO'));
    expect(left, 'fill in the TODOs that npm run new:signature wrote').toEqual([]);
  });
});
