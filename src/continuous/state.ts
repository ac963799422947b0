import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { withFirstSeen } from '../classify/aftermath.js';
import { EaError } from '../errors.js';
import type { Report } from '../report/schema.js';
import { writeAtomic } from '../report/write.js';
import { severities } from '../types.js';
import type { Baseline } from './diff.js';
import { maxStateBytes, readBounded, readProblem } from '../read-bounded.js';
import { endpointKey, testedFromReport, type TestedEndpoints } from './tested.js';

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
});
const stateSchema = z.object({
  tool: z.literal('exposure-audit'),
  stateVersion: z.literal(1),
  updatedAt: z.string(),
  findings: z.record(z.string(), entrySchema),
});

export type StateEntry = z.infer<typeof entrySchema>;
export type State = z.infer<typeof stateSchema>;

/** Entries whose endpoint has not been tested for this long are forgotten (a host left the inventory). */
export const stateRetentionDays = 90;
const DAY_MS = 86_400_000;

export function defaultStatePath(inventoryFile: string): string {
  return path.join(path.dirname(inventoryFile), '.exposure-audit', 'state.json');
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
    json = JSON.parse(text);
  } catch {
    throw new EaError('EA_USAGE', `the state file ${file} is not JSON: fix or delete it, or pass --no-state`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EaError('EA_USAGE', `the state file ${file} is not an exposure-audit state (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}): fix or delete it, or pass --no-state`);
  }
  return parsed.data;
}

/**
 * The state after this run: every finding seen now (first seen kept, last seen now); entries absent now are
 * dropped when their endpoint was tested again (resolved), kept when it was not (timeout, error, interrupted,
 * another shard or service), and forgotten after `stateRetentionDays` without being seen. `tested` says which
 * endpoints were tested (by default the report's own; a streamed report has none in memory).
 */
export function updateState(prev: State | undefined, report: Report, now: Date, tested: TestedEndpoints = testedFromReport(report)): State {
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
    if (tested.retested(endpointKey(old))) continue; // resolved
    if (now.getTime() - Date.parse(old.lastSeen) > stateRetentionDays * DAY_MS) continue;
    next.findings[fp] = old;
  }
  return next;
}

export async function saveState(file: string, state: State): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
  } catch (err) {
    throw new EaError('EA_OUTPUT', `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {}, { cause: err });
  }
  const sorted = Object.fromEntries(Object.entries(state.findings).sort(([a], [b]) => a.localeCompare(b)));
  await writeAtomic(file, `${JSON.stringify({ ...state, findings: sorted }, null, 2)}\n`);
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
