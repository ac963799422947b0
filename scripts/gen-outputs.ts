// Every generated file of the repository, as data: its path and how to render it from the sources (for files that
// hold a generated section, from the file's current text). scripts/gen.ts writes them (`npm run gen`) or checks
// them (`npm run gen -- --check`); test/unit/scripts/gen.test.ts checks them in-process. Adding a generator = one entry.
import path from 'node:path';
import { probeFiles, registrySource } from './gen-registry.js';
import { renderSignatureIndex, signatureFiles } from './gen-signatures.js';

/** The one command that brings every generated file up to date (printed by every "out of date" failure). */
export const regenerate = 'npm run gen';

/** What an out-of-date check prints. */
export const outOfDate = (file: string): string => `${file} is out of date: run \`${regenerate}\``;

export interface GeneratedFile {
  /** Relative to the repository root. */
  file: string;
  /** The file's wanted text, given its current text ('' when absent). */
  render(current: string): string;
}

/**
 * Files rendered from folder listings alone (no compiled project code): written first, because the build and every
 * other generator import them.
 */
export function indexFiles(root: string): GeneratedFile[] {
  return [
    { file: 'probes/index.ts', render: () => registrySource(probeFiles(path.join(root, 'probes'))) },
    { file: 'signatures/index.ts', render: () => renderSignatureIndex(signatureFiles(path.join(root, 'signatures'))) },
  ];
}

/**
 * Files rendered from the project's data (signatures, probes, zod models). Imported lazily, so that `npm run gen`
 * loads them only after the indexes are written and the project rebuilt.
 */
export async function dataFiles(): Promise<GeneratedFile[]> {
  const [schema, catalog, tables, statuses] = await Promise.all([
    import('./gen-schema.js'),
    import('./gen-catalog-doc.js'),
    import('./gen-product-tables.js'),
    import('./gen-status-table.js'),
  ]);
  return [
    { file: 'schema/report.schema.json', render: () => schema.reportJsonSchema() },
    { file: 'schema/targets.schema.json', render: () => schema.targetsJsonSchema() },
    { file: 'docs/http-catalog.md', render: () => catalog.renderCatalogDoc() },
    // README.md holds several generated sections; each updater replaces the text between its own markers.
    {
      file: 'README.md',
      render: (current) =>
        [catalog.updateReadme, tables.updateReadmeTables, statuses.updateReadmeStatuses].reduce((text, update) => update(text), current),
    },
    // Probe-derived generated files (new:probe, probe replies tables) join here: one entry per file.
  ];
}
