import type { HttpRequest, HttpResponse } from './net/http.js';
import type { Limits } from './net/limits.js';
import type { TcpConnectOptions, TcpSession } from './net/tcp.js';
import type { Evidence, Observation, ProbeTarget } from './types.js';

/**
 * What an unauthenticated session allows beyond reading; drives the base severity of an exposure (classify):
 * code-execution critical, data-store high, info-leak by the typed assessment (or high).
 */
export type Impact = 'code-execution' | 'data-store' | 'info-leak';

export interface ProbeMeta {
  /** Equals the probe's file name in probes/. */
  id: string;
  /** Inventory service key this probe serves (several probes may share one, e.g. ClickHouse HTTP and native). */
  service: string;
  title: string;
  description: string;
  defaultPorts: number[];
  /** Default ports that speak TLS from the first byte. */
  tlsPorts?: number[];
  transport: 'tcp' | 'http';
  /**
   * false: not audited for targets without `services:` (only where the inventory declares this service), e.g. the
   * `http` catalog service, whose ports all belong to signature services of their own. Default true.
   */
  defaultExpansion?: boolean;
  /** `optional`: when plaintext is closed or reset without a reply, the engine retries once over TLS. */
  tls: 'never' | 'optional';
  /** Every request this probe may send, in order, exactly as sent (read-only by construction). */
  sends: string[];
  /** What an exposure allows beyond reading (default `data-store`). */
  impact?: Impact;
  /** What an exposure of this service allows, for reports. */
  exposure: string;
  remediation: string;
  references?: string[];
}

export interface ProbeTcpOptions extends TcpConnectOptions {
  /** Names the first request in evidence.proof when the first reply is not this protocol (default: the first write as sent, or `server greeting`). */
  proof?: string;
}

export interface ProbeContext {
  limits: Limits;
  /**
   * Opens a bounded session to the target (TLS per target unless overridden). Every write is recorded. The engine
   * closes every session when the probe returns or throws (probes never close their own), and an EA_PROTOCOL from
   * the first session's first reply (its read, or its parsing before the probe writes again) reads `not-detected`
   * with a redacted excerpt of what came back: probes hold only the conversation.
   */
  tcp(opts?: ProbeTcpOptions): Promise<TcpSession>;
  /** One bounded HTTP exchange with the target; redirects are returned, never followed. Every request is recorded. */
  http(req: HttpRequest): Promise<HttpResponse>;
  /** Caps for metadata listings. */
  caps: { items: number; fields: number };
  /**
   * Opt-in sampling: at most `rows` rows/documents/values from each of at most `sources` sensitive-looking
   * tables, indices or keys. 0 = metadata only (the default). Sampled values go to scanSecrets, never to evidence.
   */
  sample: { rows: number; sources: number };
  /**
   * Opt-in (--try-default-credentials): repeat one declared GET once with the product's DOCUMENTED default credential
   * (never a guess) and report an accepted one as its own fact (defaultCredential). Read by the HTTP catalog.
   */
  tryDefaultCredentials?: boolean;
}

/** What run() returns; the engine adds the recorded requests and TLS use to the evidence. */
export type ProbeResult = Omit<Observation, 'evidence'> & { evidence: Omit<Evidence, 'requests'> };

export interface Probe {
  meta: ProbeMeta;
  run(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeResult>;
}

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Validates a probe's declaration at load time, so a bad probe fails the registry test, not an audit. */
export function defineProbe(probe: Probe): Probe {
  const { meta } = probe;
  const problems: string[] = [];
  if (!idPattern.test(meta.id)) problems.push(`id "${meta.id}" must be kebab-case`);
  if (!idPattern.test(meta.service)) problems.push(`service "${meta.service}" must be kebab-case`);
  if (!meta.title || !meta.description || !meta.exposure || !meta.remediation)
    problems.push('title, description, exposure and remediation are required');
  if (meta.defaultPorts.length === 0) problems.push('at least one default port');
  for (const p of [...meta.defaultPorts, ...(meta.tlsPorts ?? [])]) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) problems.push(`bad port ${p}`);
  }
  for (const p of meta.tlsPorts ?? []) if (!meta.defaultPorts.includes(p)) problems.push(`tls port ${p} is not a default port`);
  if (meta.sends.length === 0) problems.push('a probe must declare what it sends');
  if (problems.length) throw new Error(`probe ${meta.id}: ${problems.join('; ')}`);
  return Object.freeze({ meta: Object.freeze({ ...meta }), run: probe.run });
}

/** The inventory service keys these probes serve, in probe order, each once. */
export function servicesOf(metas: readonly ProbeMeta[]): string[] {
  return [...new Set(metas.map((m) => m.service))];
}

/** A service's default ports: the union of its probes' ports, ascending. */
export function defaultPortsOf(metas: readonly ProbeMeta[], service: string): number[] {
  return [...new Set(metas.filter((m) => m.service === service).flatMap((m) => m.defaultPorts))].sort((a, b) => a - b);
}
