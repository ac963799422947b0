import { randomBytes } from 'node:crypto';
import { close, openSync, rmSync, write } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { EaError, isEaError } from '../errors.js';

const doomed = new Set<string>();
let onExit: (() => void) | undefined;

/**
 * Removes `file` when the process exits before `release()` is called: a second Ctrl-C ends the CLI with
 * process.exit, which runs no `finally`, and a temp or spool file must not outlive it.
 */
export function removeOnExit(file: string): () => void {
  doomed.add(file);
  if (!onExit) {
    onExit = () => {
      for (const f of doomed) {
        try {
          rmSync(f, { force: true });
        } catch {
          // Exiting anyway: nothing better to do.
        }
      }
    };
    process.on('exit', onExit);
  }
  return () => {
    doomed.delete(file);
    if (!doomed.size && onExit) {
      process.off('exit', onExit);
      onExit = undefined;
    }
  };
}

const writeFd = promisify(write);
const closeFd = promisify(close);

/**
 * Creates the temp file synchronously, after it is registered for removal: an asynchronous open runs on libuv's
 * thread pool and could create the file after a second Ctrl-C's exit hook had already removed it (seen: a `.tmp`
 * left behind). Writes to the descriptor may still be in flight at exit: they land in an unlinked file.
 */
function createTemp(tmp: string): number {
  return openSync(tmp, 'wx', 0o644);
}

/** Writes all of `text` to `fd` (a write may be short). */
async function writeAll(fd: number, text: string): Promise<void> {
  const buf = Buffer.from(text);
  for (let off = 0; off < buf.length;) off += (await writeFd(fd, buf, off, buf.length - off)).bytesWritten;
}

const tempBeside = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
const problem = (file: string, err: unknown) =>
  new EaError('EA_OUTPUT', `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {}, { cause: err });

/** Writes beside the target and renames over it: a reader never sees a half-written report. */
export async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = tempBeside(file);
  const release = removeOnExit(tmp);
  let fd: number | undefined;
  try {
    fd = createTemp(tmp);
    await writeAll(fd, content);
    await closeFd(fd);
    fd = undefined;
    await rename(tmp, file);
  } catch (err) {
    if (fd !== undefined) await closeFd(fd).catch(() => undefined);
    await rm(tmp, { force: true });
    throw problem(file, err);
  } finally {
    release();
  }
}

/** Joins small pieces into writes of about `bytes` characters (one write per endpoint would be 100,000 writes). */
export async function* batched(chunks: AsyncIterable<string>, bytes = 1024 * 1024): AsyncGenerator<string> {
  let parts: string[] = [];
  let size = 0;
  for await (const c of chunks) {
    parts.push(c);
    size += c.length;
    if (size >= bytes) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield parts.join('');
}

/** writeAtomic for a report produced piece by piece: same temp file, same rename, never held as one string. */
export async function writeAtomicStream(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const tmp = tempBeside(file);
  const release = removeOnExit(tmp);
  let fd: number | undefined;
  try {
    fd = createTemp(tmp);
    for await (const part of batched(chunks)) await writeAll(fd, part);
    await closeFd(fd);
    fd = undefined;
    await rename(tmp, file);
  } catch (err) {
    if (fd !== undefined) await closeFd(fd).catch(() => undefined);
    await rm(tmp, { force: true });
    // A problem of the source (the spool) says what it is; a problem of the target is EA_OUTPUT for this file.
    throw isEaError(err) ? err : problem(file, err);
  } finally {
    release();
  }
}
