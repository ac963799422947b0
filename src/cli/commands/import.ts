import { readFile } from 'node:fs/promises';
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
    .action(async (source: string, file: string, opts: { out?: string; force?: boolean }) => {
      if (!(importSources as readonly string[]).includes(source)) {
        throw new EaError('EA_USAGE', `unknown source "${source}"${didYouMean(source, importSources)}: one of ${importSources.join(', ')}`);
      }
      // Loaded when the command runs (`--help` loads none of it).
      const [{ maxInventoryBytes }, { portMappingMetas }, { ImportError, importers, renderInventory }, { writeAtomic }] = await Promise.all(
        [
          import('../../inventory/load.js'),
          import('../registry.js'),
          import('../../inventory/import/index.js'),
          import('../../report/write.js'),
        ],
      );
      /** Bigger than any inventory we accept as input: a Terraform state of a large estate is still well under this. */
      const maxImportBytes = 8 * maxInventoryBytes;
      const cwd = io.cwd ?? process.cwd();
      const input = path.resolve(cwd, file);
      let text: string;
      try {
        const buf = await readFile(input);
        if (buf.length > maxImportBytes)
          throw Object.assign(new Error('too large'), { code: `larger than ${maxImportBytes / 1024 / 1024} MiB` });
        text = buf.toString('utf8');
      } catch (err) {
        throw new EaError('EA_USAGE', `import ${source} ${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      let yaml: string;
      try {
        const inv = importers[source as ImportSource](text, portMappingMetas);
        yaml = renderInventory(inv, [
          `Imported from ${path.basename(file)} by \`exposure-audit import ${source}\`: review it, then \`exposure-audit validate\`.`,
        ]);
        if (inv.notes.length)
          io.stderr(`exposure-audit import: ${plural(inv.notes.length, 'item')} not imported (listed at the end of the file)\n`);
      } catch (err) {
        if (err instanceof ImportError) throw new EaError('EA_USAGE', `import ${source} ${file}: ${err.message}`);
        throw err;
      }
      if (!opts.out) {
        io.stdout(yaml);
        return;
      }
      const out = path.resolve(cwd, opts.out);
      if (!opts.force) {
        const exists = await readFile(out).then(
          () => true,
          () => false,
        );
        if (exists) throw new EaError('EA_USAGE', `${out} already exists: not overwriting it (use --force)`);
      }
      await writeAtomic(out, yaml);
      io.stdout(`wrote ${out}\n`);
    });
}
