import { severities } from '../types.js';
import type { Report } from '../report/schema.js';
import { plural } from '../text.js';

/**
 * `--cron`: the one line a nightly run prints, or undefined when there is nothing to say — cron mails whatever a job
 * prints, so a night with nothing NEW (and no suppression that expired) prints nothing at all. NEW is against the
 * state file (or --baseline); without either, every open finding counts as new.
 *
 *   exposure-audit: 2 new (1 critical, 1 high), 1 suppression expired; open: 1 critical, 3 high; report: /srv/audit/report.html
 *   exposure-audit: 1 not re-checked (1 critical) since 2026-12-05; open: none; report: /srv/audit/report.html
 */
export function cronLine(report: Report, files: readonly string[]): string | undefined {
  const open = report.findings.filter((f) => !f.suppressed);
  const fresh = open.filter((f) => (report.diff ? f.change === 'new' : true));
  const expired = report.findings.filter((f) => f.suppressionExpired).length;
  // Known exposures this run could not re-check: still open, and never a quiet night.
  const stale = report.diff?.notRetested ?? [];
  if (!fresh.length && !expired && !stale.length) return undefined;
  const bySev = (list: readonly { severity: (typeof severities)[number] }[]) =>
    severities
      .map((s) => [s, list.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
  const parts: string[] = [];
  if (fresh.length) parts.push(`${fresh.length} new (${bySev(fresh)})`);
  if (expired) parts.push(plural(expired, 'suppression', 'suppressions') + ' expired');
  if (stale.length) {
    const since = stale
      .map((e) => e.lastSeen ?? '')
      .filter(Boolean)
      .sort()[0];
    parts.push(`${stale.length} not re-checked (${bySev(stale)})${since ? ` since ${since.slice(0, 10)}` : ''}`);
  }
  const report_ = files.find((f) => /\.html$/i.test(f)) ?? files.find((f) => /\.json$/i.test(f)) ?? files[0];
  const incomplete = report.run.complete ? '' : ' (INCOMPLETE: interrupted)';
  return `exposure-audit: ${parts.join(', ')}; open: ${bySev(open) || 'none'}${incomplete}; report: ${report_ ?? 'none written (pass -o report.html)'}`;
}
