import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { runDefaults } from '../../domain/run-config.js';
import { EaError } from '../../errors.js';
import { schemaModeline } from '../../inventory/import/modeline.js';

/**
 * The starter inventory `exposure-audit init` writes: valid as is (it audits this machine's loopback only), with
 * every key explained in comments. Examples of other hosts use `.example` names, in comments only: those do not
 * resolve, and an inventory must only ever name hosts you own.
 */
export function starterInventory(forFile: string): string {
  const modeline = schemaModeline(forFile);
  return `${modeline ? `# ${modeline}\n` : ''}# exposure-audit inventory: the hosts YOU own or are authorised to test, and what to check on them.
# Check it with:  exposure-audit validate targets.yaml        Run it with:  exposure-audit scan targets.yaml
# Generate one from what you already keep:  exposure-audit import ansible|terraform|nmap|kubernetes FILE
targets:
  # This machine, on every service's default ports: safe to run as is.
  - host: 127.0.0.1
    name: this-machine             # asset name, used in reports and finding fingerprints
    labels: {owner: me}            # free-form; \`exposure: internet\` raises severity (the one value the classifier reads)

  # More examples (uncomment and change to your own hosts):
  # - host: cache-1.internal.example    # a host name: resolved once, every address audited, never reverse DNS
  #   services: {redis: [6379, 6380]}   # service -> ports; [] or null = that service's default ports
  #   expect: auth-required             # declared intent: exposed | auth-required | closed
  # - host: 127.0.0.8/30                # a CIDR: each address on the declared (or every default) service
  #   name: lab-subnet
  #   services: {clickhouse: [], elasticsearch: null}

# defaults:                        # optional; the values shown are the built-in ones
#   timeout: ${runDefaults.timeoutMs / 1000}s                    # deadline per probe attempt, connect included
#   connectTimeout: ${runDefaults.connectTimeoutMs / 1000}s
#   concurrency: ${runDefaults.concurrency}                # endpoints in flight
#   perHostConcurrency: ${runDefaults.perHostConcurrency}
#   maxBytes: ${runDefaults.maxBytes}              # bytes read per probe attempt
#   maxCidrAddresses: 65536        # a larger CIDR is refused unless raised

# suppressions:                    # accepted risks: still reported, not counted for --fail-on
#   - host: 127.0.0.1
#     service: redis
#     reason: lab instance, no data
#     owner: me
#     expires: 2030-01-31
`;
}

export interface InitIo {
  stdout: (s: string) => void;
  /** The folder to write in (default: the current directory). */
  cwd?: string;
}

/** `exposure-audit init [file]`: writes the starter, never over an existing file. */
export function registerInitCommand(program: Command, io: InitIo): void {
  program
    .command('init [file]')
    .description('write a commented starter targets.yaml in the current folder (never overwrites)')
    .action(async (file: string | undefined) => {
      const target = path.resolve(io.cwd ?? process.cwd(), file ?? 'targets.yaml');
      try {
        await writeFile(target, starterInventory(target), { flag: 'wx', mode: 0o644 });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new EaError(
          'EA_USAGE',
          code === 'EEXIST' ? `${target} already exists: not overwriting it` : `cannot write ${target}: ${code ?? String(err)}`,
        );
      }
      io.stdout(
        `wrote ${target}\nnext: edit it, then  exposure-audit validate ${file ?? 'targets.yaml'}  and  exposure-audit scan ${file ?? 'targets.yaml'}\n`,
      );
    });
}
