import path from 'node:path';
import { EaError } from '../errors.js';

/** The output formats and how a file's extension names one: light, so `--help` loads no renderer. */
export const formats = ['table', 'json', 'sarif', 'markdown', 'html', 'junit', 'metrics'] as const;
export type Format = (typeof formats)[number];

export const byExtension: Record<string, Format> = {
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
  if (!f)
    throw new EaError('EA_USAGE', `--out ${file}: cannot tell the format from the extension (use ${Object.keys(byExtension).join(', ')})`);
  return f;
}
