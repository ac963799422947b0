import { checklistLines } from '../classify/aftermath.js';
import { dataClassOf } from '../risk/data-classes.js';
import type { Report, ReportFinding } from './schema.js';

/**
 * What leaked, since when, who else read it, and what to do now (issue 13), as plain text for every renderer (each
 * escapes it for its syntax). Empty parts are left out; a finding with none of them returns undefined.
 */
export interface AftermathView {
  /** "chat and prompt histories, credentials and API keys". */
  classes?: string;
  age: string[];
  access?: string;
  steps: string[];
}

export function aftermathOf(f: ReportFinding): AftermathView | undefined {
  const classes = f.dataClasses?.map((id) => dataClassOf(id)?.label ?? id).join(', ');
  const steps = f.response ? checklistLines(f.response) : [];
  const age = f.dataAge ?? [];
  if (!classes && !age.length && !f.accessTrace && !f.response?.rotate.length && !f.response?.readable.length) return undefined;
  return { ...(classes ? { classes } : {}), age, ...(f.accessTrace ? { access: f.accessTrace } : {}), steps };
}

/** "chat: 1 endpoint, credentials: 2 endpoints" for the summary, or undefined. */
export function dataClassSummary(report: Report): string | undefined {
  const c = report.summary.dataClasses;
  if (!c || !Object.keys(c).length) return undefined;
  return Object.entries(c)
    .map(([id, k]) => `${dataClassOf(id)?.label ?? id}: ${k} endpoint${k === 1 ? '' : 's'}`)
    .join('; ');
}
