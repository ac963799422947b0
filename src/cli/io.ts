import type { Resolver } from '../inventory/expand.js';
import type { ProgressStream } from './progress.js';

/** Exit codes: documented in README; CI scripts switch on them. */
export const exitCodes = { ok: 0, findings: 1, usage: 2, untested: 3, unrechecked: 4, interrupted: 130 } as const;

/** What every command gets from the process (tests pass their own: captured output, a resolver, a clock…). */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  /** Where the progress bar goes (stderr); drawn only when it is a TTY. */
  progressStream?: ProgressStream;
  env: NodeJS.ProcessEnv;
  resolver?: Resolver;
  signal?: AbortSignal;
  /** The clock for finding ages, state dates and suppression expiry (tests inject one). Default: new Date(). */
  now?: () => Date;
  /** The folder `init` and `import --out` write in (default: process.cwd()). */
  cwd?: string;
  /** Terminal columns for the table (stdout's when it is a terminal; default 100). */
  columns?: number;
}

/** Sets the process's exit code from inside a command's action (commander's actions return nothing). */
export type SetExit = (code: number) => void;
