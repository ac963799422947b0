import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { defaultPortsOf, servicesOf, type ProbeMeta } from '../probe.js';
import type { Endpoint } from '../types.js';
import { InventoryError, type LoadedInventory } from './load.js';
import { cidrSize, defaultMaxCidrAddresses } from './checks.js';
import { hostKind } from './schema.js';

/** Resolves a host name to every address it has. Injected in tests: the product never does reverse DNS. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => {
  const all = await lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => a.address);
};

export { cidrSize, defaultMaxCidrAddresses } from './checks.js';

export interface ExpandOptions {
  /** The probes' meta (the CLI passes the registry's): the services a target without `services:` gets, and their default ports. */
  probes: readonly ProbeMeta[];
  resolver?: Resolver;
  /** Largest CIDR (in addresses) expanded without the user raising the cap. */
  maxCidrAddresses?: number;
  /** Restrict to these services (CLI --service). */
  onlyServices?: string[];
  /**
   * A name that does not resolve: 'fail' (default; the CLI's --strict) throws it with the other inventory
   * problems; 'endpoint' makes its endpoints `unresolved` (reported error / EA_DNS, not tested) and the rest is audited.
   */
  unresolved?: 'fail' | 'endpoint';
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

/** How a target was declared: what every endpoint expanded from it shares (the report's `declarations`). */
export interface Declaration {
  asset: string;
  declaredHost: string;
  hostname?: string;
  labels: Record<string, string>;
  expect?: string;
  source: { file: string; line: number; column: number };
}

/**
 * The endpoints of an inventory, produced lazily: iterating yields them one at a time in inventory order (target,
 * then address, then service and port), never as an array, so a /12 costs what its endpoints in flight cost.
 * `count` is known up front and cheap (arithmetic, unless declarations overlap). Iterate as often as needed.
 */
export interface EndpointPlan extends Iterable<Endpoint> {
  readonly count: number;
  /** One per inventory target, in inventory order. */
  readonly declarations: readonly Declaration[];
}

/** An address range of one family, as numbers (IPv4) or bigints (IPv6), inclusive. */
interface Range {
  v6: boolean;
  start: bigint;
  end: bigint;
}

interface Planned {
  decl: Declaration;
  kind: 'ip' | 'cidr' | 'name';
  /** Address literals (ip, name) or the CIDR (cidr). */
  addresses: string[];
  cidr?: string;
  size: number;
  ranges: Range[];
  /** Each service with its ports, and whether the inventory named those ports (then every probe of the service runs). */
  ports: Array<[service: string, ports: number[], declared: boolean]>;
  /** The resolver's error code for a name that did not resolve (its endpoints are reported error / EA_DNS). */
  unresolved?: string;
  /** S3 bucket names declared for this target (only the s3 endpoints carry them). */
  buckets?: string[];
  /** Retention by data class (the target's over the defaults'), for the retention check of exposed stores. */
  retention?: Endpoint['retention'];
  /** `service|port` keys, to tell whether an earlier declaration already produced an endpoint. */
  keys: Set<string>;
  endpointsPerAddress: number;
  /** Earlier declarations whose addresses intersect this one's (usually none: then no per-endpoint check). */
  earlier: Planned[];
}

function addressValue(address: string): { v6: boolean; n: bigint } {
  const a = ipaddr.parse(address);
  let n = 0n;
  for (const b of a.toByteArray()) n = (n << 8n) | BigInt(b);
  return { v6: a.kind() === 'ipv6', n };
}

function cidrRange(cidr: string): Range {
  const [addr, prefix] = ipaddr.parseCIDR(cidr);
  const { v6, n } = addressValue(addr.toString());
  const hostBits = BigInt((v6 ? 128 : 32) - prefix);
  const start = (n >> hostBits) << hostBits;
  return { v6, start, end: start + (1n << hostBits) - 1n };
}

const intersects = (a: Range[], b: Range[]) => a.some((x) => b.some((y) => x.v6 === y.v6 && x.start <= y.end && y.start <= x.end));
const contains = (p: Planned, v6: boolean, n: bigint) => p.ranges.some((r) => r.v6 === v6 && r.start <= n && n <= r.end);

/** Every address of an IPv4 CIDR as text, from numbers (no bigint, no parsing per address): 1,000,000 in ~0.2 s. */
function* ipv4Addresses(cidr: string): Generator<string> {
  const r = cidrRange(cidr);
  for (let n = Number(r.start), end = Number(r.end); n <= end; n++) yield `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * targets × services × ports → a lazy endpoint plan. Names resolve once, up front; every address of a name is
 * audited. Only declared hosts and ports are ever produced. Validation (CIDR caps, names) happens here, before any
 * endpoint is produced.
 */
export async function planTargets(loaded: LoadedInventory, opts: ExpandOptions): Promise<EndpointPlan> {
  const knownServices = servicesOf(opts.probes);
  const defaultPorts = (service: string) => defaultPortsOf(opts.probes, service);
  // A target without `services:` gets every service one of whose probes expands by default (the http catalog
  // adapter does not: each product is its own service on its own ports, so a port is audited once per product).
  const defaultServices = knownServices.filter((s) => opts.probes.some((p) => p.service === s && p.defaultExpansion !== false));
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

  const planned: Planned[] = [];
  const declarations: Declaration[] = [];
  inventory.targets.forEach((t, i) => {
    const loc = locations[i]!;
    const kind = hostKind(t.host);
    // One of each per target, shared by its endpoints (read-only from here on): a spread per endpoint gave each
    // `source` a V8 hidden class of its own, and a /16 has 65,536 endpoints per port.
    const decl: Declaration = {
      asset: t.name ?? t.host,
      declaredHost: t.host,
      labels: t.labels ?? {},
      source: { file, line: loc.line, column: loc.column },
    };
    if (kind === 'name') decl.hostname = t.host;
    if (t.expect) decl.expect = t.expect;
    declarations.push(decl);
    let addresses: string[] = [];
    let size: number;
    let ranges: Range[];
    let unresolved: string | undefined;
    if (kind === 'cidr') {
      size = cidrSize(t.host);
      if (size > cap) {
        problems.push({
          ...loc,
          message: `${t.host} is ${size} addresses, over the cap of ${cap}: split it or raise defaults.maxCidrAddresses (or --max-cidr-addresses)`,
        });
        return;
      }
      ranges = [cidrRange(t.host)];
    } else {
      if (kind === 'name') {
        const r = resolved.get(t.host);
        if (r instanceof Error || r === undefined) {
          const code = (r as NodeJS.ErrnoException | undefined)?.code;
          if (opts.unresolved !== 'endpoint') {
            problems.push({ ...loc, message: `${t.host} did not resolve${code ? ` (${code})` : ''}` });
            return;
          }
          // Reported, not audited: one endpoint per service and port under the name itself (error / EA_DNS).
          unresolved = code ?? 'ENOTFOUND';
        } else addresses = [...new Set(r.map((a) => ipaddr.process(a).toString()))];
      } else {
        addresses = [ipaddr.process(t.host).toString()];
      }
      if (unresolved) addresses = [t.host];
      size = addresses.length;
      // An unresolved name has no address: it overlaps nothing.
      ranges = unresolved
        ? []
        : addresses.map((a) => {
            const { v6, n } = addressValue(a);
            return { v6, start: n, end: n };
          });
    }
    // Without `services:`, every service that expands by default (not `http`: each catalog signature is a service of
    // its own on its own ports, so a port is audited once per product).
    const serviceMap: Record<string, number[] | null> = t.services ?? Object.fromEntries(defaultServices.map((s) => [s, null]));
    const ports: Planned['ports'] = [];
    for (const [service, list] of Object.entries(serviceMap)) {
      if (opts.onlyServices && !opts.onlyServices.includes(service)) continue;
      const declared = Boolean(list && list.length);
      ports.push([service, [...new Set(declared ? list! : defaultPorts(service))], declared]);
    }
    const keys = new Set(ports.flatMap(([s, ps]) => ps.map((p) => `${s}|${p}`)));
    const p: Planned = {
      decl,
      kind: kind === 'cidr' ? 'cidr' : kind === 'name' ? 'name' : 'ip',
      addresses,
      size,
      ranges,
      ports,
      keys,
      endpointsPerAddress: keys.size,
      earlier: [],
    };
    if (kind === 'cidr') p.cidr = t.host;
    if (unresolved) p.unresolved = unresolved;
    if (t.buckets) p.buckets = t.buckets;
    // A target's retention overrides the defaults class by class.
    if (inventory.defaults?.retention || t.retention) p.retention = { ...inventory.defaults?.retention, ...t.retention };
    p.earlier = planned.filter((q) => intersects(q.ranges, ranges));
    planned.push(p);
  });
  if (problems.length) throw new InventoryError(problems.map((p) => ({ ...p, file })));

  /** Overlapping declarations (a host inside a CIDR) are audited once, under the first declaration. */
  const shadowed = (p: Planned, address: string, service: string, port: number): boolean => {
    if (!p.earlier.length) return false;
    const { v6, n } = addressValue(address);
    const key = `${service}|${port}`;
    return p.earlier.some((q) => q.keys.has(key) && contains(q, v6, n));
  };
  const addressesOf = (p: Planned): Iterable<string> =>
    p.cidr === undefined ? p.addresses : p.cidr.includes(':') ? cidrAddresses(p.cidr) : ipv4Addresses(p.cidr);
  function* endpointsOf(p: Planned): Generator<Endpoint> {
    const d = p.decl;
    for (const address of addressesOf(p)) {
      for (const [service, list, declared] of p.ports) {
        for (const port of list) {
          if (shadowed(p, address, service, port)) continue;
          const ep: Endpoint = {
            host: address,
            port,
            service,
            asset: d.asset,
            declaredHost: d.declaredHost,
            labels: d.labels,
            source: d.source,
            portDeclared: declared,
          };
          if (d.hostname !== undefined) ep.hostname = d.hostname;
          if (d.expect !== undefined) ep.expect = d.expect;
          if (p.unresolved !== undefined) ep.unresolved = p.unresolved;
          if (p.buckets && service === 's3') ep.buckets = p.buckets;
          if (p.retention) ep.retention = p.retention;
          yield ep;
        }
      }
    }
  }
  let count = 0;
  for (const p of planned) {
    if (!p.earlier.length) count += p.size * p.endpointsPerAddress;
    else for (const _ of endpointsOf(p)) count++;
  }
  return {
    count,
    declarations,
    *[Symbol.iterator]() {
      for (const p of planned) yield* endpointsOf(p);
    },
  };
}

/** The plan's endpoints for which `keep` holds (a shard's share), still lazy; counting it iterates the plan once. */
export function filterPlan(plan: EndpointPlan, keep: (ep: Endpoint) => boolean): EndpointPlan {
  let count = 0;
  for (const ep of plan) if (keep(ep)) count++;
  return {
    count,
    declarations: plan.declarations,
    *[Symbol.iterator]() {
      for (const ep of plan) if (keep(ep)) yield ep;
    },
  };
}

/** Every endpoint as an array: for small inventories and tests. A scan iterates the plan (planTargets) instead. */
export async function expandTargets(loaded: LoadedInventory, opts: ExpandOptions): Promise<Endpoint[]> {
  return [...(await planTargets(loaded, opts))];
}
