import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { closest } from '../text.js';

/**
 * `scan` is the default command, so `exposure-audit valdiate x.yaml` reads "valdiate" as an inventory file. When
 * that file does not exist, has no extension or folder, and is close to a command name, say so instead of
 * "no such file". Returns the message, or undefined when the argument is plausibly a file.
 */
export function unknownCommandHint(arg: string, program: Command, cwd = process.cwd()): string | undefined {
  if (arg.includes('/') || arg.includes(path.sep) || path.extname(arg) || existsSync(path.resolve(cwd, arg))) return undefined;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(arg) || arg === 'help') return undefined;
  const c = closest(arg, names);
  return c ? `unknown command "${arg}" (did you mean ${c}?); to scan an inventory, name its file (targets.yaml)` : undefined;
}
