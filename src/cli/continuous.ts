import {
  applyDiff,
  baselineFromReport,
  failsOnNew,
  fateOf,
  loadReportFile,
  type Baseline,
  type DiffEntry,
  type FateOptions,
} from '../continuous/diff.js';
import { buildSlackPayload, postWebhook, resolveWebhook, selectAlerts } from '../continuous/notify.js';
import { inShard, selectShard, type Shard } from '../continuous/shard.js';
import {
  applyAges,
  baselineFromState,
  commitState,
  defaultStatePath,
  emptyState,
  loadState,
  mergeHistories,
  runSummaryOf,
  updateState,
  type State,
} from '../continuous/state.js';
import type { RunSummary } from '../report/trend.js';
import { migrateFingerprints } from '../continuous/migrate.js';
import { outputProblem } from '../report/output-check.js';
import { useInstallationKey } from '../continuous/fingerprint-key.js';
import { applySuppressions, loadSuppressionsFile, suppressionsOf, type Suppression } from '../continuous/suppressions.js';
import { endpointKey, TestedRecorder, testedFromReport, type TestedEndpoints } from '../continuous/tested.js';
import { atLeast, failsAt } from '../domain/severity.js';
import { EaError, isEaError } from '../errors.js';
import type { LoadedInventory } from '../inventory/load.js';
import type { Report } from '../report/schema.js';
import type { Severity } from '../types.js';
import { services } from './registry.js';

/** The scan options of continuous auditing (see docs/continuous.md). */
export interface ContinuousOptions {
  /** `--state FILE` (string), `--no-state` (false), or the default (undefined). */
  state?: string | boolean;
  baseline?: string;
  failOnNew?: boolean;
  suppressions?: string;
  notify?: string;
  notifyResolved?: boolean;
  shard?: Shard;
  service?: string[];
  target?: string[];
  /** --resolve-unreachable-after N: resolve a finding, saying so, after N complete runs without a verdict. */
  resolveUnreachableAfter?: number;
}

/** What the continuous features need from the CLI's io. */
export interface ContinuousIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface ContinuousRun {
  /**
   * The endpoints (endpointKey) open findings of the state file or the --baseline sit on: the engine probes them
   * again with the full timeout when the main pass gives them no verdict that proves anything (RunConfig.knownExposures).
   */
  knownExposures: ReadonlySet<string>;
  /** This run's share of the endpoints (--shard). */
  select<T extends { host: string; port: number; service: string }>(endpoints: readonly T[]): T[];
  /**
   * For a streamed run (its endpoints never all in memory): records, as results go by, what annotate and finish
   * will ask — the verdicts of the endpoints that findings of the baseline or the state file sit on, and how the
   * endpoints that give findings were declared. Pass it to annotate and finish.
   */
  recorder(): TestedRecorder;
  /**
   * Shard, suppressions, ages and the diff, applied to the report before it is rendered. `tested`: which endpoints
   * were tested (default: the report's endpoints).
   */
  annotate(report: Report, tested?: TestedEndpoints): Report;
  /** Exit 1? (--fail-on-new: only NEW findings count.) Suppressed findings never count. */
  fails(report: Report, failOn: Severity): boolean;
  /** Known exposures at or above failOn this run could not re-check (still open, not suppressed): exit 4. */
  unrechecked(report: Report, failOn: Severity): DiffEntry[];
  /**
   * The state file's run summaries with this run's last (at most `maxHistory`), or undefined without a state
   * file: what the HTML trend and the metrics draw, and what finish() writes.
   */
  history(report: Report): RunSummary[] | undefined;
  /** After the report is written: the webhook, then the state file. Returns 2 when either failed. */
  finish(report: Report, tested?: TestedEndpoints): Promise<number | undefined>;
}

/** Everything that can be wrong with the options fails here, before a single probe is sent (exit 2). */
export async function prepareContinuous(
  inventoryFile: string,
  loaded: LoadedInventory,
  opts: ContinuousOptions,
  io: ContinuousIo,
): Promise<ContinuousRun> {
  const now = io.now ?? (() => new Date());
  const shard = opts.shard;
  if (shard && typeof opts.state === 'string') {
    throw new EaError(
      'EA_USAGE',
      '--state cannot be combined with --shard: shards run in parallel and would overwrite one state file (use --baseline with the merged report of the previous run)',
    );
  }
  const explicitState = typeof opts.state === 'string';
  let statePath =
    shard || opts.state === false ? undefined : typeof opts.state === 'string' ? opts.state : defaultStatePath(inventoryFile, io.env);
  if (statePath) {
    // Before a single probe: a state file that cannot be written is found now, not after the whole audit. An
    // explicit --state is held to what --out is (its folder must exist: exit 2, the same words); the default one's
    // folder is created. A default state that cannot be written is one warning, and the run goes on without state.
    const problem = await outputProblem(statePath, { createDirs: !explicitState });
    if (problem && explicitState) throw new EaError('EA_OUTPUT', `--state ${statePath}: ${problem}`);
    if (problem) {
      io.stderr(
        `exposure-audit: warning: no state this run: the default state file ${statePath}: ${problem} (pass --state FILE or --no-state)\n`,
      );
      statePath = undefined;
    }
  }
  let prevState: State | undefined = statePath ? await loadState(statePath) : undefined;
  let baseline: Baseline | undefined = opts.baseline
    ? baselineFromReport((await loadReportFile(opts.baseline, '--baseline')).report, opts.baseline)
    : undefined;
  let comparison = baseline ?? (statePath ? baselineFromState(prevState ?? emptyState(now()), statePath) : undefined);
  const suppressions: Suppression[] = [
    ...suppressionsOf(loaded),
    ...(opts.suppressions ? await loadSuppressionsFile(opts.suppressions, services) : []),
  ];
  if (opts.notifyResolved && !opts.notify) throw new EaError('EA_USAGE', '--notify-resolved needs --notify');
  if ((opts.notify || opts.failOnNew) && !comparison) {
    throw new EaError(
      'EA_USAGE',
      `${opts.notify ? '--notify' : '--fail-on-new'} needs something to compare with: --baseline REPORT.json, or the state file (${shard ? '--shard disables it' : 'drop --no-state'})`,
    );
  }
  const webhook = opts.notify ? resolveWebhook(opts.notify, io.env) : undefined;
  // Every option checked: secret fingerprints are keyed with the installation's key, kept beside the state file
  // (created on first use), else the process keeps a per-run key.
  if (statePath) await useInstallationKey(statePath);
  const scope = (ep: { host: string; port: number; service: string }) =>
    inShard(ep, shard) && (!opts.service || opts.service.includes(ep.service));
  // The endpoints whose verdict the diff (resolved or not retested) and the state update (resolved or kept) ask about.
  const watched = new Set([...(comparison?.findings ?? []), ...Object.values(prevState?.findings ?? {})].map(endpointKey));

  // A run that audited the whole inventory (complete, no --service/--target/--shard) may retire the findings of assets
  // the inventory no longer declares, and count one more run without a verdict for the others.
  const declaredAssets = new Set(loaded.inventory.targets.map((t) => t.name ?? t.host));
  const fateScope = (report: Report): Omit<FateOptions, 'tested'> => {
    const full = report.run.complete && !shard && !opts.service?.length && !opts.target?.length;
    return {
      ...(full ? { declaredAssets } : {}),
      ...(opts.resolveUnreachableAfter !== undefined ? { resolveUnreachableAfter: opts.resolveUnreachableAfter } : {}),
    };
  };

  let history: RunSummary[] | undefined;
  const historyOf = (report: Report): RunSummary[] | undefined => {
    if (!statePath) return undefined;
    history ??= mergeHistories(prevState?.history ?? [], [runSummaryOf(report, prevState, now())]);
    return history;
  };
  return {
    knownExposures: watched,
    history: historyOf,
    select: (endpoints) => selectShard(endpoints, shard),
    recorder: () => new TestedRecorder(watched),
    annotate(report, tested) {
      const at = now();
      // Check ids that now name the product: old fingerprints map to new ones, first seen kept.
      const m = migrateFingerprints(report, { state: prevState, baseline });
      if (m.migrated) {
        prevState = m.state;
        baseline = m.baseline;
        comparison = baseline ?? (statePath ? baselineFromState(prevState ?? emptyState(at), statePath) : undefined);
      }
      let r: Report = shard ? { ...report, run: { ...report.run, shard: { index: shard.index, count: shard.count } } } : report;
      r = applySuppressions(r, suppressions, at, tested);
      r = applyAges(r, { state: prevState, baseline }, at);
      if (comparison) r = applyDiff(r, comparison, { inScope: scope, ...fateScope(r), ...(tested ? { tested } : {}) });
      return r;
    },
    fails: (report, failOn) => (opts.failOnNew ? failsOnNew(report, failOn) : failsAt(report, failOn)),
    unrechecked(report, failOn) {
      const suppressed = new Set((comparison?.findings ?? []).filter((b) => b.suppressed).map((b) => b.fingerprint));
      return (report.diff?.notRetested ?? []).filter((e) => !suppressed.has(e.fingerprint) && atLeast(e.severity, failOn));
    },
    async finish(report, tested) {
      let code: number | undefined;
      if (webhook) {
        const alerts = selectAlerts(report, comparison, Boolean(opts.notifyResolved));
        if (alerts.raised.length || alerts.resolved.length) {
          const result = await postWebhook(webhook, buildSlackPayload(report, alerts), io.signal ? { signal: io.signal } : {});
          if (!result.ok) {
            io.stderr(
              `exposure-audit: EA_OUTPUT: could not notify the webhook after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}: ${result.problem ?? 'failed'}${statePath ? '; the state file was not updated, so the next run alerts again' : ''}\n`,
            );
            return 2;
          }
        }
      }
      if (statePath) {
        try {
          const at = now();
          const seen = tested ?? testedFromReport(report);
          // Under the lock, merged with what another run sharing this file wrote meanwhile.
          const fate = fateScope(report);
          const next = updateState(prevState, report, at, seen, fate);
          const runs = historyOf(report);
          if (runs?.length) next.history = runs;
          await commitState(statePath, next, {
            startedAt: new Date(report.run.startedAt),
            resolved: (e) => fateOf(e, { ...fate, tested: seen }) !== 'not-retested',
            now: at,
          });
        } catch (err) {
          const msg = isEaError(err) ? err.message : String(err);
          if (explicitState) {
            io.stderr(`exposure-audit: EA_OUTPUT: ${msg}\n`);
            code = 2;
          } else {
            io.stderr(`exposure-audit: warning: ${msg} (the default state file; pass --state FILE or --no-state)\n`);
          }
        }
      }
      return code;
    },
  };
}
