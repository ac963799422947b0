#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
// Only what defining the commands needs is imported here: `--help` and `--version` load no probe, renderer or
// inventory parser. Each command loads its modules when it runs (loadScan, and the imports in each action).
import type { AuditOptions } from '../engine/audit.js';
import { resolveRunConfig, runDefaults } from '../domain/run-config.js';
import { isEaError } from '../errors.js';
import type { EndpointPlan, Resolver } from '../inventory/expand.js';
import { failsOnUntested, parseUntestedThreshold, untestedMessage, type UntestedThreshold } from '../domain/status.js';
import type { BuildReportOptions } from '../report/model.js';
import type { MarkdownLimit } from '../report/markdown.js';
import type { RunSummary } from '../report/trend.js';
import type { Report } from '../report/schema.js';
import type { Severity } from '../types.js';
import { version } from '../version.js';
import { describeSend } from '../probe.js';
import type { RenderOptions } from './formats.js';
import { formatForFile, formats, type Format } from './format-names.js';
import type { Progress, ProgressStream } from './progress.js';
import { collect, durationArg, intArg, ipArg, severityArg } from './options.js';
import type { ContinuousOptions, ContinuousRun } from './commands/continuous.js';
import type { TestedEndpoints } from '../continuous/tested.js';
import { parseShard } from '../continuous/shard.js';
import { registerContinuousCommands } from './commands/diff-merge.js';
import { registerImportCommand } from './import.js';
import { registerInitCommand } from './init.js';
import { unknownCommandHint } from './suggest.js';
import { plural } from '../text.js';
import { EaError } from '../errors.js';

/** The modules a scan needs, loaded once, when a command runs (never for --help / --version). */
let scanModules: ReturnType<typeof importScanModules> | undefined;
const loadScan = () => (scanModules ??= importScanModules());
async function importScanModules() {
  const [
    audit,
    outputCheck,
    select,
    json,
    model,
    markdown,
    table,
    cron,
    spool,
    write,
    registry,
    color,
    formats,
    progress,
    options,
    continuous,
    redact,
    expand,
    compact,
  ] = await Promise.all([
    import('../engine/audit.js'),
    import('../report/output-check.js'),
    import('./select.js'),
    import('../report/json.js'),
    import('../report/model.js'),
    import('../report/markdown.js'),
    import('../report/table.js'),
    import('../continuous/cron.js'),
    import('../report/spool.js'),
    import('../report/write.js'),
    import('./registry.js'),
    import('./color.js'),
    import('./formats.js'),
    import('./progress.js'),
    import('./options.js'),
    import('./commands/continuous.js'),
    import('../risk/redact.js'),
    import('../inventory/expand.js'),
    import('../report/compact.js'),
  ]);
  return {
    ...audit,
    ...outputCheck,
    ...select,
    ...json,
    ...model,
    markdownLimits: markdown.markdownLimits,
    defaultTableWidth: table.defaultTableWidth,
    summaryLine: table.summaryLine,
    ...cron,
    ...spool,
    ...write,
    probeMetas: registry.probeMetas,
    probes: registry.probes,
    ...color,
    renderChunks: formats.renderChunks,
    ...progress,
    checkSourceAddress: options.checkSourceAddress,
    prepareContinuous: continuous.prepareContinuous,
    redactDeep: redact.redactDeep,
    filterPlan: expand.filterPlan,
    isCompact: compact.isCompact,
    inflate: compact.inflate,
  };
}

/** Exit codes: documented in README; CI scripts switch on them. */
export const exitCodes = { ok: 0, findings: 1, usage: 2, untested: 3, unrechecked: 4, interrupted: 130 } as const;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  /** Where the progress bar goes (stderr); drawn only when it is a TTY. */
  progressStream?: ProgressStream;
  env: NodeJS.ProcessEnv;
  resolver?: Resolver;
  signal?: AbortSignal;
  /** The clock for finding ages, state dates and suppression expiry (tests inject one). Default: new Date(). */
  now?: () => Date;
  /** The folder `init` and `import --out` write in (default: process.cwd()). */
  cwd?: string;
  /** Terminal columns for the table (stdout's when it is a terminal; default 100). */
  columns?: number;
}

interface ScanOptions extends ContinuousOptions {
  format: Format;
  out: string[];
  failOn: Severity;
  timeout?: number;
  connectTimeout?: number;
  concurrency?: number;
  perHostConcurrency?: number;
  connectConcurrency?: number;
  rate?: number;
  maxBytes?: number;
  maxCidrAddresses?: number;
  maxEndpoints?: number;
  sourceAddress?: string;
  service?: string[];
  target?: string[];
  strict?: boolean;
  failOnUntested?: UntestedThreshold;
  sample?: number;
  tryDefaultCredentials?: boolean;
  color: boolean;
  quiet?: boolean;
  explain?: boolean;
  cron?: boolean;
  allowUnrechecked?: boolean;
  resolveUnreachableAfter?: number;
  allEndpoints?: boolean;
  markdownLimit: MarkdownLimit;
  progress: boolean;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = new Command('exposure-audit')
    .description('Proves which of your hosts serve data stores and admin endpoints without authentication.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) })
    .showSuggestionAfterError();

  program
    .command('scan <inventory...>', { isDefault: true })
    .description('audit every endpoint declared in the inventory (the default command); several files or folders are one inventory')
    .addOption(new Option('-f, --format <format>', 'stdout format').choices(formats).default('table'))
    .option(
      '-o, --out <file>',
      'also write a report; format from the extension (.json, .sarif, .md, .html, .xml, .txt, .prom); repeatable',
      collect,
      [],
    )
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity', severityArg, 'high' as Severity)
    .option('--timeout <duration>', `deadline per probe attempt (default: inventory, else ${runDefaults.timeoutMs / 1000}s)`, durationArg)
    .option(
      '--connect-timeout <duration>',
      `connect deadline (default: inventory, else ${runDefaults.connectTimeoutMs / 1000}s)`,
      durationArg,
    )
    .option(
      '-c, --concurrency <n>',
      `probe phase: endpoints probed at once (default: inventory, else ${runDefaults.concurrency})`,
      intArg(1, 4096),
    )
    .option(
      '--per-host-concurrency <n>',
      `probe phase: endpoints probed at once per host (default: inventory, else ${runDefaults.perHostConcurrency})`,
      intArg(1, 256),
    )
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
    .option('-q, --quiet', 'print only the summary line on stdout (with --format table)')
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
    .option('--state <file>', 'first/last seen per finding (default: <inventory dir>/.exposure-audit/state.json)')
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
      exitCode = await scan(inventories, opts, io);
    });

  program
    .command('validate <inventory...>')
    .description('check the inventory (syntax, keys, ports, CIDRs, names resolve) without probing; several files or folders are one')
    .option('--max-cidr-addresses <n>', 'largest CIDR expanded (default 65536)', intArg(1, 2 ** 24))
    .option('--max-endpoints <n>', 'most endpoints one run audits (default 1048576)', intArg(1, 2 ** 30))
    .action(async (inventories: string[], opts: { maxCidrAddresses?: number; maxEndpoints?: number }) => {
      const [{ loadSelection }, { probeMetas }, { lintInventory }] = await Promise.all([
        import('./select.js'),
        import('./registry.js'),
        import('../inventory/lint.js'),
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

  program
    .command('probes')
    .description('list the probes: service, default ports and exactly what each sends')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      const [{ probes }, { default: Table }] = await Promise.all([import('./registry.js'), import('cli-table3')]);
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

  registerContinuousCommands(program, io, (code) => (exitCode = code));
  registerInitCommand(program, io);
  registerImportCommand(program, io);

  try {
    // `scan` is the default command: a mistyped command name would be read as an inventory file.
    const hint = argv[0] && !argv[0].startsWith('-') ? unknownCommandHint(argv[0], program, io.cwd) : undefined;
    if (hint) throw new EaError('EA_USAGE', hint);
    await program.parseAsync(bareFailOnUntested(argv), { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (isEaError(err)) {
      // One line per problem, no stack trace: `file:line:column: message` for inventories.
      const { redactText } = await import('../risk/redact.js');
      io.stderr(redactText(`${err.code === 'EA_INVENTORY' ? '' : `exposure-audit: ${err.code}: `}${err.message}\n`));
      return exitCodes.usage;
    }
    // One line, no stack trace (EXPOSURE_AUDIT_DEBUG=1 prints it).
    const { redactText } = await import('../risk/redact.js');
    const detail = io.env.EXPOSURE_AUDIT_DEBUG ? ((err as Error)?.stack ?? String(err)) : oneLine(err);
    io.stderr(redactText(`exposure-audit: internal error: ${detail}\n`));
    return exitCodes.usage;
  }
}

async function scan(inventories: string[], opts: ScanOptions, io: CliIo): Promise<number> {
  const {
    loadSelection,
    outputProblem,
    prepareContinuous,
    checkSourceAddress,
    useColor,
    createProgress,
    probes,
    probeMetas,
    markdownLimits,
    defaultTableWidth,
    cronLine,
    summaryLine,
    redactDeep,
    filterPlan,
  } = await loadScan();
  const selection = await loadSelection(inventories, opts, io.resolver);
  const loaded = selection.loaded;
  // One name for one or several files (`a.yaml + b.yaml`): the report's inventory, the state's key.
  const inventoryFile = loaded.file;
  // The same host in two files is one target: said once, except where output must stay quiet.
  if (!opts.quiet && !opts.cron) for (const n of selection.notes) io.stderr(`exposure-audit: note: ${n}\n`);
  const outs = opts.out.map((file) => ({ file, format: formatForFile(file) }));
  // Every output path is checked before a single probe: a bad --out costs nothing.
  for (const o of outs) {
    const problem = await outputProblem(o.file);
    if (problem) {
      io.stderr(`exposure-audit: EA_OUTPUT: --out ${o.file}: ${problem}\n`);
      return exitCodes.usage;
    }
  }
  const continuous = await prepareContinuous(inventoryFile, loaded, opts, io);
  // Lazy: endpoints are produced as the connect phase takes them, never held as a list (a /12 is 1,048,576 per port).
  const plan = selection.plan;
  const endpoints = opts.shard ? filterPlan(plan, (ep) => continuous.select([ep]).length === 1) : plan;
  if (opts.sourceAddress) {
    const problem = await checkSourceAddress(opts.sourceAddress);
    if (problem) {
      io.stderr(`exposure-audit: EA_USAGE: --source-address ${opts.sourceAddress} is not an address of this machine (${problem})\n`);
      return exitCodes.usage;
    }
  }
  const color = useColor(opts.color, io);
  const progress = createProgress(io.progressStream, { quiet: opts.quiet || opts.cron, enabled: opts.progress && !opts.cron, env: io.env });
  // The one resolved, frozen run configuration: flags, else the inventory's defaults, else the built-in ones.
  const config = resolveRunConfig(
    {
      timeoutMs: opts.timeout,
      connectTimeoutMs: opts.connectTimeout,
      concurrency: opts.concurrency,
      perHostConcurrency: opts.perHostConcurrency,
      connectConcurrency: opts.connectConcurrency,
      rate: opts.rate,
      maxBytes: opts.maxBytes,
      sampleRows: opts.sample || undefined,
      tryDefaultCredentials: opts.tryDefaultCredentials,
      sourceAddress: opts.sourceAddress,
    },
    loaded.inventory.defaults,
  );
  const audit: AuditOptions = { ...config, probes, ...(io.signal ? { signal: io.signal } : {}) };
  const model: BuildReportOptions = {
    inventory: inventoryFile,
    failOn: opts.failOn,
    probes: probeMetas,
    declarations: redactDeep([...plan.declarations]),
    ...(opts.sourceAddress ? { sourceAddress: opts.sourceAddress } : {}),
  };
  // Every format streams: each redacted result goes to a spool file as it completes (none is held in memory), and
  // each report is written from the spool afterwards — JSON copied record by record, the table and HTML row by row,
  // Markdown and SARIF from one pass each. `-q` and `--cron` with no --out print one line and need no spool.
  const stdoutFormat: Format | undefined = opts.cron || (opts.quiet && opts.format === 'table') ? undefined : opts.format;
  const { report, tested } = await streamedScan(endpoints, audit, model, continuous, progress, {
    outs,
    stdout: stdoutFormat ? { format: stdoutFormat, write: io.stdout } : undefined,
    render: {
      color: false,
      ...(opts.allEndpoints ? { allEndpoints: true } : {}),
      ...(opts.explain ? { explain: true } : {}),
      markdownLimit: markdownLimits[opts.markdownLimit],
      width: io.columns ?? defaultTableWidth,
    },
    color,
  });
  if (opts.cron) {
    const line = cronLine(
      report,
      outs.map((o) => o.file),
    );
    if (line) io.stdout(`${line}\n`);
  } else if (!stdoutFormat) io.stdout(`${summaryLine(report, color)}\n`);
  // After the report is out: the webhook, then the state file (not advanced when the alert was not delivered).
  const problem = await continuous.finish(report, tested);
  if (!report.run.complete) return exitCodes.interrupted;
  if (problem !== undefined) return problem;
  if (continuous.fails(report, opts.failOn)) return exitCodes.findings;
  // The nightly contract: a known exposure that could not be re-checked is still open, and the run says so.
  const stale = opts.allowUnrechecked ? [] : continuous.unrechecked(report, opts.failOn);
  if (stale.length) {
    io.stderr(
      `exposure-audit: ${stale.length} known exposure${stale.length === 1 ? '' : 's'} at or above ${opts.failOn} could not be re-checked and stay${stale.length === 1 ? 's' : ''} open (not re-checked since ${
        stale
          .map((e) => e.lastSeen ?? '')
          .sort()[0]
          ?.slice(0, 10) || 'the baseline'
      }); --allow-unrechecked to exit 0 anyway\n`,
    );
    return exitCodes.unrechecked;
  }
  if (opts.failOnUntested) {
    if (failsOnUntested(report.summary.notTested, report.summary.endpoints, opts.failOnUntested)) {
      io.stderr(`exposure-audit: ${untestedMessage(report.summary, opts.failOnUntested)}\n`);
      return exitCodes.untested;
    }
  }
  return exitCodes.ok;
}

function untestedArg(v: string): UntestedThreshold {
  const t = parseUntestedThreshold(v);
  if (!t) throw new InvalidArgumentError('expected a count of endpoints (5) or a percentage (10%)');
  return t;
}

/** `--fail-on-untested` with no threshold before the inventory: commander would take the inventory as its value. */
function bareFailOnUntested(argv: string[]): string[] {
  return argv.map((a, i) =>
    a === '--fail-on-untested' && (argv[i + 1] === undefined || !parseUntestedThreshold(argv[i + 1]!)) ? '--fail-on-untested=0' : a,
  );
}

/** An unexpected error as one line: its message, never a stack. */
function oneLine(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const text = e instanceof Error ? `${e.code ? `${e.code}: ` : ''}${e.message}` : String(err);
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}

/**
 * The streaming scan: each result is redacted, classified and counted as it completes (ReportBuilder), what the
 * continuous layer needs is noted (TestedRecorder), and the redacted result goes to a spool file, not to memory,
 * already in the report's layout. Then each JSON report is written — its header, the endpoints copied from the
 * spool, its findings: the same bytes renderJson gives for the same run — to every file atomically, then to
 * stdout. The spool is removed on success, on error, and on exit.
 */
async function streamedScan(
  endpoints: EndpointPlan,
  audit: AuditOptions,
  model: BuildReportOptions,
  continuous: ContinuousRun,
  progress: Progress,
  out: {
    outs: ReadonlyArray<{ file: string; format: Format }>;
    stdout: { format: Format; write: (s: string) => void } | undefined;
    render: Omit<RenderOptions, 'color'> & { color: false };
    color: boolean;
  },
): Promise<{ report: Report; tested: TestedEndpoints; history: RunSummary[] | undefined }> {
  const { ResultSpool, ReportBuilder, runAudit, jsonEndpointRenderer, writeAtomicStream, batched, renderChunks, isCompact, inflate } =
    await loadScan();
  const files = out.outs.map((o) => o.file);
  // `-q` alone: only the summary line, so nothing to spool.
  const spool = files.length || out.stdout ? ResultSpool.create(endpoints.count, files[0]) : undefined;
  const renderRow = jsonEndpointRenderer(model.declarations);
  try {
    const builder = new ReportBuilder(model);
    const tested = continuous.recorder();
    const run = await runAudit(endpoints, {
      ...audit,
      keepResults: false,
      onResult: (result, done, total, index) => {
        progress.update(result, done, total);
        const { endpoint, finding } = builder.add(result, index);
        tested.note(endpoint, finding !== undefined);
        spool?.append(index, renderRow(endpoint));
      },
    }).finally(() => progress.stop());
    const report = continuous.annotate(builder.finish(run), tested);
    const history = continuous.history(report);
    if (spool) {
      const records = spool;
      type Row = Report['endpoints'][number];
      // The spool's records as endpoints: each is its JSON row in the report (a compact row inflated).
      const endpointsOf = function* (): Generator<Row> {
        for (const r of records.records()) {
          const row = JSON.parse(r) as Parameters<typeof isCompact>[0];
          yield isCompact(row) ? inflate(row, report.declarations) : (row as Row);
        }
      };
      const opts: RenderOptions = {
        ...out.render,
        endpoints: endpointsOf,
        jsonRecords: () => records.read(),
        ...(history ? { history } : {}),
      };
      // A truncated Markdown names where the full report is: the first other report file.
      const full = out.outs.find((o) => o.format === 'html' || o.format === 'json')?.file;
      const fullReport = full ? { fullReport: full } : {};
      for (const o of out.outs) await writeAtomicStream(o.file, renderChunks(report, o.format, { ...opts, file: o.file, ...fullReport }));
      if (out.stdout)
        for await (const part of batched(renderChunks(report, out.stdout.format, { ...opts, color: out.color, ...fullReport }), 64 * 1024))
          out.stdout.write(part);
    }
    return { report, tested, history };
  } finally {
    spool?.remove();
  }
}

/**
 * The process's CLI: stdout that survives a closed pipe (`| head`: EPIPE ends stdout quietly; the run goes on, the
 * state is written, the exit code is the run's), and the interrupt `controller` whose signal handlers the entry
 * (bin.ts) installed before any heavy import.
 */
export async function runCli(controller: AbortController): Promise<number> {
  let stdoutClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') stdoutClosed = true;
    else process.stderr.write(`exposure-audit: EA_OUTPUT: stdout: ${err.code ?? err.message}\n`);
  });
  return main(process.argv.slice(2), {
    stdout: (s) => {
      if (!stdoutClosed) process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
    isTty: Boolean(process.stdout.isTTY),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    progressStream: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
}

function isEntryPoint(): boolean {
  try {
    // Through npm's bin link argv[1] is the link; compare real paths.
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]!) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// Run directly (node dist/src/cli/main.js): the same as bin.ts, its handlers installed after this module's imports.
if (isEntryPoint()) {
  const { installSignalHandlers } = await import('./signals.js');
  process.exitCode = await runCli(installSignalHandlers());
}
