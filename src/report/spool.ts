import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EaError } from '../errors.js';
import { removeOnExit } from './write.js';

/** Pending records are written once they reach this many bytes. */
const FLUSH_BYTES = 256 * 1024;
/** Bytes read at a time when reading back; results arrive nearly in order, so most reads serve many of them. */
const WINDOW_BYTES = 64 * 1024;
/** A window starts this far before the result asked for: results that finished a little early are in it too. */
const WINDOW_BACK = 16 * 1024;

/**
 * The redacted results of a streaming run, on disk: one record per endpoint — its JSON exactly as the report will
 * carry it (renderJsonEndpoint), so writing the report is a copy, with no parsing and no re-serialising — appended
 * in completion order, each ended by a NUL byte (JSON text never holds one: JSON.stringify writes U+0000 as \u0000,
 * and no UTF-8 sequence contains a 0 byte), read back in inventory order. In memory: 4 bytes per endpoint (where
 * its record starts; its end is the next NUL) while the file is under 4 GiB, 8 beyond, and at most FLUSH_BYTES of
 * pending records: 1,048,576 endpoints hold 4 MiB (12 MiB with a start and a length each, 8 of them the peak RSS
 * of a /12 sweep had above a /19's). The file is private (0600), lives beside the report it feeds (or in the temp
 * directory when the report goes to stdout only), and is removed by remove() — also when the process exits first.
 */
export class ResultSpool {
  readonly path: string;
  #fd: number | undefined;
  readonly #release: () => void;
  /** Where each endpoint's record starts, plus one (0: no record yet); Float64 once the file reaches 4 GiB. */
  #starts: Uint32Array | Float64Array;
  #size = 0;
  #pending: string[] = [];
  #pendingBytes = 0;
  #gaps = false;

  private constructor(file: string, fd: number, release: () => void, total: number) {
    this.path = file;
    this.#fd = fd;
    this.#release = release;
    this.#starts = new Uint32Array(total);
  }

  /** A new spool for `total` results, beside `report` (a file the report will be written to) or in the temp directory. */
  static create(total: number, report?: string): ResultSpool {
    const dir = report ? path.dirname(report) : tmpdir();
    const file = path.join(dir, `${report ? `.${path.basename(report)}` : 'exposure-audit'}.${randomBytes(6).toString('hex')}.spool`);
    const release = removeOnExit(file);
    try {
      return new ResultSpool(file, openSync(file, 'wx+', 0o600), release, total);
    } catch (err) {
      release();
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new EaError(
        'EA_OUTPUT',
        report ? `cannot write ${report}: ${code}` : `cannot create a spool file in ${dir}: ${code}`,
        {},
        { cause: err },
      );
    }
  }

  /** Bytes of memory the spool's index holds: what grows with the endpoint count (4 per endpoint under 4 GiB). */
  get indexBytes(): number {
    return this.#starts.byteLength;
  }

  /** Appends the record of endpoint `index` (any order, each index once; a record is never empty). */
  append(index: number, record: string): void {
    if (this.#fd === undefined) throw new EaError('EA_OUTPUT', `spool ${this.path} is closed`);
    if (this.#starts[index] !== 0) throw new EaError('EA_OUTPUT', `spool: endpoint ${index} added twice`);
    const bytes = Buffer.byteLength(record);
    if (bytes === 0) throw new EaError('EA_OUTPUT', `spool: endpoint ${index}: empty record`);
    // Past what a Uint32 holds, the index widens once (a spool of 4 GiB is many large rows, not many endpoints).
    if (this.#size + 1 > 0xffff_ffff && this.#starts instanceof Uint32Array) this.#starts = Float64Array.from(this.#starts);
    this.#starts[index] = this.#size + 1;
    this.#pending.push(record, '\0');
    this.#size += bytes + 1;
    this.#pendingBytes += bytes + 1;
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
  }

  #flush(): void {
    if (!this.#pending.length || this.#fd === undefined) return;
    const buf = Buffer.from(this.#pending.join(''));
    this.#pending = [];
    this.#pendingBytes = 0;
    for (let done = 0; done < buf.length;) done += writeSync(this.#fd, buf, done, buf.length - done);
  }

  /**
   * An interrupted run: endpoints it never started have no record, and reading skips them (they are counted in the
   * report's `run.notStarted`, never listed one by one). Without this, a missing record is an error.
   */
  allowGaps(): void {
    this.#gaps = true;
  }

  /** Every record, in inventory order. Each index from 0 to total - 1 must have been appended (unless allowGaps). */
  async *read(): AsyncGenerator<string> {
    yield* this.records();
  }

  /** read(), synchronously (the reads are synchronous anyway): what the non-JSON renderers iterate, once per pass. */
  *records(): Generator<string> {
    this.#flush();
    let window = Buffer.allocUnsafe(WINDOW_BYTES);
    let start = 0;
    let end = 0;
    for (let i = 0; i < this.#starts.length; i++) {
      const fd = this.#fd;
      if (fd === undefined) throw new EaError('EA_OUTPUT', `spool ${this.path} is closed`);
      const stored = this.#starts[i]!;
      if (stored === 0) {
        if (this.#gaps) continue;
        throw new EaError('EA_OUTPUT', `spool: no result for endpoint ${i}`);
      }
      const offset = stored - 1;
      // The NUL that ends it, within the bytes read (the window's tail may hold an older read's bytes).
      const nulIn = () => {
        const at = window.indexOf(0, offset - start);
        return at >= 0 && at < end - start ? at : -1;
      };
      let nul = offset >= start && offset < end ? nulIn() : -1;
      if (nul < 0) {
        // Not (wholly) in the window: read from a little before it, twice as much each time its end is not in it.
        start = Math.max(0, offset - WINDOW_BACK);
        for (let size = window.length; ; size *= 2) {
          if (window.length < size) window = Buffer.allocUnsafe(size);
          end = start + readSync(fd, window, 0, window.length, start);
          nul = nulIn();
          if (nul >= 0) break;
          if (end < start + window.length) throw new EaError('EA_OUTPUT', `spool ${this.path}: short read`);
        }
      }
      yield window.toString('utf8', offset - start, nul);
    }
  }

  /** Closes and deletes the file. Safe to call more than once. */
  remove(): void {
    const fd = this.#fd;
    this.#fd = undefined;
    this.#pending = [];
    try {
      if (fd !== undefined) closeSync(fd);
    } finally {
      rmSync(this.path, { force: true });
      this.#release();
    }
  }
}
