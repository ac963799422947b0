// The scan command's run, imported when `scan` runs (never for --help): the inventory, the audit, the reports.
import { runAudit, type AuditOptions } from '../engine/audit.js';
import { recheckNote } from '../engine/recheck.js';
import type { EndpointPlan } from '../inventory/expand.js';
import { filterPlan } from '../inventory/expand.js';
import { failsOnUntested, untestedMessage } from '../domain/status.js';
import { resolveRunConfig } from '../domain/run-config.js';
import { plural } from '../text.js';
import { cronLine } from '../continuous/cron.js';
import type { TestedEndpoints } from '../continuous/tested.js';
import { isCompact, inflate } from '../report/compact.js';
import { jsonEndpointRenderer } from '../report/json.js';
import { markdownLimits } from '../report/markdown.js';
import { ReportBuilder, type BuildReportOptions } from '../report/model.js';
import { outputProblem } from '../report/output-check.js';
import type { Report } from '../report/schema.js';
import { ResultSpool } from '../report/spool.js';
import { quietText } from '../report/quiet.js';
import { defaultTableWidth } from '../report/table.js';
import type { RunSummary } from '../report/trend.js';
import { batched, writeAtomicStream } from '../report/write.js';
import { redactDeep } from '../risk/redact.js';
import { useColor } from './color.js';
import { prepareContinuous, type ContinuousOptions, type ContinuousRun } from './continuous.js';
import type { MarkdownLimit } from '../report/markdown.js';
import type { Severity } from '../types.js';
import type { UntestedThreshold } from '../domain/status.js';
import { formatForFile, type Format } from './format-names.js';
import { renderChunks, type RenderOptions } from './formats.js';
import { exitCodes, type CliIo } from './io.js';
import { checkSourceAddress } from './options.js';
import { interruptLine, ScanInterrupt } from './interrupt.js';
import { createProgress, type Progress } from './progress.js';
import { probeMetas, probes } from './registry.js';
import { loadSelection } from './select.js';

/** Every option of `scan`, as commander parses them (declared in commands/scan.ts). */
export interface ScanOptions extends ContinuousOptions {
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
  allEndpoints?: boolean;
  markdownLimit: MarkdownLimit;
  progress: boolean;
  allowUnrechecked?: boolean;
}

export async function runScan(inventories: string[], opts: ScanOptions, io: CliIo): Promise<number> {
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
  const interrupt = new ScanInterrupt(io.signal, (tested) => {
    progress.stop();
    io.stderr(interruptLine(tested));
  });
  // One resolved, frozen configuration: flag, else inventory default, else the built-in default (src/domain/run-config.ts).
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
      ...(continuous.knownExposures.size ? { knownExposures: continuous.knownExposures } : {}),
    },
    loaded.inventory.defaults,
  );
  const audit: AuditOptions = { ...config, probes, ...(io.signal ? { signal: io.signal } : {}) };
  if (!opts.quiet && !opts.cron)
    audit.onRecheck = (n) => {
      progress.stop();
      io.stderr(`exposure-audit: note: ${recheckNote(n)}\n`);
    };
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
  const { report, tested } = await streamedScan(endpoints, audit, model, continuous, progress, interrupt, {
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
  } else if (!stdoutFormat) io.stdout(quietText(report, color));
  // After the report is out: the webhook, then the state file (not advanced when the alert was not delivered).
  const problem = await continuous.finish(report, tested);
  if (!report.run.complete) return exitCodes.interrupted;
  if (problem !== undefined) return problem;
  if (continuous.fails(report, opts.failOn)) return exitCodes.findings;
  // The nightly contract: a known exposure that could not be re-checked is still open, and the run says so.
  const stale = opts.allowUnrechecked ? [] : continuous.unrechecked(report, opts.failOn);
  if (stale.length) {
    const since =
      stale
        .map((e) => e.lastSeen ?? '')
        .sort()[0]
        ?.slice(0, 10) || 'the baseline';
    io.stderr(
      `exposure-audit: ${plural(stale.length, 'known exposure')} at or above ${opts.failOn} could not be re-checked and stay${stale.length === 1 ? 's' : ''} open (not re-checked since ${since}); --allow-unrechecked to exit 0 anyway\n`,
    );
    return exitCodes.unrechecked;
  }
  if (opts.failOnUntested && failsOnUntested(report.summary.notTested, report.summary.endpoints, opts.failOnUntested)) {
    // The summary's own count: the number the summary line, the banners, JSON and metrics show.
    io.stderr(`exposure-audit: ${untestedMessage(report.summary, opts.failOnUntested)}\n`);
    return exitCodes.untested;
  }
  return exitCodes.ok;
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
  interrupt: ScanInterrupt,
  out: {
    outs: ReadonlyArray<{ file: string; format: Format }>;
    stdout: { format: Format; write: (s: string) => void } | undefined;
    render: Omit<RenderOptions, 'color'> & { color: false };
    color: boolean;
  },
): Promise<{ report: Report; tested: TestedEndpoints; history: RunSummary[] | undefined }> {
  const files = out.outs.map((o) => o.file);
  // `-q` alone: only the summary line, so nothing to spool.
  const spool = files.length || out.stdout ? ResultSpool.create(endpoints.count, files[0]) : undefined;
  const renderRow = jsonEndpointRenderer(model.declarations);
  try {
    const builder = new ReportBuilder(model);
    const tested = continuous.recorder();
    const run = await runAudit(interrupt.source(endpoints), {
      ...audit,
      keepResults: false,
      onResult: (result, done, total, index) => {
        if (!interrupt.keep(result)) return;
        progress.update(result, done, total);
        const { endpoint, finding } = builder.add(result, index);
        tested.note(endpoint, finding !== undefined);
        spool?.append(index, renderRow(endpoint));
      },
    }).finally(() => progress.stop());
    const notStarted = run.complete ? 0 : interrupt.notStarted(endpoints.count);
    if (notStarted) spool?.allowGaps();
    const report = continuous.annotate(builder.finish({ ...run, notStarted }), tested);
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
