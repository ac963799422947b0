import ipaddr from 'ipaddr.js';

/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface AddressValue {
  v6: boolean;
  n: bigint;
}

/** A dotted quad as the inventory's expansion writes it: four decimal octets, no leading zero. */
const QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * The address `host` names as a number, or undefined when it is not an IP literal (a host name): the JSON report's
 * range records and the table's and HTML's host runs count addresses with it. A report pass meets one per endpoint
 * (196,608 for a /16 × 3 ports), so the usual dotted quad is read here directly; every other form (IPv6, and the
 * IPv4 spellings ipaddr.js also accepts) by ipaddr.js.
 */
export function addressValue(host: string): AddressValue | undefined {
  if (QUAD.test(host)) {
    let x = 0;
    for (const part of host.split('.')) x = x * 256 + Number(part);
    return { v6: false, n: BigInt(x) };
  }
  if (!ipaddr.isValid(host)) return undefined;
  const a = ipaddr.parse(host);
  let n = 0n;
  for (const b of a.toByteArray()) n = (n << 8n) | BigInt(b);
  return { v6: a.kind() === 'ipv6', n };
}
