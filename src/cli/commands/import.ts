import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { EaError } from '../../errors.js';
import { importSources, type ImportSource } from '../../inventory/import/sources.js';
import { didYouMean, plural } from '../../text.js';

export interface ImportIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd?: string;
}

/**
 * `exposure-audit import SOURCE FILE [--out targets.yaml]`: reads an Ansible inventory, a Terraform state, an nmap
 * XML run or `kubectl get svc -o json` and prints targets.yaml (or writes it atomically with --out). Nothing is
 * resolved or contacted: review the result, then `validate` it.
 */
export function registerImportCommand(program: Command, io: ImportIo): void {
  program
    .command('import <source> <file>')
    .description(`turn an inventory you already keep into targets.yaml (${importSources.join(', ')}); printed, or written with --out`)
    .option('--out <file>', 'write targets.yaml here instead of stdout (refuses to overwrite without --force)')
    .option('--force', 'with --out: replace an existing file')
    .option('--into <file>', 'merge into this existing inventory, keeping its comments (hosts already there get the ports added)')
    .action(async (source: string, file: string, opts: { out?: string; force?: boolean; into?: string }) => {
      if (opts.into !== undefined && opts.out !== undefined) throw new EaError('EA_USAGE', '--into and --out: choose one');
      if (!(importSources as readonly string[]).includes(source)) {
        throw new EaError('EA_USAGE', `unknown source "${source}"${didYouMean(source, importSources)}: one of ${importSources.join(', ')}`);
      }
      // Loaded when the command runs (`--help` loads none of it).
      const [
        { maxInventoryBytes },
        { portMappingMetas },
        { ImportError, importers, renderInventory },
        { writeAtomic },
        { readBounded, readProblem },
        { outputProblem },
      ] = await Promise.all([
        import('../../inventory/load.js'),
        import('../registry.js'),
        import('../../inventory/import/index.js'),
        import('../../report/write.js'),
        import('../../read-bounded.js'),
        import('../../report/output-check.js'),
      ]);
      /** Bigger than any inventory we accept as input: a Terraform state of a large estate is still well under this. */
      const maxImportBytes = 8 * maxInventoryBytes;
      const cwd = io.cwd ?? process.cwd();
      const input = path.resolve(cwd, file);
      let text: string;
      try {
        // Regular files only, opened non-blocking and fstat-ed first: a FIFO or device is refused at once, not read.
        text = (await readBounded(input, maxImportBytes)).toString('utf8');
      } catch (err) {
        throw new EaError('EA_USAGE', `import ${source} ${file}: ${readProblem(err)}`);
      }
      // --out / --into are checked before any work too (a FIFO would block; --into must exist).
      const out = opts.out === undefined ? undefined : path.resolve(cwd, opts.out);
      const outProblem = out === undefined ? undefined : await outputProblem(out);
      if (out !== undefined && outProblem) throw new EaError('EA_USAGE', `--out ${out}: ${outProblem}`);
      if (opts.into !== undefined) {
        const into = path.resolve(cwd, opts.into);
        let existing: string;
        try {
          existing = (await readBounded(into, maxInventoryBytes)).toString('utf8');
        } catch (err) {
          throw new EaError('EA_USAGE', `--into ${into}: ${readProblem(err)}`);
        }
        const problem = await outputProblem(into);
        if (problem) throw new EaError('EA_USAGE', `--into ${into}: ${problem}`);
        const { mergeIntoInventory } = await import('../../inventory/import/into.js');
        let result;
        try {
          result = mergeIntoInventory(
            existing,
            into,
            importers[source as ImportSource](text, portMappingMetas),
            `${path.basename(file)} (${source})`,
          );
        } catch (err) {
          if (err instanceof ImportError) throw new EaError('EA_USAGE', `import ${source} ${file}: ${err.message}`);
          throw err;
        }
        // The merged file must still be an inventory the loader accepts: checked before it replaces the old one.
        const [{ parseInventory, InventoryError }, { services }] = await Promise.all([
          import('../../inventory/load.js'),
          import('../registry.js'),
        ]);
        try {
          parseInventory(result.text, into, services);
        } catch (err) {
          if (err instanceof InventoryError)
            throw new EaError('EA_USAGE', `--into ${into}: the merged inventory would not load, not written:\n${err.message}`);
          throw err;
        }
        await writeAtomic(into, result.text);
        io.stdout(`merged into ${into}: ${plural(result.added, 'target')} added, ${plural(result.merged, 'target')} updated\n`);
        return;
      }
      let yaml: string;
      try {
        const inv = importers[source as ImportSource](text, portMappingMetas);
        yaml = renderInventory(
          inv,
          [`Imported from ${path.basename(file)} by \`exposure-audit import ${source}\`: review it, then \`exposure-audit validate\`.`],
          out ?? path.join(cwd, 'targets.yaml'),
        );
        if (inv.notes.length)
          io.stderr(`exposure-audit import: ${plural(inv.notes.length, 'item')} not imported (listed at the end of the file)\n`);
      } catch (err) {
        if (err instanceof ImportError) throw new EaError('EA_USAGE', `import ${source} ${file}: ${err.message}`);
        throw err;
      }
      if (out === undefined) {
        io.stdout(yaml);
        return;
      }
      if (!opts.force) {
        const exists = await stat(out).then(
          () => true,
          () => false,
        );
        if (exists) throw new EaError('EA_USAGE', `${out} already exists: not overwriting it (use --force)`);
      }
      await writeAtomic(out, yaml);
      io.stdout(`wrote ${out}\n`);
    });
}
