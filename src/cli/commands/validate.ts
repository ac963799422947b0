import type { Command } from 'commander';
import { plural } from '../../text.js';
import type { CliIo } from '../io.js';
import { intArg } from '../options.js';

interface ValidateOptions {
  maxCidrAddresses?: number;
  maxEndpoints?: number;
}

/** `exposure-audit validate FILE… | FOLDER…` (several are one inventory): the inventory checked (syntax, keys, ports, CIDRs, names resolve), nothing probed. */
export function registerValidateCommand(program: Command, io: CliIo): void {
  program
    .command('validate <inventory...>')
    .description('check the inventory (syntax, keys, ports, CIDRs, names resolve) without probing; several files or folders are one')
    .option('--max-cidr-addresses <n>', 'largest CIDR expanded (default 65536)', intArg(1, 2 ** 24))
    .option('--max-endpoints <n>', 'most endpoints one run audits (default 1048576)', intArg(1, 2 ** 30))
    .action(async (inventories: string[], opts: ValidateOptions) => {
      const [{ loadSelection }, { probeMetas }, { lintInventory }] = await Promise.all([
        import('../select.js'),
        import('../registry.js'),
        import('../../inventory/lint.js'),
      ]);
      // Every problem in one pass, names that do not resolve included.
      const { loaded, plan, notes } = await loadSelection(inventories, { ...opts, strict: true }, io.resolver);
      io.stdout(`${loaded.file}: ok, ${plural(loaded.inventory.targets.length, 'target')}, ${plural(plan.count, 'endpoint')}\n`);
      for (const n of notes) io.stderr(`${n}\n`);
      // Valid but probably not meant: label values the classifier ignores, overlapping declarations (which wins).
      const lint = {
        probes: probeMetas,
        ...(io.resolver ? { resolver: io.resolver } : {}),
        ...(opts.maxCidrAddresses ? { maxCidrAddresses: opts.maxCidrAddresses } : {}),
      };
      for (const w of await lintInventory(loaded, lint)) io.stderr(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
    });
}
