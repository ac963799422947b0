/**
 * memcached text protocol replies (https://github.com/memcached/memcached/blob/master/doc/protocol.txt).
 * A reply is one line (`VERSION 1.6.18`, `ERROR`, `CLIENT_ERROR …`, `SERVER_ERROR …`) or, for `stats`, `STAT k v`
 * lines closed by `END`. Bounded: a line is at most 4 KiB and a stats reply at most 5,000 lines.
 */
const maxLine = 4096;
const maxLines = 5000;

/** Framer for one reply; throws when the bytes cannot be a memcached text reply. */
export function frameMemcached(buf: Buffer): number | undefined {
  // Replies are printable ASCII that starts with a capital (VERSION, STAT, END, ERROR, CLIENT_ERROR…): anything
  // else is another protocol, decided from the first bytes instead of waiting for a CRLF that never comes.
  if (buf.length > 0 && !(buf[0]! >= 0x41 && buf[0]! <= 0x5a)) throw new Error('not a memcached text reply');
  const bad = buf.findIndex((b) => (b < 0x20 && b !== 0x0d && b !== 0x0a && b !== 0x09) || b > 0x7e);
  if (bad !== -1) throw new Error('binary bytes in a memcached text reply');
  let offset = 0;
  for (let n = 0; n < maxLines; n++) {
    const end = buf.indexOf('\r\n', offset, 'latin1');
    if (end === -1) {
      if (buf.length - offset > maxLine) throw new Error('memcached line too long');
      return undefined;
    }
    if (end - offset > maxLine) throw new Error('memcached line too long');
    const line = buf.toString('latin1', offset, end);
    offset = end + 2;
    if (n === 0 && !line.startsWith('STAT ')) return offset;
    if (line === 'END') return offset;
    if (!line.startsWith('STAT ')) throw new Error('stats reply line is not STAT … or END');
  }
  throw new Error(`stats reply longer than ${maxLines} lines`);
}

/** `STAT name value` lines → name → value (no prototype: `__proto__` is just a name). */
export function parseStats(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const line of text.split('\r\n')) {
    const m = /^STAT (\S+) ?(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.slice(0, 200);
  }
  return out;
}
