import { StringDecoder } from 'node:string_decoder';

/** One dispatched server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation). */
export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  /** The `data:` lines joined with LF. */
  data: string;
  id?: string;
}

/**
 * Incremental text/event-stream parser: feed body chunks as they arrive, get the events each one completed. Lines
 * end in CRLF, LF or CR; `field: value` (one leading space dropped); `data` lines accumulate; a blank line dispatches;
 * lines starting with `:` are comments. A line longer than `maxLine` characters is dropped (a hostile stream must
 * not grow the buffer without end; the caller's byte cap bounds the rest).
 */
export class SseParser {
  readonly #decoder = new StringDecoder('utf8');
  readonly #maxLine: number;
  #pending = '';
  #started = false;
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  #sawCr = false;

  constructor(maxLine = 256 * 1024) {
    this.#maxLine = maxLine;
  }

  push(chunk: Buffer | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR ending the previous chunk already ended its line: a LF opening this one is its pair, not a blank line.
    if (this.#sawCr && text.startsWith('\n')) text = text.slice(1);
    this.#sawCr = text.endsWith('\r');
    const out: SseEvent[] = [];
    const lines = (this.#pending + text).split(/\r\n|\n|\r/);
    this.#pending = lines.pop() ?? '';
    if (this.#pending.length > this.#maxLine) this.#pending = '';
    for (const line of lines) this.#line(line, out);
    return out;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0)
        out.push({ event: this.#event || 'message', data: this.#data.join('\n'), ...(this.#id !== undefined ? { id: this.#id } : {}) });
      this.#event = '';
      this.#data = [];
      return;
    }
    if (line.startsWith(':') || line.length > this.#maxLine) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
  }
}

/** Every complete event in a whole body (a POST reply that was read to its end). */
export function parseSse(body: Buffer | string): SseEvent[] {
  const p = new SseParser();
  const events = p.push(body);
  // A stream that ended without the final blank line still dispatches nothing, per the spec; a body that was cut
  // by our own cap is the caller's concern (it sees `truncated`).
  return events;
}
