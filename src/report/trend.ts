import { severities, type Severity } from '../types.js';
import { escapeHtml as e } from './escape.js';

/**
 * One run in the state file's history (src/continuous/state.ts keeps the last `maxHistory`): what the nightly
 * trend is drawn from. Open findings exclude suppressed ones.
 */
export interface RunSummary {
  /** When the run finished (ISO 8601). */
  at: string;
  open: Record<Severity, number>;
  new: number;
  resolved: number;
  /** Days the oldest open finding has been open (0 when none is). */
  oldestOpenDays: number;
  notTested: number;
  /** Days each finding resolved by this run had been open (time to fix), at most `maxFixTimes` of them. */
  fixDays?: number[];
}

export const maxHistory = 90;
export const maxFixTimes = 100;

const sevColor: Record<Severity, string> = { critical: '#b00020', high: '#d9480f', medium: '#e6a700', low: '#1c7ed6', info: '#868e96' };

/** The median of a list (undefined when empty). */
export function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Series {
  key: string;
  label: string;
  color: string;
  values: Array<number | undefined>;
}

/** One line chart: x = run, y = value; a polyline per series through its defined points (one point per run). */
function lineChart(title: string, testid: string, runs: readonly RunSummary[], series: Series[]): string {
  const w = 560;
  const h = 160;
  const left = 36;
  const top = 10;
  const bottom = 24;
  const plotW = w - left - 10;
  const plotH = h - top - bottom;
  const max = Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined)));
  const x = (i: number) => (runs.length === 1 ? left + plotW / 2 : left + (i * plotW) / (runs.length - 1));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const r = (n: number) => Math.round(n * 10) / 10;
  const lines = series.map((s) => {
    const pts = s.values.flatMap((v, i) => (v === undefined ? [] : [`${r(x(i))},${r(y(v))}`]));
    const dots = s.values
      .map((v, i) =>
        v === undefined
          ? ''
          : `<circle cx="${r(x(i))}" cy="${r(y(v))}" r="2.5" fill="${s.color}"><title>${e(`${runs[i]!.at.slice(0, 10)}: ${v} ${s.label}`)}</title></circle>`,
      )
      .join('');
    return `<g data-testid="${testid}-${s.key}" data-points="${pts.length}"><polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>${dots}</g>`;
  });
  const first = runs[0]!.at.slice(0, 10);
  const last = runs[runs.length - 1]!.at.slice(0, 10);
  const legend = series.map((s, i) => `<text x="${left + i * 90}" y="${h - 2}" fill="${s.color}">■ ${e(s.label)}</text>`).join('');
  return (
    `<figure><figcaption>${e(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + 14}" viewBox="0 0 ${w} ${h + 14}" role="img" aria-label="${e(title)}" data-testid="${testid}">` +
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#8886"/>` +
    `<text x="0" y="${top + 8}">${r(max)}</text><text x="0" y="${top + plotH}">0</text>` +
    `<text x="${left}" y="${top + plotH + 14}">${e(first)}</text><text x="${left + plotW}" y="${top + plotH + 14}" text-anchor="end">${e(last)}</text>` +
    `${lines.join('')}<g transform="translate(0,14)">${legend}</g></svg></figure>`
  );
}

/**
 * The nightly trend as inline SVG (no script, no external asset): open findings by severity per run, the age of
 * the oldest open finding, and the median time to fix of the findings each run resolved.
 */
export function trendHtml(history: readonly RunSummary[]): string {
  if (!history.length) return '';
  const runs = history.slice(-maxHistory);
  const bySeverity = lineChart(
    'Open findings by severity, per run',
    'trend-open',
    runs,
    severities.map((s) => ({ key: s, label: s, color: sevColor[s], values: runs.map((r) => r.open[s]) })),
  );
  const oldest = lineChart('Oldest open exposure (days)', 'trend-oldest', runs, [
    { key: 'days', label: 'days open', color: '#b00020', values: runs.map((r) => r.oldestOpenDays) },
  ]);
  const fix = lineChart('Time to fix of resolved findings (median days)', 'trend-fix', runs, [
    { key: 'days', label: 'median days', color: '#2b8a3e', values: runs.map((r) => median(r.fixDays ?? [])) },
  ]);
  return `<section id="trend" aria-label="Trend" data-testid="trend" data-runs="${runs.length}"><h2>Trend (last ${runs.length} run${runs.length === 1 ? '' : 's'})</h2><div class="trend">${bySeverity}${oldest}${fix}</div></section>`;
}
