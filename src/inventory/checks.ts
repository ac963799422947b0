import ipaddr from 'ipaddr.js';
import { defaultPortsOf, servicesOf, type ProbeMeta } from '../probe.js';
import type { Inventory } from './schema.js';
import { hostKind } from './schema.js';

/** Largest CIDR (in addresses) expanded without the user raising the cap. */
export const defaultMaxCidrAddresses = 65_536;
/** Most endpoints (address × service × port) one run audits without the user raising the cap. */
export const defaultMaxEndpoints = 1_048_576;

export function cidrSize(cidr: string): number {
  const [addr, prefix] = ipaddr.parseCIDR(cidr);
  return 2 ** ((addr.kind() === 'ipv4' ? 32 : 128) - prefix);
}

/** The CIDR-size problem of a declared host, or undefined. */
export function cidrProblem(host: string, cap: number): string | undefined {
  if (hostKind(host) !== 'cidr') return undefined;
  const size = cidrSize(host);
  return size > cap
    ? `${host} is ${size} addresses, over the cap of ${cap}: split it or raise defaults.maxCidrAddresses (or --max-cidr-addresses)`
    : undefined;
}

/**
 * An IPv4-mapped IPv6 address or CIDR in its IPv4 form (`::ffff:127.88.49.0/126` → `127.88.49.0/30`), so that
 * overlap and duplicate checks see one network, not two. Anything else is returned as written.
 */
export function normalizeMapped(host: string): string {
  try {
    if (host.includes('/')) {
      const [addr, prefix] = ipaddr.parseCIDR(host);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
        return `${(addr as ipaddr.IPv6).toIPv4Address().toString()}/${prefix - 96}`;
      }
      return host;
    }
    if (host.includes(':') && ipaddr.isValid(host)) {
      const addr = ipaddr.parse(host);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address().toString();
    }
  } catch {
    // not an address: as written
  }
  return host;
}

/**
 * How many endpoints the declarations make, counted without making them (a name counts as one address until it
 * resolves): addresses × ports per target, summed. Overlaps are counted twice, so this is an upper bound. CIDRs
 * over `maxCidrAddresses` are left out: they are refused on their own line and never expanded.
 */
export function countEndpoints(
  inventory: Inventory,
  probes: readonly ProbeMeta[],
  onlyServices?: readonly string[],
  maxCidrAddresses = Infinity,
): { endpoints: number; addresses: number; largest?: { host: string; endpoints: number } } {
  const known = servicesOf(probes);
  let endpoints = 0;
  let addresses = 0;
  let largest: { host: string; endpoints: number } | undefined;
  for (const t of inventory.targets) {
    const n = hostKind(t.host) === 'cidr' ? cidrSize(t.host) : 1;
    if (n > maxCidrAddresses) continue; // refused on its own line (cidrProblem): never expanded
    const serviceMap: Record<string, number[] | null> = t.services ?? Object.fromEntries(known.map((s) => [s, null]));
    let ports = 0;
    for (const [service, list] of Object.entries(serviceMap)) {
      if (onlyServices && !onlyServices.includes(service)) continue;
      ports += list && list.length ? new Set(list).size : defaultPortsOf(probes, service).length;
    }
    addresses += n;
    endpoints += n * ports;
    if (!largest || n * ports > largest.endpoints) largest = { host: t.host, endpoints: n * ports };
  }
  return { endpoints, addresses, ...(largest ? { largest } : {}) };
}
