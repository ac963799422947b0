// Runs the CLI in-process with captured output: the one helper every end-to-end test uses (pass a resolver, a clock,
// a signal or a cwd in `io`; stdout is not a terminal and the environment is empty unless given).
import { main, type CliIo } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  // A wide terminal (200 columns): tests read whole lines and phrases from the table, which fits its width (default 100).
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, columns: 200, ...io });
  return { code, stdout, stderr };
}
