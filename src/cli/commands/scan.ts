import { InvalidArgumentError, Option, type Command } from 'commander';
// Only what defining the command needs is imported here: `--help` loads no probe, renderer or inventory parser. The
// run (../scan-run.ts) is imported when the command runs.
import { parseUntestedThreshold, type UntestedThreshold } from '../../domain/status.js';
import { parseShard } from '../../continuous/shard-arg.js';
import type { Severity } from '../../types.js';
import { formats } from '../format-names.js';
import type { CliIo, SetExit } from '../io.js';
import type { ScanOptions } from '../scan-run.js';
import { collect, durationArg, intArg, ipArg, severityArg } from '../options.js';

/** `exposure-audit scan FILE` (the default command): audits every endpoint the inventory declares. */
export function registerScanCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('scan <inventory...>', { isDefault: true })
    .description('audit every endpoint declared in the inventory (the default command)')
    .addOption(new Option('-f, --format <format>', 'stdout format').choices(formats).default('table'))
    .option(
      '-o, --out <file>',
      'also write a report; format from the extension (.json, .sarif, .md, .html, .xml, .txt, .prom); repeatable',
      collect,
      [],
    )
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity', severityArg, 'high' as Severity)
    .option('--timeout <duration>', 'deadline per probe attempt (default: inventory, else 3s)', durationArg)
    .option('--connect-timeout <duration>', 'connect deadline (default: inventory, else 2s)', durationArg)
    .option('-c, --concurrency <n>', 'probe phase: endpoints probed at once (default: inventory, else 64)', intArg(1, 4096))
    .option('--per-host-concurrency <n>', 'probe phase: endpoints probed at once per host (default: inventory, else 8)', intArg(1, 256))
    .option(
      '--connect-concurrency <n>',
      'connect phase: connects in flight (default: from the open-files limit, at most 8192)',
      intArg(1, 65536),
    )
    .option(
      '--rate <n>',
      'connect phase: at most N connects started per second (fragile networks; default unlimited)',
      intArg(1, 1_000_000),
    )
    .option('--max-bytes <n>', 'byte cap per probe attempt (default 1 MiB)', intArg(1024, 64 * 1024 * 1024))
    .option('--max-cidr-addresses <n>', 'largest CIDR expanded (default 65536)', intArg(1, 2 ** 24))
    .option('-S, --source-address <ip>', 'bind outgoing connections to this local address', ipArg)
    .option('--max-endpoints <n>', 'most endpoints one run audits (default 1048576)', intArg(1, 2 ** 30))
    .option('--service <name>', 'only this service; repeatable (one that selects nothing is exit 2)', collect)
    .option('--target <host|name>', 'only this target (its host as declared, or its name); repeatable', collect)
    .option('--strict', 'a declared name that does not resolve fails the run (exit 2) instead of reporting its target as error / EA_DNS')
    .option(
      '--fail-on-untested [threshold]',
      'exit 3 when more endpoints than the threshold could not be tested (timeout, error): a count, or a percentage such as 10%; default 0',
      untestedArg,
    )
    .option(
      '--sample <n>',
      'read at most N rows/values of each sensitive-looking table or key and count secrets in them (redacted); default 0 = metadata only',
      intArg(0, 1000),
    )
    .option(
      '--try-default-credentials',
      "also try ONLY each product's documented default credential (LiteLLM sk-1234, Milvus root:Milvus, MLflow admin:password …), once, on a product that demands credentials; an accepted one is reported as its own check (default-credential)",
    )
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option(
      '-q, --quiet',
      'with --format table: print only the summary line, then one line per critical or high finding (at most 20, the rest counted)',
    )
    .option(
      '--cron',
      'for cron: print nothing unless something is NEW (or a suppression expired), then one line: counts and the report path; no progress bar',
    )
    .option('--all-endpoints', 'list closed and filtered endpoints (tested, no service) one by one instead of one row per host')
    .addOption(
      new Option('--markdown-limit <where>', 'size Markdown for a PR comment (65,536 characters) or a step summary (1 MiB)')
        .choices(['comment', 'summary'])
        .default('comment'),
    )
    .option('--explain', "with --format table: every step of each finding's response checklist (what to rotate, revoke, investigate, fix)")
    .option('--no-progress', 'no progress bar on stderr (it is drawn only when stderr is a terminal)')
    .option(
      '--state <file>',
      'first/last seen per finding; its folder must exist (default: $XDG_STATE_HOME, else ~/.local/state, /exposure-audit/<inventory>-<hash>/state.json)',
    )
    .option('--no-state', 'no state file (implied by --shard)')
    .option('--baseline <report.json>', 'compare with an earlier JSON report: new, resolved, unchanged, changed severity')
    .option('--fail-on-new', 'exit 1 only for NEW findings (vs --baseline, else the state file) at or above --fail-on')
    .option('--suppressions <file>', "accepted risks (a YAML `suppressions:` list), added to the inventory's")
    .option(
      '--notify <url>',
      "post NEW findings to this webhook (Slack-compatible JSON); pass '${ALERT_WEBHOOK}' to read it from the environment",
    )
    .option('--notify-resolved', 'with --notify: also post resolved findings')
    .option(
      '--allow-unrechecked',
      'exit 0 even when a known exposure (state file or --baseline) could not be re-checked; by default that is exit 4: it stays open',
    )
    .option(
      '--resolve-unreachable-after <runs>',
      'resolve a finding, saying so, after its endpoint reached no verdict in this many complete runs in a row (default: never)',
      intArg(1, 1000),
    )
    .option('--shard <K/N>', 'audit only shard K of N (by a hash of host, port and service); implies --no-state', parseShard)
    .action(async (inventories: string[], opts: ScanOptions) => {
      const { runScan } = await import('../scan-run.js');
      setExit(await runScan(inventories, opts, io));
    });
}

function untestedArg(v: string): UntestedThreshold {
  const t = parseUntestedThreshold(v);
  if (!t) throw new InvalidArgumentError('expected a count of endpoints (5) or a percentage (10%)');
  return t;
}

/** `--fail-on-untested` with no threshold before the inventory: commander would take the inventory as its value. */
export function bareFailOnUntested(argv: string[]): string[] {
  return argv.map((a, i) =>
    a === '--fail-on-untested' && (argv[i + 1] === undefined || !parseUntestedThreshold(argv[i + 1]!)) ? '--fail-on-untested=0' : a,
  );
}
