import { noServiceStatuses, isNoService } from '../domain/status.js';
import type { Status } from '../types.js';
import type { Report, ReportEndpoint } from './schema.js';

/** Ports listed per host in a summary row; the rest are counted ("+12 more"). */
const PORTS_SHOWN = 8;

/** One host's endpoints that were tested and found no service (closed, filtered), as one summary row. */
export interface NoServiceHost {
  host: string;
  /** Endpoints of this host per no-service status (only statuses with a count). */
  byStatus: Partial<Record<Status, number>>;
  total: number;
  /** The first PORTS_SHOWN distinct ports, in the order met. */
  ports: number[];
  /** Distinct ports beyond `ports`, counted only while a host's port set is small; see `more`. */
  more: number;
}

/**
 * Tallies the endpoints that were tested and found no service, per host, in one pass over the endpoints (from
 * memory or the spool): memory grows with hosts, not endpoints. `add` returns true when the endpoint was tallied
 * (a renderer then leaves it out of its endpoint list unless `--all-endpoints`).
 */
export class NoServiceTally {
  readonly #hosts = new Map<string, NoServiceHost & { seen: Set<number> | undefined }>();
  endpoints = 0;

  add(e: Pick<ReportEndpoint, 'host' | 'port' | 'status'>): boolean {
    if (!isNoService(e.status)) return false;
    this.endpoints++;
    let h = this.#hosts.get(e.host);
    if (!h) {
      h = { host: e.host, byStatus: {}, total: 0, ports: [], more: 0, seen: new Set() };
      this.#hosts.set(e.host, h);
    }
    h.byStatus[e.status] = (h.byStatus[e.status] ?? 0) + 1;
    h.total++;
    // Distinct ports: one host may carry several services on one port (each a separate endpoint).
    if (h.seen && !h.seen.has(e.port)) {
      h.seen.add(e.port);
      if (h.ports.length < PORTS_SHOWN) h.ports.push(e.port);
      else h.more++;
      // Bounded: past 256 distinct ports the set is dropped and further ports are counted by endpoint.
      if (h.seen.size > 256) h.seen = undefined;
    } else if (!h.seen) h.more++;
    return true;
  }

  get hostCount(): number {
    return this.#hosts.size;
  }

  /** The hosts in the order first met (inventory order). */
  hosts(): NoServiceHost[] {
    return [...this.#hosts.values()].map(({ seen: _seen, ...h }) => h);
  }
}

/** "12 closed, 3 filtered" */
export function noServiceCounts(h: Pick<NoServiceHost, 'byStatus'>): string {
  return noServiceStatuses
    .filter((s) => h.byStatus[s])
    .map((s) => `${h.byStatus[s]} ${s}`)
    .join(', ');
}

/** "6379, 8123, 9200 +12 more" */
export function noServicePorts(h: Pick<NoServiceHost, 'ports' | 'more'>): string {
  return `${h.ports.join(', ')}${h.more ? ` +${h.more} more` : ''}`;
}

/** The statuses summarised, in words: "closed" or "closed or filtered". */
export const noServiceWords = noServiceStatuses.join(' or ');

/** Where the renderers read endpoints: the report's array, or a fresh pass over the spool each call. */
export type EndpointSource = () => Iterable<ReportEndpoint>;

export function endpointSource(report: Report, source?: EndpointSource): EndpointSource {
  return source ?? (() => report.endpoints);
}
