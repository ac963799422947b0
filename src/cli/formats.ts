import path from 'node:path';
import { EaError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import type { Report } from '../report/schema.js';
import { renderTable } from '../report/table.js';
import { probeMetas } from './registry.js';

export const formats = ['table', 'json', 'sarif', 'markdown', 'html', 'junit'] as const;
export type Format = (typeof formats)[number];

const byExtension: Record<string, Format> = {
  '.json': 'json',
  '.sarif': 'sarif',
  '.md': 'markdown',
  '.html': 'html',
  '.xml': 'junit',
  '.txt': 'table',
};

export function formatForFile(file: string): Format {
  const f = byExtension[path.extname(file).toLowerCase()];
  if (!f) throw new EaError('EA_USAGE', `--out ${file}: cannot tell the format from the extension (use ${Object.keys(byExtension).join(', ')})`);
  return f;
}

export function render(report: Report, format: Format, color: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'table':
      return renderTable(report, { color });
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
