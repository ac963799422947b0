import { describe, expect, it } from 'vitest';
import { frameResp, parseInfo, parseKeyspaceLine, parseResp } from '../../../src/protocols/resp.js';

describe('RESP framing', () => {
  it.each([
    ['+PONG\r\n', 7],
    ['-NOAUTH Authentication required.\r\n', 34],
    [':42\r\n', 5],
    ['$5\r\nhello\r\n', 11],
    ['$-1\r\n', 5],
    ['*2\r\n$1\r\n0\r\n*1\r\n$3\r\nabc\r\n', 24],
    ['+PONG\r\n+OK\r\n', 7],
  ])('%j frames %i bytes', (input, len) => {
    expect(frameResp(Buffer.from(input))).toBe(len);
  });

  it.each(['', '+PON', '$5\r\nhel', '*2\r\n$1\r\n0\r\n'])('%j needs more bytes', (input) => {
    expect(frameResp(Buffer.from(input))).toBeUndefined();
  });

  it.each(['HTTP/1.1 200 OK\r\n', 'ERROR\r\n', '\x00\xff', ':12x\r\n', '$5\r\nhelloXX', '*999999999\r\n'])('%j is not RESP', (input) => {
    expect(() => frameResp(Buffer.from(input, 'latin1'))).toThrow();
  });

  it('parses values and INFO', () => {
    expect(parseResp(Buffer.from('-DENIED x\r\n'))).toEqual({ type: 'error', value: 'DENIED x' });
    const info = parseInfo(
      '# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n',
    );
    expect(info.server?.redis_version).toBe('7.0.15');
    expect(parseKeyspaceLine(info.keyspace!.db0!)).toEqual({ keys: 2, expires: 0, avg_ttl: 0 });
  });
});
