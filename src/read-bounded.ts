import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The file was larger than the cap: a mistake (a log, a device), not a state, report or suppressions file. */
export class TooLargeError extends Error {
  constructor(readonly max: number) {
    super(`larger than ${Math.round(max / 1024 / 1024)} MiB`);
  }
}

/** The path is not a regular file (a FIFO, device, socket or directory): refused before a byte is read. */
export class NotRegularFileError extends Error {
  readonly code = 'EA_NOT_REGULAR';
  constructor(readonly kind: string) {
    super(kind === 'directory' ? 'is a directory' : `is a ${kind}, not a regular file`);
  }
}

/** What an fstat says a path is, in words ('regular file' for a plain file). */
export function fileKind(st: {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO (named pipe)';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}

/**
 * Reads at most `max` bytes of a regular file. The file is opened non-blocking (opening a FIFO for reading would
 * otherwise wait for a writer, beyond SIGINT and SIGTERM) and fstat-ed before a byte is read: a FIFO, device,
 * socket or directory is refused (NotRegularFileError). An oversized file costs `max` bytes and no more.
 */
export async function readBounded(file: string, max: number): Promise<Buffer> {
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotRegularFileError(fileKind(st));
    if (st.size > max) throw new TooLargeError(max);
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= max) {
      const buf = Buffer.alloc(Math.min(1024 * 1024, max + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > max) throw new TooLargeError(max);
    return Buffer.concat(chunks);
  } finally {
    await fh.close();
  }
}

/** `no such file`, `is a directory`, `is a FIFO (named pipe), not a regular file`, `larger than 4 MiB`, or the errno code. */
export function readProblem(err: unknown): string {
  if (err instanceof TooLargeError || err instanceof NotRegularFileError || err instanceof TooDeepError) return err.message;
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EISDIR'
      ? 'is a directory'
      : code === 'EACCES'
        ? 'permission denied'
        : `cannot read (${code ?? String(err)})`;
}

/** JSON nested deeper than the cap: no report, state or merge input of ours is; recursion over it would overflow. */
export class TooDeepError extends Error {
  constructor(readonly max: number) {
    super(`nested deeper than ${max} levels: not an exposure-audit file`);
  }
}

/** Deepest nesting of arrays and objects in JSON text, scanning outside strings; stops early past `max`. */
export function jsonDepthOver(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** JSON.parse after the depth check (TooDeepError); a syntax error stays a SyntaxError. */
export function parseJsonBounded(text: string, maxDepth = maxJsonDepth): unknown {
  if (jsonDepthOver(text, maxDepth)) throw new TooDeepError(maxDepth);
  return JSON.parse(text);
}

export const maxJsonDepth = 64;
export const maxSuppressionsBytes = 4 * 1024 * 1024;
export const maxStateBytes = 64 * 1024 * 1024;
export const maxReportBytes = 512 * 1024 * 1024;
