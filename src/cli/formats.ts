import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EaError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { lastSuccessIn, renderMetrics } from '../report/metrics.js';
import { renderSarif } from '../report/sarif.js';
import type { Report } from '../report/schema.js';
import { renderTable } from '../report/table.js';
import { probeMetas } from './registry.js';

export const formats = ['table', 'json', 'sarif', 'markdown', 'html', 'junit', 'metrics'] as const;
export type Format = (typeof formats)[number];

const byExtension: Record<string, Format> = {
  '.json': 'json',
  '.sarif': 'sarif',
  '.md': 'markdown',
  '.html': 'html',
  '.xml': 'junit',
  '.txt': 'table',
  '.prom': 'metrics',
};

export function formatForFile(file: string): Format {
  const f = byExtension[path.extname(file).toLowerCase()];
  if (!f) throw new EaError('EA_USAGE', `--out ${file}: cannot tell the format from the extension (use ${Object.keys(byExtension).join(', ')})`);
  return f;
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
