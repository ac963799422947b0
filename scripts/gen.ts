// npm run gen            : writes every generated file (indexes, schemas, docs/http-catalog.md, README tables).
// npm run gen -- --check : writes nothing; exits 1 listing the files that are out of date and the one command to run.
// `npm run gen` builds once first; when an index (probes/, signatures/) changed it rebuilds, so that the data
// generators see the new files. A first build that failed (EA_GEN_REBUILD, set by the npm script: a removed
// signature or probe leaves an index importing a missing file) is retried after the indexes are rewritten, and
// must pass then. The list of generated files lives in scripts/gen-outputs.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataFiles, indexFiles, outOfDate, regenerate, type GeneratedFile } from './gen-outputs.js';

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** Renders each file; writes it (or, with check, only reports it) when it differs. Returns the files that differed. */
function apply(root: string, files: readonly GeneratedFile[], check: boolean): string[] {
  const changed: string[] = [];
  for (const g of files) {
    const at = path.join(root, g.file);
    const current = read(at);
    const wanted = g.render(current);
    if (wanted === current) continue;
    changed.push(g.file);
    if (!check) writeFileSync(at, wanted);
  }
  return changed;
}

function rebuild(root: string): void {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('the rebuild after writing the indexes failed (see above)');
}

/** Writes (or checks) every generated file under root; returns the files that were (or are) out of date. */
export async function runGen(root: string, check: boolean): Promise<string[]> {
  const indexes = apply(root, indexFiles(root), check);
  const firstBuildFailed = Boolean(process.env.EA_GEN_REBUILD);
  if (check && firstBuildFailed)
    throw new Error(`the build failed${indexes.length ? ` (${indexes.join(', ')} out of date)` : ''}: run \`${regenerate}\``);
  if ((indexes.length || firstBuildFailed) && !check) rebuild(root);
  return [...indexes, ...apply(root, await dataFiles(), check)];
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const changed = await runGen(process.cwd(), check);
  if (check) {
    if (changed.length) {
      for (const f of changed) console.error(outOfDate(f));
      console.error(`\nRun: ${regenerate}`);
      process.exit(1);
    }
    console.log('every generated file is up to date');
  } else console.log(changed.length ? `wrote ${changed.join(', ')}` : 'every generated file was up to date');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
