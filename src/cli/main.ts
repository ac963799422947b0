#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
// The thin entry: it builds the program from one file per command (commands/*.ts). Defining a command loads none of
// what it runs, so `--help` and `--version` load no probe, renderer or inventory parser.
import { EaError, isEaError } from '../errors.js';
import { version } from '../version.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerImportCommand } from './commands/import.js';
import { registerInitCommand } from './commands/init.js';
import { registerMergeCommand } from './commands/merge.js';
import { registerProbesCommand } from './commands/probes.js';
import { bareFailOnUntested, registerScanCommand } from './commands/scan.js';
import { registerValidateCommand } from './commands/validate.js';
import { exitCodes, type CliIo } from './io.js';
import { boundHeapGrowth } from './heap.js';
import { installSignalHandlers, signalHandlersInstalled } from './signals.js';
import { unknownCommandHint } from './suggest.js';

export { exitCodes, type CliIo } from './io.js';

export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const setExit = (code: number) => (exitCode = code);
  const program = new Command('exposure-audit')
    .description('Proves which of your hosts serve data stores and admin endpoints without authentication.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) })
    .showSuggestionAfterError();

  registerScanCommand(program, io, setExit);
  registerValidateCommand(program, io);
  registerProbesCommand(program, io);
  registerDiffCommand(program, io, setExit);
  registerMergeCommand(program, io, setExit);
  registerInitCommand(program, io);
  registerImportCommand(program, io);

  // Bare `exposure-audit`: the usage (commands and how to start), not only "missing required argument" — on stderr,
  // exit 2, as git and kubectl do when a command is missing.
  if (argv.length === 0) {
    io.stderr(
      `${program.helpInformation()}\nStart with:  exposure-audit init  (writes a starter targets.yaml), then  exposure-audit targets.yaml\n`,
    );
    return exitCodes.usage;
  }
  try {
    // `scan` is the default command: a mistyped command name would be read as an inventory file.
    const hint = argv[0] && !argv[0].startsWith('-') ? unknownCommandHint(argv[0], program, io.cwd) : undefined;
    if (hint) throw new EaError('EA_USAGE', hint);
    await program.parseAsync(bareFailOnUntested(argv), { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (isEaError(err)) {
      // One line per problem, no stack trace: `file:line:column: message` for inventories.
      const { redactText } = await import('../risk/redact.js');
      io.stderr(redactText(`${err.code === 'EA_INVENTORY' ? '' : `exposure-audit: ${err.code}: `}${err.message}\n`));
      return exitCodes.usage;
    }
    // One line, no stack trace (EXPOSURE_AUDIT_DEBUG=1 prints it).
    const { redactText } = await import('../risk/redact.js');
    const detail = io.env.EXPOSURE_AUDIT_DEBUG ? ((err as Error)?.stack ?? String(err)) : oneLine(err);
    io.stderr(redactText(`exposure-audit: internal error: ${detail}\n`));
    return exitCodes.usage;
  }
}

/** An unexpected error as one line: its message, never a stack. */
function oneLine(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const text = e instanceof Error ? `${e.code ? `${e.code}: ` : ''}${e.message}` : String(err);
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}

/**
 * The process's CLI: stdout that survives a closed pipe (`| head`: EPIPE ends stdout quietly; the run goes on, the
 * state is written, the exit code is the run's), and the interrupt `controller` whose signal handlers the entry
 * (bin.ts) installed before any heavy import.
 */
export async function runCli(controller: AbortController): Promise<number> {
  let stdoutClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') stdoutClosed = true;
    else process.stderr.write(`exposure-audit: EA_OUTPUT: stdout: ${err.code ?? err.message}\n`);
  });
  return main(process.argv.slice(2), {
    stdout: (s) => {
      if (!stdoutClosed) process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
    isTty: Boolean(process.stdout.isTTY),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    progressStream: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
}

/**
 * Ends the process with the run's exit code. An interrupted run (130) exits as soon as stdout and stderr are flushed:
 * its report and state are written, and the user asked to stop — Node's teardown of the scan's heap and its
 * thousands of just-closed sockets took 0.2–0.4 s more on a loaded machine. Every other run ends when the event
 * loop is empty, as before.
 */
export function finishProcess(code: number): void {
  process.exitCode = code;
  if (code !== exitCodes.interrupted) return;
  let pending = 2;
  const done = () => --pending || process.exit(code);
  // A write's callback runs once everything written before it is out (a pipe is asynchronous on some systems).
  process.stdout.write('', done);
  process.stderr.write('', done);
}

function isEntryPoint(): boolean {
  // bin.ts ran first (it installed the handlers): it is the entry, whatever file argv[1] names (its CommonJS build
  // carries this module inside it).
  if (signalHandlersInstalled()) return false;
  try {
    // Through npm's bin link argv[1] is the link; compare real paths.
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]!) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// Run directly (node dist/src/cli/main.js): the same as bin.ts, its handlers installed after this module's imports.
if (isEntryPoint()) {
  const controller = installSignalHandlers();
  boundHeapGrowth();
  void runCli(controller).then(finishProcess);
}
