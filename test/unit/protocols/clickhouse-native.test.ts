import { describe, expect, it } from 'vitest';
import { encodeClientHello, frameServerHello, parseServerHello } from '../../../src/protocols/clickhouse-native.js';

describe('ClickHouse native Hello', () => {
  it('encodes a ClientHello as user default with an empty password', () => {
    const hello = encodeClientHello();
    expect(hello[0]).toBe(0);
    expect(hello.toString('latin1')).toContain('exposure-audit');
    expect(hello.subarray(-9).toString('latin1')).toBe('\x07default\x00');
  });

  it('parses the observed Europe/Berlin ServerHello of 18.16 (no "UTC" anywhere)', () => {
    // Observed reply to a client of revision 54213 (protocols.md §1): name, 18, 16, 54412, time zone.
    const buf = Buffer.from('000a436c69636b486f75736512108ca9030d4575726f70652f4265726c696e', 'hex');
    // Our client announces 54449, so 18.16 also sends display name and patch; this reply lacks them.
    expect(frameServerHello(buf)).toBeUndefined();
    const full = Buffer.concat([buf, Buffer.from([10]), Buffer.from('audit-test'), Buffer.from([1])]);
    expect(parseServerHello(full)).toEqual({
      type: 'hello',
      name: 'ClickHouse',
      major: 18,
      minor: 16,
      revision: 54412,
      timezone: 'Europe/Berlin',
      displayName: 'audit-test',
      patch: 1,
    });
  });

  it('parses an Exception and drops the stack trace', () => {
    const str = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);
    const code = Buffer.alloc(4);
    code.writeInt32LE(194);
    const buf = Buffer.concat([
      Buffer.from([2]),
      code,
      str('DB::Exception'),
      str('Password required for user default'),
      str('0. /usr/lib/libc.so'),
      Buffer.from([0]),
    ]);
    expect(parseServerHello(buf)).toEqual({
      type: 'exception',
      code: 194,
      name: 'DB::Exception',
      message: 'Password required for user default',
      nested: false,
    });
  });

  it.each([
    ['an HTTP reply', 'HTTP/1.0 400 Bad Request\r\n'],
    ['an unknown packet type', '\x01\x00'],
  ])('refuses %s', (_n, input) => {
    expect(() => frameServerHello(Buffer.from(input, 'latin1'))).toThrow();
  });
});
