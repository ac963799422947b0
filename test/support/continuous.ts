import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report/schema.js';
import { parseReport as parseReportJson } from '../../src/report/compact.js';

export { cli, type CliResult } from './cli.js';

export const clock = (iso: string) => () => new Date(iso);

export function parseReport(json: string): Report {
  return parseReportJson(JSON.parse(json));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `eacont-${prefix}-`));
}

/** `host:port` → status, the comparison the shard/merge test makes. */
export function statusMap(r: Report): Record<string, string> {
  return Object.fromEntries(r.endpoints.map((e) => [`${e.host}:${e.port}/${e.service}`, e.status]));
}

export const fingerprints = (r: Report): string[] => r.findings.map((f) => f.fingerprint).sort();
