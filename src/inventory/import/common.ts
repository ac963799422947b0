import { schemaModeline } from './modeline.js';
import { Document } from 'yaml';
import { hostKind } from '../schema.js';

/**
 * What every importer returns: targets in the inventory's shape (host, name, services, labels), and notes on what
 * was left out and why (printed as comments at the end of the generated file, so nothing is dropped silently).
 */
export interface ImportedTarget {
  host: string;
  name?: string;
  services?: Record<string, number[]>;
  labels?: Record<string, string>;
}

export interface ImportedInventory {
  targets: ImportedTarget[];
  notes: string[];
}

export class ImportError extends Error {}

/**
 * Collects targets, one per host: the inventory loader refuses a host declared twice, so a second sighting of the
 * same host (an Ansible host in two groups, two Kubernetes Services on one load-balancer address) merges into the
 * first — services and ports united, labels added where not already set, the first name kept.
 */
export class TargetSet {
  private readonly byHost = new Map<string, ImportedTarget>();
  /** The item each target came from first, for the merge note. */
  private readonly whatOf = new Map<string, string>();
  readonly notes: string[] = [];

  add(t: ImportedTarget, what: string): void {
    const host = t.host.trim();
    if (!hostKind(host)) {
      this.notes.push(`${what}: "${host}" is not an IP address, host name or CIDR; skipped`);
      return;
    }
    const key = host.toLowerCase();
    const prev = this.byHost.get(key);
    if (!prev) {
      this.whatOf.set(key, what);
      // Copies: importers share one services/labels object between targets (a Service's cluster IP and its load
      // balancer), and a later merge must not change both.
      this.byHost.set(key, {
        ...t,
        host,
        ...(t.services ? { services: Object.fromEntries(Object.entries(t.services).map(([k, v]) => [k, [...v]])) } : {}),
        ...(t.labels ? { labels: { ...t.labels } } : {}),
      });
      return;
    }
    // Nothing merges silently: two inventory items on one address become one target, and the notes say so.
    this.notes.push(`${what}: same address ${host} as ${this.whatOf.get(key) ?? 'an earlier item'}; merged into one target`);
    if (t.services) {
      prev.services ??= {};
      for (const [s, ports] of Object.entries(t.services))
        prev.services[s] = [...new Set([...(prev.services[s] ?? []), ...ports])].sort((a, b) => a - b);
    } else if (prev.services) {
      // One sighting without a port list means "every service on its default ports": the wider one wins.
      delete prev.services;
    }
    if (t.labels) prev.labels = { ...t.labels, ...prev.labels };
    if (!prev.name && t.name) prev.name = t.name;
  }

  result(): ImportedInventory {
    return { targets: [...this.byHost.values()], notes: this.notes };
  }
}

/** What importers know of the probes (handed in by the CLI, which alone assembles the registry). */
export type PortOwner = { readonly service: string; readonly defaultPorts: readonly number[]; readonly defaultExpansion?: boolean };

/** The services of a port map that run only where declared (the generic `http` catalog), for servicesForPorts. */
const genericOf = new WeakMap<Map<number, string[]>, ReadonlySet<string>>();

/**
 * port -> services whose probes list it as a default port (9000 is both ClickHouse native and MinIO/S3). A service
 * that runs only where declared (`defaultExpansion: false`: the generic `http` catalog, which identifies its ~100
 * products by their replies) is kept beside a product's own service: it never makes a port ambiguous.
 */
export function portServiceMap(probes: readonly PortOwner[]): Map<number, string[]> {
  const map = new Map<number, string[]>();
  const generic = new Set<string>();
  for (const p of probes) {
    if (p.defaultExpansion === false) generic.add(p.service);
    for (const port of p.defaultPorts) {
      const list = map.get(port) ?? [];
      if (!list.includes(p.service)) list.push(p.service);
      map.set(port, list);
    }
  }
  genericOf.set(map, generic);
  return map;
}

/**
 * Ports -> the `services:` map of a target. A product's own service is mapped only where that is unambiguous: an
 * explicit service, or a default port of exactly one product service. Ports no probe knows (`unknown`) and ports two
 * product services share (`ambiguous`: 9000 is ClickHouse native and MinIO/S3) are returned apart, for notes —
 * mapping 9000 to both audits one server twice and reports a `not-detected` row for it. The generic `http` catalog
 * goes where it claims the port, beside them.
 */
export function servicesForPorts(
  ports: Iterable<{ port: number; service?: string | undefined }>,
  map: Map<number, string[]>,
): { services: Record<string, number[]>; unknown: number[]; ambiguous: Map<number, string[]> } {
  const services: Record<string, number[]> = {};
  const unknown: number[] = [];
  const ambiguous = new Map<number, string[]>();
  const generic = genericOf.get(map) ?? new Set<string>();
  const add = (s: string, port: number) => (services[s] = [...new Set([...(services[s] ?? []), port])].sort((a, b) => a - b));
  for (const { port, service } of ports) {
    const names = service ? [service] : (map.get(port) ?? []);
    if (!names.length) {
      if (!unknown.includes(port)) unknown.push(port);
      continue;
    }
    // Two products' own services on one port is a guess: neither is mapped (the generic catalog still is).
    const own = names.filter((n) => !generic.has(n));
    if (own.length > 1) ambiguous.set(port, own);
    else if (own.length === 1) add(own[0]!, port);
    for (const n of names.filter((x) => generic.has(x))) add(n, port);
  }
  return { services, unknown: unknown.sort((a, b) => a - b), ambiguous };
}

/** The notes for ports `servicesForPorts` left out, one line each, saying why and what to do. */
export function portNotes(id: string, found: { unknown: number[]; ambiguous: Map<number, string[]> }, open = ''): string[] {
  const notes: string[] = [];
  const { unknown, ambiguous } = found;
  if (unknown.length)
    notes.push(
      `${id}: ${open}port${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (no probe for ${unknown.length > 1 ? 'them' : 'it'})`,
    );
  for (const [port, names] of [...ambiguous].sort((a, b) => a[0] - b[0]))
    notes.push(`${id}: ${open}port ${port} could be ${names.join(', ')}: not mapped; declare the service it is`);
  return notes;
}

/** Label values are strings in the report; keep scalar tags and labels, skip nested values. */
export function stringLabels(obj: unknown, skip: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  if (!obj || typeof obj !== 'object') return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (skip.includes(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

export { schemaModeline };

/**
 * The imported inventory as targets.yaml text: a header saying where it came from, the targets, then the notes.
 * `forFile`: where it will live (the editor modeline is relative to it).
 */
export function renderInventory(inv: ImportedInventory, header: string[], forFile: string): string {
  if (!inv.targets.length) throw new ImportError(`no hosts found${inv.notes.length ? `:\n  ${inv.notes.join('\n  ')}` : ''}`);
  const doc = new Document(
    {
      targets: inv.targets.map((t) => ({
        host: t.host,
        ...(t.name ? { name: t.name } : {}),
        ...(t.services ? { services: t.services } : {}),
        ...(t.labels && Object.keys(t.labels).length ? { labels: t.labels } : {}),
      })),
    },
    { aliasDuplicateObjects: false },
  );
  // Port lists on one line ([6379, 6380]): easier to review than one port per line.
  for (const t of (doc.get('targets') as { items: { get: (k: string) => unknown }[] }).items) {
    const services = t.get('services') as { items: { value: { flow?: boolean } }[] } | undefined;
    for (const pair of services?.items ?? []) pair.value.flow = true;
  }
  const modeline = schemaModeline(forFile);
  doc.commentBefore = [...(modeline ? [modeline] : []), ...header].map((l) => ` ${l}`).join('\n');
  if (inv.notes.length) doc.comment = [' Not imported:', ...inv.notes.map((n) => ` - ${n}`)].join('\n');
  return doc.toString({ lineWidth: 0 });
}
