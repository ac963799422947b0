import { Command, Option } from 'commander';
import type { Severity } from '../../types.js';
import { formatForFile, formats, type Format } from '../format-names.js';
import { collect, severityArg } from '../options.js';

/** What `diff` and `merge` need of the CLI's io. */
interface ContinuousIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
}

// `diff` and `merge`, defined without loading what they run: their modules load when the command runs (so
// `--help` stays fast).

export const diffFormats = ['table', 'json', 'markdown'] as const;

/** `exposure-audit diff` and `exposure-audit merge`. */
export function registerContinuousCommands(program: Command, io: ContinuousIo, setExit: (code: number) => void): void {
  program
    .command('diff <old> <new>')
    .description('compare two JSON reports by fingerprint: new, resolved, unchanged and changed-severity findings')
    .addOption(
      new Option('-f, --format <format>', 'stdout format (json: the new report with change and diff)')
        .choices(diffFormats)
        .default('table'),
    )
    .option('--fail-on <severity>', "with --fail-on-new: the lowest severity that counts (default: the new report's)", severityArg)
    .option('--fail-on-new', 'exit 1 when a NEW finding (or one whose suppression expired) is at or above --fail-on')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .action(
      async (
        oldFile: string,
        newFile: string,
        opts: { format: (typeof diffFormats)[number]; failOn?: Severity; failOnNew?: boolean; color: boolean },
      ) => {
        const [
          { applyDiff, baselineFromReport, failsOnNew, loadReportFile },
          { inShard },
          { renderJson },
          { renderDiffMarkdown, renderDiffText },
          { useColor },
        ] = await Promise.all([
          import('../../continuous/diff.js'),
          import('../../continuous/shard.js'),
          import('../../report/json.js'),
          import('../../report/change-view.js'),
          import('../color.js'),
        ]);
        const colorOf = (o: { color: boolean }, i: ContinuousIo) => useColor(o.color, i);
        const [before, after] = await Promise.all([
          loadReportFile(oldFile, 'diff: old report'),
          loadReportFile(newFile, 'diff: new report'),
        ]);
        const shard = after.report.run.shard;
        const report = applyDiff(
          after.report,
          baselineFromReport(before.report, oldFile),
          shard ? { inScope: (ep) => inShard(ep, shard) } : {},
        );
        if (opts.format === 'json') io.stdout(renderJson(report));
        else if (opts.format === 'markdown') io.stdout(renderDiffMarkdown(report));
        else io.stdout(renderDiffText(report, colorOf(opts, io)));
        setExit(opts.failOnNew && failsOnNew(report, opts.failOn ?? report.run.failOn) ? 1 : 0);
      },
    );

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
      const colorOf = (o: { color: boolean }, i: ContinuousIo) => useColor(o.color, i);
      const outs = opts.out.map((file) => ({ file, format: formatForFile(file) }));
      const inputs = await Promise.all(files.map((f) => loadReportFile(f, 'merge:')));
      const { report, warnings } = mergeReports(inputs);
      for (const w of warnings) io.stderr(`exposure-audit: ${w}\n`);
      for (const o of outs) await writeAtomic(o.file, render(report, o.format, false));
      io.stdout(render(report, opts.format, colorOf(opts, io)));
      const failOn = opts.failOn ?? (opts.failOnNew ? report.run.failOn : undefined);
      setExit(failOn && (opts.failOnNew ? failsOnNew(report, failOn) : failsAt(report, failOn)) ? 1 : 0);
    });
}
