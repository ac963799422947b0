import { readFileSync } from 'node:fs';
import { renderHtml, renderHtmlChunks } from '../report/html.js';
import { renderJson, renderJsonChunks } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { lastSuccessIn, renderMetrics } from '../report/metrics.js';
import { renderSarif } from '../report/sarif.js';
import type { Report } from '../report/schema.js';
import { renderTable, renderTableChunks } from '../report/table.js';
import type { EndpointSource } from '../report/no-service.js';
import type { RunSummary } from '../report/trend.js';
import { probeMetas } from './registry.js';
import type { Format } from './format-names.js';

export { byExtension, formatForFile, formats, type Format } from './format-names.js';

/** What a rendering may take besides the report: see each renderer's options. */
export interface RenderOptions {
  color: boolean;
  /** The report file being replaced, when writing one (metrics carry the previous last-success time). */
  file?: string;
  /** Where the endpoints come from (the spool, parsed, read again per pass); default the report's array. */
  endpoints?: EndpointSource;
  /** The same endpoints as the JSON report's records, for the JSON renderer (copied, never parsed). */
  jsonRecords?: () => AsyncIterable<string>;
  allEndpoints?: boolean;
  /** `--explain`: the table shows every step of each finding's response checklist. */
  explain?: boolean;
  /** Terminal width for the table (default 100). */
  width?: number;
  markdownLimit?: number;
  /** Where the full report is (named in a truncated Markdown). */
  fullReport?: string;
  /** The state file's run summaries, this run last (HTML trend, metrics). */
  history?: readonly RunSummary[];
}

/**
 * A report in `format`, piece by piece: the table, HTML and JSON are written row by row from `endpoints` (the
 * spool), never held whole; the others are bounded (Markdown by its limit) or small and come as one piece.
 */
export async function* renderChunks(report: Report, format: Format, o: RenderOptions): AsyncGenerator<string> {
  const source = o.endpoints ? { endpoints: o.endpoints } : {};
  const all = o.allEndpoints ? { allEndpoints: true } : {};
  switch (format) {
    case 'json':
      if (o.jsonRecords) yield* renderJsonChunks(report, o.jsonRecords());
      else yield renderJson(report);
      return;
    case 'table':
      yield* renderTableChunks(report, {
        color: o.color,
        ...source,
        ...all,
        ...(o.width ? { width: o.width } : {}),
        ...(o.explain ? { explain: true } : {}),
      });
      return;
    case 'html':
      yield* renderHtmlChunks(report, { ...source, ...all, ...(o.history ? { history: o.history } : {}) });
      return;
    case 'markdown':
      yield renderMarkdown(report, {
        ...source,
        ...all,
        ...(o.markdownLimit ? { limit: o.markdownLimit } : {}),
        ...(o.fullReport ? { fullReport: o.fullReport } : {}),
      });
      return;
    case 'sarif':
      yield renderSarif(report, { probes: probeMetas, ...source, ...all });
      return;
    case 'junit':
      yield renderJunit(o.endpoints ? { ...report, endpoints: [...o.endpoints()] } : report);
      return;
    case 'metrics':
      yield renderMetrics(report, { ...(o.file ? previousMetrics(o.file) : {}), ...(o.history ? { history: o.history } : {}) });
      return;
  }
}

/** `file`: the report file being replaced, when writing one (metrics carry the previous last-success time). */
export function render(report: Report, format: Format, color: boolean, file?: string, opts: { explain?: boolean } = {}): string {
  switch (format) {
    case 'metrics':
      return renderMetrics(report, file ? previousMetrics(file) : {});
    case 'json':
      return renderJson(report);
    case 'table':
      return renderTable(report, { color, ...(opts.explain ? { explain: true } : {}) });
    case 'sarif':
      return renderSarif(report, { probes: probeMetas });
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'junit':
      return renderJunit(report);
  }
}

/** The last-success time in the metrics file about to be replaced (read at most 1 MiB; none when absent). */
function previousMetrics(file: string): { previousLastSuccess?: number } {
  try {
    const v = lastSuccessIn(readFileSync(file, 'utf8').slice(0, 1024 * 1024));
    return v === undefined ? {} : { previousLastSuccess: v };
  } catch {
    return {};
  }
}
