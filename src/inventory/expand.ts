import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { defaultPortsOf, servicesOf, type ProbeMeta } from '../probe.js';
import type { Endpoint } from '../types.js';
import { InventoryError, type LoadedInventory } from './load.js';
import { hostKind } from './schema.js';

/** Resolves a host name to every address it has. Injected in tests: the product never does reverse DNS. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => {
  const all = await lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => a.address);
};

export const defaultMaxCidrAddresses = 65_536;

export interface ExpandOptions {
  /** The probes' meta (the CLI passes the registry's): the services a target without `services:` gets, and their default ports. */
  probes: readonly ProbeMeta[];
  resolver?: Resolver;
  /** Largest CIDR (in addresses) expanded without the user raising the cap. */
  maxCidrAddresses?: number;
  /** Restrict to these services (CLI --service). */
  onlyServices?: string[];
}

export function cidrSize(cidr: string): number {
  const [addr, prefix] = ipaddr.parseCIDR(cidr);
  return 2 ** ((addr.kind() === 'ipv4' ? 32 : 128) - prefix);
}

/** Every address of a CIDR, in order. */
export function* cidrAddresses(cidr: string): Generator<string> {
  const [addr, prefix] = ipaddr.parseCIDR(cidr);
  const bytes = addr.toByteArray();
  const bits = bytes.length * 8;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  const hostBits = BigInt(bits - prefix);
  const start = (n >> hostBits) << hostBits;
  const count = 1n << hostBits;
  for (let i = 0n; i < count; i++) {
    let v = start + i;
    const out: number[] = new Array<number>(bytes.length);
    for (let j = bytes.length - 1; j >= 0; j--) {
      out[j] = Number(v & 0xffn);
      v >>= 8n;
    }
    yield ipaddr.fromByteArray(out).toString();
  }
}

/**
 * targets × services × ports → endpoints. Names resolve once, up front; every address of a name is audited.
 * Only declared hosts and ports are ever produced.
 */
export async function expandTargets(loaded: LoadedInventory, opts: ExpandOptions): Promise<Endpoint[]> {
  const knownServices = servicesOf(opts.probes);
  const defaultPorts = (service: string) => defaultPortsOf(opts.probes, service);
  const { inventory, locations, file } = loaded;
  const resolver = opts.resolver ?? systemResolver;
  const cap = opts.maxCidrAddresses ?? inventory.defaults?.maxCidrAddresses ?? defaultMaxCidrAddresses;
  const problems: InventoryError['problems'] = [];

  // Resolve every name concurrently, once.
  const names = [...new Set(inventory.targets.filter((t) => hostKind(t.host) === 'name').map((t) => t.host))];
  const resolved = new Map<string, string[] | Error>();
  await Promise.all(
    names.map(async (n) => {
      try {
        const addrs = await resolver(n);
        resolved.set(n, addrs.length ? addrs : new Error('no addresses'));
      } catch (err) {
        resolved.set(n, err as Error);
      }
    }),
  );

  const endpoints: Endpoint[] = [];
  const seen = new Set<string>();
  inventory.targets.forEach((t, i) => {
    const loc = locations[i]!;
    let addresses: Iterable<string>;
    const kind = hostKind(t.host);
    if (kind === 'cidr') {
      const size = cidrSize(t.host);
      if (size > cap) {
        problems.push({ ...loc, message: `${t.host} is ${size} addresses, over the cap of ${cap}: split it or raise defaults.maxCidrAddresses (or --max-cidr-addresses)` });
        return;
      }
      addresses = cidrAddresses(t.host);
    } else if (kind === 'name') {
      const r = resolved.get(t.host);
      if (r instanceof Error || r === undefined) {
        const code = (r as NodeJS.ErrnoException | undefined)?.code;
        problems.push({ ...loc, message: `${t.host} did not resolve${code ? ` (${code})` : ''}` });
        return;
      }
      addresses = r;
    } else {
      addresses = [ipaddr.process(t.host).toString()];
    }
    const serviceMap: Record<string, number[] | null> = t.services ?? Object.fromEntries(knownServices.map((s) => [s, null]));
    // One of each per target, shared by its endpoints (read-only from here on): a spread per endpoint gave each
    // `source` a V8 hidden class of its own, and a /16 has 65,536 endpoints per port.
    const source = { file, line: loc.line, column: loc.column };
    const labels = t.labels ?? {};
    // A target's retention overrides the defaults class by class.
    const retention = inventory.defaults?.retention || t.retention ? { ...inventory.defaults?.retention, ...t.retention } : undefined;
    const asset = t.name ?? t.host;
    for (const address of addresses) {
      for (const [service, ports] of Object.entries(serviceMap)) {
        if (opts.onlyServices && !opts.onlyServices.includes(service)) continue;
        const list = ports && ports.length ? ports : defaultPorts(service);
        for (const port of list) {
          const key = `${address}|${port}|${service}`;
          // Overlapping declarations (a host inside a CIDR) are audited once, under the first declaration.
          if (seen.has(key)) continue;
          seen.add(key);
          const ep: Endpoint = {
            host: address,
            port,
            service,
            asset,
            declaredHost: t.host,
            labels,
            source,
          };
          if (kind === 'name') ep.hostname = t.host;
          if (t.expect) ep.expect = t.expect;
          if (retention) ep.retention = retention;
          endpoints.push(ep);
        }
      }
    }
  });
  if (problems.length) throw new InventoryError(problems.map((p) => ({ ...p, file })));
  return endpoints;
}
