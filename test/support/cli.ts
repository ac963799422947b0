// Runs the CLI in-process with captured output: the one helper every end-to-end test uses (pass a resolver, a clock,
// a signal or a cwd in `io`; stdout is not a terminal and the environment is empty unless given).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../../src/cli/main.js';

/**
 * The state directory every in-process run gets unless its `env` names another (XDG_STATE_HOME): a temp folder per
 * test process, so a run with the default state file never writes to the user's ~/.local/state.
 */
export const testStateHome = mkdtempSync(path.join(tmpdir(), 'ea-state-home-'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  // A wide terminal (200 columns): tests read whole lines and phrases from the table, which fits its width (default 100).
  const env = { XDG_STATE_HOME: testStateHome, ...io.env };
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, columns: 200, ...io, env });
  return { code, stdout, stderr };
}
