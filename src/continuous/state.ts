import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { withFirstSeen } from '../classify/aftermath.js';
import { EaError } from '../errors.js';
import type { Report } from '../report/schema.js';
import { writeAtomic } from '../report/write.js';
import { severities, type Severity } from '../types.js';
import { maxFixTimes, maxHistory, type RunSummary } from '../report/trend.js';
import { fateOf, type Baseline, type FateOptions } from './diff.js';
import { maxStateBytes, parseJsonBounded, readBounded, readProblem, TooDeepError } from '../read-bounded.js';
import { testedFromReport, type TestedEndpoints } from './tested.js';

/**
 * The state file: what was open at the last run, per fingerprint, with when it was first and last seen.
 * Not a report (no evidence, nothing secret): identities, severities and dates only.
 */
const entrySchema = z.object({
  firstSeen: z.string(),
  lastSeen: z.string(),
  severity: z.enum(severities),
  title: z.string(),
  check: z.string(),
  asset: z.string(),
  host: z.string(),
  port: z.number().int(),
  service: z.string(),
  suppressed: z.boolean().optional(),
  /** Consecutive complete runs without a verdict on its endpoint that proves a fix (added later: optional). */
  unreachableRuns: z.number().int().nonnegative().optional(),
});
const count = z.number().int().nonnegative();
/** One run's summary (src/report/trend.ts RunSummary): the nightly trend. */
const runSummarySchema = z.object({
  at: z.string(),
  open: z.object(Object.fromEntries(severities.map((s) => [s, count])) as Record<Severity, typeof count>),
  new: count,
  resolved: count,
  oldestOpenDays: count,
  notTested: count,
  fixDays: z.array(count).max(maxFixTimes).optional(),
});
const stateSchema = z.object({
  tool: z.literal('exposure-audit'),
  stateVersion: z.literal(1),
  updatedAt: z.string(),
  findings: z.record(z.string(), entrySchema),
  /** The last `maxHistory` runs, oldest first (added after state version 1: optional, ignored by older readers). */
  history: z.array(runSummarySchema).optional(),
});

export type StateEntry = z.infer<typeof entrySchema>;
export type State = z.infer<typeof stateSchema>;

/** Entries whose endpoint has not been tested for this long are forgotten (a host left the inventory). */
export const stateRetentionDays = 90;
/**
 * The state stays within its own reader's cap (64 MiB): at most this many entries (the most recently seen are
 * kept), each text field cut to `maxStateField` characters. 40,000 maximal entries are about 57 MiB, one per line (test/unit/continuous/state-lock.test.ts).
 */
export const maxStateEntries = 40_000;
export const maxStateField = 256;
const DAY_MS = 86_400_000;

/**
 * Where ad-hoc runs keep their state (and the fingerprint key beside it): the user's state directory, as the XDG
 * Base Directory spec puts it — `$XDG_STATE_HOME` when it is an absolute path, else `~/.local/state` — never beside
 * the inventory, which usually lives in an infrastructure repository.
 */
export function stateHome(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || homedir(), '.local', 'state');
  return path.join(base, 'exposure-audit');
}

/**
 * The default state file of an inventory: `<stateHome>/<inventory name>-<hash of its absolute path>/state.json`, so
 * each inventory keeps its own history and the folder says which one it is.
 */
export function defaultStatePath(inventoryFile: string, env: NodeJS.ProcessEnv): string {
  const abs = path.resolve(inventoryFile);
  const id = createHash('sha256').update(abs).digest('hex').slice(0, 16);
  const name = path
    .basename(abs, path.extname(abs))
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 64);
  return path.join(stateHome(env), `${name}-${id}`, 'state.json');
}

export function emptyState(now: Date): State {
  return { tool: 'exposure-audit', stateVersion: 1, updatedAt: now.toISOString(), findings: {} };
}

/** The previous state, or undefined when there is none yet. A corrupt file is a usage error (exit 2), never silently reset. */
export async function loadState(file: string): Promise<State | undefined> {
  let text: string;
  try {
    text = (await readBounded(file, maxStateBytes)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EaError('EA_USAGE', `the state file ${file}: ${readProblem(err)}: fix or delete it, or pass --no-state`);
  }
  let json: unknown;
  try {
    json = parseJsonBounded(text);
  } catch (err) {
    if (err instanceof TooDeepError)
      throw new EaError('EA_USAGE', `the state file ${file}: ${err.message}: fix or delete it, or pass --no-state`);
    throw new EaError('EA_USAGE', `the state file ${file} is not JSON: fix or delete it, or pass --no-state`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EaError(
      'EA_USAGE',
      `the state file ${file} is not an exposure-audit state (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}): fix or delete it, or pass --no-state`,
    );
  }
  return parsed.data;
}

/**
 * The state after this run: every finding seen now (first seen kept, last seen now); entries absent now are
 * dropped when their endpoint was tested again (resolved), kept when it was not (timeout, error, interrupted,
 * another shard or service), and forgotten after `stateRetentionDays` without being seen. `tested` says which
 * endpoints were tested (by default the report's own; a streamed report has none in memory).
 */
export function updateState(
  prev: State | undefined,
  report: Report,
  now: Date,
  tested: TestedEndpoints = testedFromReport(report),
  fate: Omit<FateOptions, 'tested'> = {},
): State {
  const at = now.toISOString();
  const next: State = emptyState(now);
  for (const f of report.findings) {
    const old = prev?.findings[f.fingerprint];
    next.findings[f.fingerprint] = {
      firstSeen: old?.firstSeen ?? f.firstSeen ?? at,
      lastSeen: at,
      severity: f.severity,
      title: f.title,
      check: f.check,
      asset: f.asset,
      host: f.host,
      port: f.port,
      service: f.service,
      ...(f.suppressed ? { suppressed: true } : {}),
    };
  }
  for (const [fp, old] of Object.entries(prev?.findings ?? {})) {
    if (next.findings[fp]) continue;
    // The same rule as the diff: only a verdict that proves a fix resolves; a retired asset or N unreachable runs
    // (when asked for) end it too; everything else stays open, lastSeen kept ("not re-checked since").
    const gone = fateOf(old, { ...fate, tested });
    if (gone !== 'not-retested') continue;
    if (now.getTime() - Date.parse(old.lastSeen) > stateRetentionDays * DAY_MS) continue;
    const runs = (old.unreachableRuns ?? 0) + (fate.declaredAssets ? 1 : 0);
    next.findings[fp] = { ...old, ...(runs ? { unreachableRuns: runs } : {}) };
  }
  return next;
}

const cut = (v: string) => (v.length > maxStateField ? `${v.slice(0, maxStateField - 1)}…` : v);

/** An entry with every text field within `maxStateField`. */
function compactEntry(e: StateEntry): StateEntry {
  return { ...e, title: cut(e.title), check: cut(e.check), asset: cut(e.asset), host: cut(e.host), service: cut(e.service) };
}

/** The state as written: entries sorted by fingerprint, one per line, within `maxStateEntries` (most recent kept). */
export function serializeState(state: State): string {
  let entries = Object.entries(state.findings);
  if (entries.length > maxStateEntries) {
    entries = entries.sort(([, a], [, b]) => b.lastSeen.localeCompare(a.lastSeen)).slice(0, maxStateEntries);
  }
  entries.sort(([a], [b]) => a.localeCompare(b));
  const head = JSON.stringify({ tool: state.tool, stateVersion: state.stateVersion, updatedAt: state.updatedAt });
  const body = entries.map(([fp, e]) => `${JSON.stringify(fp)}:${JSON.stringify(compactEntry(e))}`).join(',\n');
  const history = boundedHistory(state.history ?? []);
  const tail = history.length ? `,"history":[\n${history.map((h) => JSON.stringify(h)).join(',\n')}\n]` : '';
  return `${head.slice(0, -1)},"findings":{${body ? `\n${body}\n` : ''}}${tail}}\n`;
}

async function ensureDir(file: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
  } catch (err) {
    throw new EaError('EA_OUTPUT', `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {}, { cause: err });
  }
}

export async function saveState(file: string, state: State): Promise<void> {
  await ensureDir(file);
  await writeAtomic(file, serializeState(state));
}

/**
 * Merge-on-write: this run's state (`mine`) joined with the state another run wrote meanwhile (`disk`), by
 * fingerprint: first seen is the earliest, last seen the latest, the rest from whichever saw it last. An entry only
 * the other run has is kept, unless this run proved it gone (its endpoint was tested again and it was not seen) and
 * the other run had not seen it since this run started.
 */
export function mergeStates(
  mine: State,
  disk: State | undefined,
  opts: { startedAt: Date; resolved: (e: StateEntry) => boolean; now: Date },
): State {
  if (!disk) return mine;
  const out: State = { ...mine, findings: { ...mine.findings } };
  // Run summaries: both runs' (one per finish time), oldest first, the last `maxHistory`.
  const history = mergeHistories(disk.history ?? [], mine.history ?? []);
  if (history.length) out.history = history;
  for (const [fp, d] of Object.entries(disk.findings)) {
    const m = out.findings[fp];
    if (m) {
      const newer = d.lastSeen > m.lastSeen ? d : m;
      out.findings[fp] = { ...newer, firstSeen: d.firstSeen < m.firstSeen ? d.firstSeen : m.firstSeen, lastSeen: newer.lastSeen };
      continue;
    }
    if (opts.resolved(d) && Date.parse(d.lastSeen) <= opts.startedAt.getTime()) continue;
    if (opts.now.getTime() - Date.parse(d.lastSeen) > stateRetentionDays * DAY_MS) continue;
    out.findings[fp] = d;
  }
  return out;
}

/**
 * Writes the state under a lock (proper-lockfile: `<file>.lock`, stale after 30 s, released on exit), re-reading the
 * file under it and merging (mergeStates): two runs sharing a state file never lose each other's findings.
 */
export async function commitState(
  file: string,
  mine: State,
  opts: { startedAt: Date; resolved: (e: StateEntry) => boolean; now: Date },
): Promise<State> {
  await ensureDir(file);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      stale: 30_000,
      retries: { retries: 60, minTimeout: 50, maxTimeout: 1000, factor: 1.5 },
    });
  } catch (err) {
    throw new EaError(
      'EA_OUTPUT',
      `cannot lock the state file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}): another run holds it`,
      {},
      { cause: err },
    );
  }
  try {
    const merged = mergeStates(mine, await loadState(file), opts);
    await saveState(file, merged);
    return merged;
  } finally {
    await release().catch(() => undefined);
  }
}

/** At most `maxHistory` run summaries (the latest), each with at most `maxFixTimes` fix times. */
export function boundedHistory(history: readonly RunSummary[]): RunSummary[] {
  return history
    .slice(-maxHistory)
    .map((h) => (h.fixDays && h.fixDays.length > maxFixTimes ? { ...h, fixDays: h.fixDays.slice(0, maxFixTimes) } : h));
}

/** Two histories joined: one summary per finish time (`at`), oldest first, bounded. */
export function mergeHistories(a: readonly RunSummary[], b: readonly RunSummary[]): RunSummary[] {
  const byAt = new Map<string, RunSummary>();
  for (const h of [...a, ...b]) byAt.set(h.at, h);
  return boundedHistory([...byAt.values()].sort((x, y) => x.at.localeCompare(y.at)));
}

/**
 * This run's summary for the history: open findings by severity (suppressed ones excluded), new, resolved, the
 * oldest open finding's age, the endpoints not tested, and each resolved finding's time to fix (from when the
 * state file first saw it).
 */
export function runSummaryOf(report: Report, prev: State | undefined, now: Date): RunSummary {
  const open = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  let oldest = 0;
  let fresh = 0;
  for (const f of report.findings) {
    if (f.suppressed) continue;
    open[f.severity]++;
    oldest = Math.max(oldest, f.ageDays ?? 0);
    if (report.diff && f.change === 'new') fresh++;
  }
  const resolved = report.diff?.resolved ?? [];
  const fixDays = resolved
    .map((r) => prev?.findings[r.fingerprint]?.firstSeen)
    .filter((t): t is string => t !== undefined)
    .map((t) => ageInDays(t, now))
    .slice(0, maxFixTimes);
  return {
    at: now.toISOString(),
    open,
    new: report.diff ? fresh : 0,
    resolved: resolved.length,
    oldestOpenDays: oldest,
    notTested: report.summary.notTested,
    ...(fixDays.length ? { fixDays } : {}),
  };
}

/** The state file as a baseline: "new" then means "not in the state file". */
export function baselineFromState(state: State, file: string): Baseline {
  return {
    name: `state:${file}`,
    findings: Object.entries(state.findings).map(([fingerprint, e]) => ({
      fingerprint,
      severity: e.severity,
      title: e.title,
      asset: e.asset,
      host: e.host,
      port: e.port,
      service: e.service,
      firstSeen: e.firstSeen,
      lastSeen: e.lastSeen,
      ...(e.unreachableRuns ? { unreachableRuns: e.unreachableRuns } : {}),
      ...(e.suppressed ? { suppressed: true } : {}),
    })),
  };
}

/**
 * `firstSeen` and `ageDays` on every finding: from the state file, else from the baseline report (its
 * `firstSeen`, else its start: the finding was open at least since then), else now.
 */
export function applyAges(report: Report, sources: { state?: State | undefined; baseline?: Baseline | undefined }, now: Date): Report {
  const fromBaseline = new Map((sources.baseline?.findings ?? []).map((b) => [b.fingerprint, b.firstSeen ?? sources.baseline?.startedAt]));
  return {
    ...report,
    findings: report.findings.map((f) => {
      const stateSeen = sources.state?.findings[f.fingerprint]?.firstSeen;
      const baselineSeen = fromBaseline.get(f.fingerprint);
      const firstSeen = stateSeen ?? baselineSeen ?? f.firstSeen ?? now.toISOString();
      // The response checklist's exposure window: from where the finding was first seen open to this run.
      const basis = stateSeen ? 'state' : baselineSeen ? 'baseline' : 'this-run';
      const response = f.response ? withFirstSeen(f.response, firstSeen, basis, now) : undefined;
      return { ...f, firstSeen, ageDays: ageInDays(firstSeen, now), ...(response ? { response } : {}) };
    }),
  };
}

export function ageInDays(firstSeen: string, now: Date): number {
  const t = Date.parse(firstSeen);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((now.getTime() - t) / DAY_MS));
}
