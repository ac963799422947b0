import { Option, type Command } from 'commander';
import type { Severity } from '../../types.js';
import type { CliIo, SetExit } from '../io.js';
import { severityArg } from '../options.js';

// Defined without loading what it runs: its modules load when the command runs (so `--help` stays fast).

export const diffFormats = ['table', 'json', 'markdown'] as const;

/** `exposure-audit diff OLD NEW`: two JSON reports compared by fingerprint. */
export function registerDiffCommand(program: Command, io: CliIo, setExit: SetExit): void {
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
        else io.stdout(renderDiffText(report, useColor(opts.color, io)));
        setExit(opts.failOnNew && failsOnNew(report, opts.failOn ?? report.run.failOn) ? 1 : 0);
      },
    );
}
