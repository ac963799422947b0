import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileKind } from '../read-bounded.js';

/**
 * Can `file` be written (a report with --out, the state file)? Checked before a single probe, so a bad path costs
 * nothing: undefined when it can, else why not, in a few words. `createDirs`: a missing folder will be created
 * (the default state folder), so its nearest existing parent must be writable instead.
 */
export async function outputProblem(file: string, opts: { createDirs?: boolean } = {}): Promise<string | undefined> {
  const st = await stat(file).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : err));
  if (st instanceof Error) return `cannot use it (${(st as NodeJS.ErrnoException).code ?? st.message})`;
  if (st && !st.isFile()) return `is a ${fileKind(st)}, not a file`;
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const d = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
    if (!(d instanceof Error)) {
      if (!d.isDirectory()) return `${dir} is not a folder`;
      break;
    }
    if ((d as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot use ${dir} (${(d as NodeJS.ErrnoException).code ?? d.message})`;
    if (!opts.createDirs) return `the folder ${dir} does not exist`;
    const parent = path.dirname(dir);
    if (parent === dir) return `the folder ${dir} does not exist`;
    dir = parent;
  }
  try {
    await access(dir, constants.W_OK);
    if (st) await access(file, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EROFS'
      ? `${dir} is on a read-only file system`
      : `${st ? file : `the folder ${dir}`} is read-only (${code ?? String(err)})`;
  }
  return undefined;
}
