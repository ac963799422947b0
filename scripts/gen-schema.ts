import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { reportFileSchema, schemaVersion } from '../src/report/schema.js';

/** The published JSON Schema of the report as written to a file (compact rows included), generated from the zod model the code uses. */
export function reportJsonSchema(): string {
  const schema = z.toJSONSchema(reportFileSchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return `${JSON.stringify({ $id: `https://exposure-audit.example/schema/report-${schemaVersion}.json`, title: 'exposure-audit report', ...schema }, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(new URL('../../schema/report.schema.json', import.meta.url), reportJsonSchema());
}
