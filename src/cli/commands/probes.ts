import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** `exposure-audit probes`: every probe, its service, default ports and exactly what it sends. */
export function registerProbesCommand(program: Command, io: CliIo): void {
  program
    .command('probes')
    .description('list the probes: service, default ports and exactly what each sends')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      const [{ probes }, { default: Table }, { describeSend }] = await Promise.all([
        import('../registry.js'),
        import('cli-table3'),
        import('../../probe.js'),
      ]);
      if (opts.json) {
        io.stdout(
          `${JSON.stringify(
            probes.map((p) => p.meta),
            null,
            2,
          )}\n`,
        );
        return;
      }
      const t = new Table({
        head: ['probe', 'service', 'ports', 'sends'],
        style: { head: [], border: [] },
        wordWrap: true,
        colWidths: [19, 12, 12, 78],
      });
      // cli-table3 slows down steeply with the number of lines in one cell (the http-admin catalog sends ~90 requests:
      // tens of seconds in one cell), so long lists continue on rows of at most 12 lines.
      for (const p of probes) {
        for (let i = 0; i < Math.max(1, p.meta.sends.length); i += 12) {
          const first = i === 0;
          t.push([
            first ? p.meta.id : '',
            first ? p.meta.service : '',
            first ? p.meta.defaultPorts.join(', ') : '',
            p.meta.sends
              .slice(i, i + 12)
              .map(describeSend)
              .join('\n'),
          ]);
        }
      }
      io.stdout(`${t.toString()}\n`);
    });
}
