import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../../src/cli/main.js';
import type { Report } from '../../src/report/schema.js';
import { parseReport as parseReportJson } from '../../src/report/compact.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as test/cli/scan.test.ts does. */
export async function cli(args: string[], opts: Partial<CliIo> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  // A wide terminal: these tests read phrases from the table, which wraps cells to the width (default 100).
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, columns: 200, ...opts });
  return { code, stdout, stderr };
}

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
