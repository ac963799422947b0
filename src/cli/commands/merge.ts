import { Option, type Command } from 'commander';
import type { Severity } from '../../types.js';
import { formatForFile, formats, type Format } from '../format-names.js';
import type { CliIo, SetExit } from '../io.js';
import { collect, severityArg } from '../options.js';

/** `exposure-audit merge REPORT...`: shard reports joined into one. Its modules load when it runs. */
export function registerMergeCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('merge <reports...>')
    .description('join shard reports (--shard K/N) into one report: summary recomputed, complete only if every shard is')
    .addOption(new Option('-f, --format <format>', 'stdout format').choices(formats).default('table'))
    .option('-o, --out <file>', 'also write the merged report; format from the extension; repeatable', collect, [])
    .option('--fail-on <severity>', 'exit 1 when a finding (not suppressed) is at or above this severity', severityArg)
    .option('--fail-on-new', 'with --fail-on: only NEW findings count')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .action(async (files: string[], opts: { format: Format; out: string[]; failOn?: Severity; failOnNew?: boolean; color: boolean }) => {
      const [{ failsOnNew, loadReportFile }, { mergeReports }, { writeAtomic }, { render }, { failsAt }, { useColor }] = await Promise.all([
        import('../../continuous/diff.js'),
        import('../../continuous/merge.js'),
        import('../../report/write.js'),
        import('../formats.js'),
        import('../../domain/severity.js'),
        import('../color.js'),
      ]);
      const outs = opts.out.map((file) => ({ file, format: formatForFile(file) }));
      const inputs = await Promise.all(files.map((f) => loadReportFile(f, 'merge:')));
      const { report, warnings } = mergeReports(inputs);
      for (const w of warnings) io.stderr(`exposure-audit: ${w}\n`);
      for (const o of outs) await writeAtomic(o.file, render(report, o.format, false));
      io.stdout(render(report, opts.format, useColor(opts.color, io)));
      const failOn = opts.failOn ?? (opts.failOnNew ? report.run.failOn : undefined);
      setExit(failOn && (opts.failOnNew ? failsOnNew(report, failOn) : failsAt(report, failOn)) ? 1 : 0);
    });
}
