import pc from 'picocolors';
import { notTestedWords } from '../domain/status.js';
import { statuses, type Severity, type Status } from '../types.js';
import type { Report } from './schema.js';
import { changeOf, continuousLines, continuousSummary, whyExtras } from './change-view.js';
import { terminalText } from './escape.js';
import { hostRuns } from './host-runs.js';
import { endpointSource, NoServiceTally, noServiceWords, type EndpointSource } from './no-service.js';
import { plural } from '../text.js';
import { aftermathOf, dataClassSummary } from './aftermath-view.js';

export interface TableOptions {
  color: boolean;
  /** Terminal columns; no line is wider. Default 100 (the CLI passes process.stdout.columns on a TTY). */
  width?: number;
  /** List closed (tested, no service) endpoints one by one instead of one summary row per host. */
  allEndpoints?: boolean;
  /** Where the endpoints come from (the spool, read again for each call); default the report's array. */
  endpoints?: EndpointSource;
  /** `--explain`: every step of each finding's response checklist (else a short view that points to it). */
  explain?: boolean;
}

type Paint = (s: string) => string;

/** The narrowest table drawn: below this the columns would be a few characters each. */
export const minTableWidth = 40;
export const defaultTableWidth = 100;
/** Lines one cell may take; a longer text ends with "…" (the JSON report has all of it). */
const MAX_CELL_LINES = 12;
const MAX_EVIDENCE_LINES = 2;
const MAX_ERROR_LINES = 5;

function palette(color: boolean) {
  const c = pc.createColors(color);
  const sev: Record<Severity, Paint> = { critical: (s) => c.bold(c.red(s)), high: c.red, medium: c.yellow, low: c.cyan, info: c.dim };
  const paints: Partial<Record<Status, Paint>> = {
    exposed: (s) => c.bold(c.red(s)),
    'auth-required': c.green,
    denied: c.yellow,
    'not-detected': c.dim,
    timeout: c.magenta,
    error: c.magenta,
  };
  // closed, and any status added later: dim.
  const st = (s: Status): Paint => paints[s] ?? c.dim;
  return { c, sev, st };
}

/** One line counting endpoints per status, so "never tested" can never read as "safe". */
export function summaryLine(report: Report, color = false): string {
  const { st, c } = palette(color);
  const parts = statuses.filter((s) => report.summary.byStatus[s] > 0).map((s) => st(s)(`${report.summary.byStatus[s]} ${s}`));
  const untested = report.summary.notTested ? c.magenta(` — ${report.summary.notTested} not tested (${notTestedWords})`) : '';
  const notStarted = report.run.notStarted ? `; ${plural(report.run.notStarted, 'endpoint')} never started (not listed)` : '';
  const incomplete = report.run.complete ? '' : c.bold(c.magenta(` — INCOMPLETE: the run was interrupted${notStarted}`));
  return `${plural(report.summary.endpoints, 'endpoint')}: ${parts.join(', ') || 'none'}${untested}${incomplete}`;
}

/** Columns a code point takes in a terminal: 0 for combining marks, 2 for wide (East Asian, emoji), else 1. */
function cpWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** A line may break after one of these (`users.password_hash`, `/api/v1/flows`, `redis-prod-7.corp.invalid`). */
const SEPARATORS = new Set(['_', '.', '/', '-', ':', ',', ';', '=', '@', '|', '&', '?']);

/**
 * Wraps plain text (no colour codes) into lines of at most `width` columns: at spaces where a word fits, else after
 * a separator inside the word (`users.password_│hash`, never `passwor│d_hash`), mid-word only for a run with neither
 * that is wider than the column. One left-to-right pass over the text (linear in its length, whatever the width or the words), at most
 * `maxLines` lines, the last ending with "…" when text was left out.
 */
export function wrapCell(text: string, width: number, maxLines = MAX_CELL_LINES): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  // Tabs and carriage returns would move the cursor: a space each.
  const src = terminalText(text).replace(/[\t\r]/g, ' ');
  let line = '';
  let cols = 0;
  /**
   * The last place `line` may break: it ends at `breakAt` and the next line starts at `resumeAt` (a space is dropped,
   * a separator stays at the end of its line), and `after` columns follow `resumeAt`.
   */
  let breakAt = -1;
  let resumeAt = -1;
  let after = 0;
  const full = () => lines.length >= maxLines;
  const emit = (s: string) => {
    lines.push(s.trimEnd());
  };
  let cut = false;
  for (const ch of src) {
    if (full()) {
      cut = true;
      break;
    }
    if (ch === '\n') {
      emit(line);
      line = '';
      cols = 0;
      breakAt = -1;
      continue;
    }
    const cw = cpWidth(ch.codePointAt(0)!);
    if (cols + cw > w) {
      if (ch === ' ') {
        emit(line);
        line = '';
        cols = 0;
        breakAt = -1;
        continue;
      }
      if (breakAt > 0) {
        // Break at the last opportunity: what follows it (no break in it, so it never moves twice) starts the next line.
        emit(line.slice(0, breakAt));
        line = line.slice(resumeAt);
        cols = after;
      } else {
        emit(line);
        line = '';
        cols = 0;
      }
      breakAt = -1;
      if (cols + cw > w && line) {
        if (full()) {
          cut = true;
          break;
        }
        emit(line);
        line = '';
        cols = 0;
      }
      if (full()) {
        cut = true;
        break;
      }
    }
    if (ch === ' ') {
      if (cols === 0 && lines.length > 0 && line === '') continue; // no leading space on a wrapped line
      breakAt = line.length;
      resumeAt = breakAt + 1;
      after = -cw;
    }
    line += ch;
    cols += cw;
    if (breakAt >= 0) after += cw;
    if (SEPARATORS.has(ch) && line.length > 1) {
      breakAt = resumeAt = line.length;
      after = 0;
    }
  }
  if (!cut && (line || lines.length === 0)) {
    if (full()) cut = true;
    else emit(line);
  }
  if (cut && lines.length) {
    const last = lines[lines.length - 1]!;
    lines[lines.length - 1] = `${fitTo(last, w - 1)}…`;
  }
  return lines;
}

/** `s` cut to at most `w` columns. */
function fitTo(s: string, w: number): string {
  let cols = 0;
  let out = '';
  for (const ch of s) {
    const cw = cpWidth(ch.codePointAt(0)!);
    if (cols + cw > w) break;
    out += ch;
    cols += cw;
  }
  return out;
}

function visibleWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += cpWidth(ch.codePointAt(0)!);
  return n;
}

/** A cell: its text, how to paint each of its lines, the most lines it may take. */
type Cell = string | { text: string; paint?: Paint | undefined; maxLines?: number };

/**
 * Column widths for a table `width` columns wide: `│ a │ b │` takes 3 per column + 1 of borders. Each column gets
 * its minimum first (scaled down when even those do not fit), then the rest is shared by weight.
 */
export function columnWidths(width: number, cols: ReadonlyArray<{ min: number; weight: number }>): number[] {
  const n = cols.length;
  const content = Math.max(n, Math.max(width, minTableWidth) - (3 * n + 1));
  const mins = cols.reduce((a, c) => a + c.min, 0);
  const scale = Math.min(1, content / mins);
  const widths = cols.map((c) => Math.max(1, Math.floor(c.min * scale)));
  const spare = content - widths.reduce((a, b) => a + b, 0);
  const total = cols.reduce((a, c) => a + c.weight, 0);
  if (spare > 0 && total > 0) cols.forEach((c, i) => (widths[i]! += Math.floor((spare * c.weight) / total)));
  let rest = content - widths.reduce((a, b) => a + b, 0);
  for (let i = n - 1; rest > 0; i = (i + n - 1) % n, rest--) widths[i]!++;
  return widths;
}

/** A table drawn row by row (never held whole): `head()` once, then `row()` per row, then `foot()`. */
class StreamTable {
  readonly widths: number[];
  readonly #border: Paint;
  readonly #head: Paint;

  constructor(width: number, cols: ReadonlyArray<{ min: number; weight: number }>, color: boolean) {
    this.widths = columnWidths(width, cols);
    const c = pc.createColors(color);
    this.#border = color ? c.gray : (s) => s;
    this.#head = color ? c.bold : (s) => s;
  }

  #rule(l: string, m: string, r: string): string {
    return this.#border(`${l}${this.widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`);
  }

  head(titles: readonly string[]): string {
    return `${this.#rule('┌', '┬', '┐')}\n${this.#lines(titles.map((t) => ({ text: t, paint: this.#head })))}${this.#rule('├', '┼', '┤')}\n`;
  }

  row(cells: readonly Cell[]): string {
    return this.#lines(cells);
  }

  foot(): string {
    return `${this.#rule('└', '┴', '┘')}\n`;
  }

  #lines(cells: readonly Cell[]): string {
    const wrapped = cells.map((cell, i) => {
      const c = typeof cell === 'string' ? { text: cell } : cell;
      return { lines: wrapCell(c.text, this.widths[i]!, c.maxLines ?? MAX_CELL_LINES), paint: c.paint };
    });
    const height = Math.max(1, ...wrapped.map((w) => w.lines.length));
    const bar = this.#border('│');
    let out = '';
    for (let y = 0; y < height; y++) {
      let line = bar;
      for (let i = 0; i < wrapped.length; i++) {
        const text = wrapped[i]!.lines[y] ?? '';
        const pad = ' '.repeat(Math.max(0, this.widths[i]! - visibleWidth(text)));
        const paint = wrapped[i]!.paint;
        line += ` ${text && paint ? paint(text) : text}${pad} ${bar}`;
      }
      out += `${line}\n`;
    }
    return out;
  }
}

/**
 * The terminal report, piece by piece: findings, what changed, the endpoints that answered (or failed), one row per
 * host for the endpoints that were tested and found no service (closed/filtered: listed one by one only with
 * `allEndpoints`), then the counts. Every line fits `width` columns; each row is drawn as it is read (from memory or
 * the spool), in time linear in the report's size.
 */
export function* renderTableChunks(report: Report, opts: TableOptions): Generator<string> {
  const { sev, st, c } = palette(opts.color);
  const width = Math.max(minTableWidth, Math.floor(opts.width ?? defaultTableWidth));
  if (report.findings.length) {
    const t = new StreamTable(
      width,
      [
        { min: 10, weight: 0 },
        { min: 15, weight: 1 },
        { min: 8, weight: 1 },
        { min: 12, weight: 3 },
        { min: 16, weight: 6 },
      ],
      opts.color,
    );
    yield t.head(['severity', 'endpoint', 'service', 'finding', 'why']);
    for (const f of report.findings) {
      const v = changeOf(f); // NEW / was medium / SUPPRESSED; open since …
      const why = [f.reason, ...whyExtras(f)].join('\n');
      const badges = v.badges.length ? `\n${v.badges.join('\n')}` : '';
      yield t.row([
        { text: `${f.severity}${badges}`, paint: (s) => (s === f.severity ? sev[f.severity](s) : c.bold(s)) },
        `${f.asset === f.host ? '' : `${f.asset}\n`}${f.host}:${f.port}`,
        f.service,
        f.title,
        why,
      ]);
    }
    yield t.foot();
  } else {
    yield `${c.green('No findings.')}\n`;
  }
  // What leaked and what to do now (issue 13), then resolved, not retested, stale suppressions.
  const lines = [...aftermathLines(report, opts), ...continuousLines(report, opts.color)];
  if (lines.length) yield `${lines.map((l) => fitLine(l, width)).join('\n')}\n`;

  const tally = new NoServiceTally();
  const e = new StreamTable(
    width,
    [
      { min: 15, weight: 1 },
      { min: 8, weight: 1 },
      { min: 8, weight: 1 },
      { min: 13, weight: 0 },
      { min: 12, weight: 5 },
    ],
    opts.color,
  );
  let listed = 0;
  let rows = '';
  for (const r of endpointSource(report, opts.endpoints)()) {
    if (tally.add(r) && !opts.allEndpoints) continue;
    if (!listed++) rows += e.head(['endpoint', 'service', 'probe', 'status', 'evidence']);
    const bits = [r.evidence.product, r.evidence.version, r.evidence.reply ?? r.error?.message].filter(Boolean).join(' · ');
    rows += e.row([
      `${r.host}:${r.port}`,
      r.service,
      r.probe,
      { text: r.status, paint: st(r.status) },
      // An error is the whole story of its row: it gets the lines to be read whole (a DNS error is not cut to "did…").
      { text: bits.slice(0, 300), maxLines: r.evidence.product || r.evidence.reply ? MAX_EVIDENCE_LINES : MAX_ERROR_LINES },
    ]);
    // Written in pieces of about 64 KiB: one string per row would be 100,000 writes.
    if (rows.length >= 65536) {
      yield rows;
      rows = '';
    }
  }
  if (listed) rows += e.foot();
  if (rows) yield rows;
  if (tally.endpoints && !opts.allEndpoints) {
    const h = new StreamTable(
      width,
      [
        { min: 15, weight: 2 },
        { min: 12, weight: 1 },
        { min: 10, weight: 2 },
      ],
      opts.color,
    );
    let out = `${fitLine(c.dim(`${plural(tally.endpoints, 'endpoint')} on ${plural(tally.hostCount, 'host')} tested and ${noServiceWords} (no service): one row per host, consecutive addresses with the same row as one range; --all-endpoints lists them`), width)}\n`;
    out += h.head(['host', noServiceWords, 'ports']);
    // Consecutive addresses with the same row are one range row (a /22 of "3 closed" is one line, not 1,024).
    for (const r of hostRuns(tally.hosts())) {
      const host = r.hosts === 1 ? r.first : `${r.first} – ${r.last} (${r.hosts.toLocaleString('en-US')} hosts)`;
      out += h.row([host, r.hosts === 1 ? r.counts : `${r.counts} each`, r.ports]);
      if (out.length >= 65536) {
        yield out;
        out = '';
      }
    }
    yield `${out}${h.foot()}`;
  }
  const sevCounts = Object.entries(report.summary.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => sev[s as Severity](`${n} ${s}`));
  const counts = `${plural(report.summary.findings, 'finding')}${sevCounts.length ? `: ${sevCounts.join(', ')}` : ''}${continuousSummary(report)}`;
  yield `${fitLine(summaryLine(report, opts.color), width)}\n${fitLine(counts, width)}\n`;
  const classes = dataClassSummary(report);
  if (classes) yield `${fitLine(`data classes readable: ${terminalText(classes)}`, width)}\n`;
}

/** What leaked, since when, who else read it, what to do: per finding that has any of it (issue 13). */
function aftermathLines(report: Report, opts: TableOptions): string[] {
  const { sev, c } = palette(opts.color);
  const out: string[] = [];
  for (const f of report.findings) {
    const a = aftermathOf(f);
    if (!a) continue;
    out.push(`${sev[f.severity](f.severity)} ${terminalText(`${f.host}:${f.port} ${f.title}`)}`);
    if (a.classes) out.push(`  what it is: ${terminalText(a.classes)}`);
    const age = opts.explain ? a.age : a.age.slice(0, 3);
    for (const x of age) out.push(`  how old:    ${terminalText(x)}`);
    if (a.age.length > age.length) out.push(`  how old:    (+${a.age.length - age.length} more)`);
    if (a.access) out.push(`  others:     ${terminalText(a.access)}`);
    if (opts.explain) {
      out.push('  what to do now:');
      a.steps.forEach((x, i) => out.push(`   ${i + 1}. ${terminalText(x)}`));
    } else {
      const rotate = f.response?.rotate.find((r) => r.fingerprints?.length);
      if (rotate)
        out.push(`  rotate:     ${terminalText(`${rotate.count ?? ''} ${rotate.what}: ${rotate.fingerprints!.join(', ')}`.trim())}`);
      out.push(c.dim(`  ${a.steps.length} response steps: run with --explain, or see the JSON / Markdown / HTML report`));
    }
  }
  return out.length ? ['', c.bold('What leaked and what to do now'), ...out, ''] : [];
}

/** A free-standing line (resolved, stale suppressions) cut to the width, colour kept whole (cut only when plain). */
function fitLine(line: string, width: number): string {
  // eslint-disable-next-line no-control-regex -- colour codes are measured apart from the text
  const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
  if (visibleWidth(plain) <= width) return line;
  return wrapCell(plain, width, MAX_CELL_LINES).join('\n');
}

export function renderTable(report: Report, opts: TableOptions): string {
  let out = '';
  for (const part of renderTableChunks(report, opts)) out += part;
  return out;
}
