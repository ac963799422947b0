import ipaddr from 'ipaddr.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressValue } from '../../../src/net/address-value.js';

/** What ipaddr.js alone gives: the reference for the dotted-quad fast path. */
function reference(host: string) {
  if (!ipaddr.isValid(host)) return undefined;
  const a = ipaddr.parse(host);
  let n = 0n;
  for (const b of a.toByteArray()) n = (n << 8n) | BigInt(b);
  return { v6: a.kind() === 'ipv6', n };
}

describe('addressValue', () => {
  it('reads every dotted quad as ipaddr.js does', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(addressValue(ip)).toEqual(reference(ip));
      }),
    );
    expect(addressValue('127.9.255.255')).toEqual({ v6: false, n: 0x7f09ffffn });
    expect(addressValue('0.0.0.0')).toEqual({ v6: false, n: 0n });
  });

  it('leaves other spellings, IPv6 and names to ipaddr.js', () => {
    for (const host of [
      '127.1',
      '0x7f.0.0.1',
      '010.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      'fe80::1',
      'redis.example',
      '256.0.0.1',
      '1.2.3',
      '',
    ])
      expect(addressValue(host), host).toEqual(reference(host));
  });
});
