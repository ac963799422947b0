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
  /**
   * Every request this probe may send, in order, as the engine records it (read-only by construction): the read-only
   * tests, the fuzz test and the `probes` command all read it through isDeclared/describeSend below.
   */
  sends: Send[];
  /** The product's dangerous routes or commands this probe never sends, in words (README tables, `probes --json`). */
  neverSends?: string;
  /** What an exposure allows beyond reading (default `data-store`). */
  impact?: Impact;
  /** What an exposure of this service allows, for reports. */
  exposure: string;
  remediation: string;
  references?: string[];
}

/** When a declared request may be sent: on every run that gets that far, or only behind an opt-in flag. */
export type SendWhen = 'always' | '--sample' | '--try-default-credentials';

/** One declared request. */
export interface Send {
  /**
   * The request as the engine records it (describeWrite for TCP, `METHOD path` for HTTP), or for a binary request
   * its decoded form (`Query "…"`, `OP_MSG {…}`). `<name>` stands for one name the peer supplied (a key, a database,
   * an index): a run of non-blank characters, in an HTTP path one segment (no `/`, `?`, `#`); `<name...>` stands for
   * one or more such names separated by blanks. The one placeholder syntax.
   */
  request: string;
  when: SendWhen;
  /** The exact bytes of a fixed binary request: the engine records them as hex (describeWrite), matched as such. */
  bytes?: Buffer;
}

/**
 * Records what was written, as sent: printable text as typed, each CR and LF shown as the escape `\r` / `\n` after
 * a space (so `KEY\r\n` never reads as one glued token to a pattern or a person), binary as hex.
 */
export function describeWrite(data: string | Buffer): string {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const text = buf.toString('latin1');
  if (/^[\x20-\x7e\r\n]*$/.test(text))
    return text
      .replace(/\r?\n$/, '')
      .replace(/\r\n|\n/g, ' \\r\\n ')
      .replace(/\r/g, ' \\r ');
  return `<${buf.length} bytes ${buf.toString('hex').slice(0, 256)}>`;
}

const placeholder = /<[^<>]+>/g;
const patterns = new Map<string, RegExp>();

/** A declared request as a whole-string pattern: literal text, each `<name>` one name (see Send.request). */
export function sendPattern(request: string): RegExp {
  let re = patterns.get(request);
  if (!re) {
    const hole = /^[A-Z]+ \//.test(request) ? '[^/?#\\s]+' : '\\S+';
    const literal = request.split(placeholder).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const holes = (request.match(placeholder) ?? []).map((p) => (p.endsWith('...>') ? `${hole}(?: ${hole})*` : hole));
    re = new RegExp(`^${literal.map((part, i) => part + (holes[i] ?? '')).join('')}$`);
    patterns.set(request, re);
  }
  return re;
}

/** Which opt-in sends a run allows; every one when omitted (what the probe may send under any flags). */
export interface SendFlags {
  sample?: boolean;
  tryDefaultCredentials?: boolean;
}

/**
 * The one matcher of the read-only promise: is `request` (as recorded, or a binary request decoded to its declared
 * form) one of `sends` allowed under `flags`? A URL-encoded HTTP request also matches in its decoded form.
 */
export function isDeclared(
  sends: readonly Send[],
  request: string,
  flags: SendFlags = { sample: true, tryDefaultCredentials: true },
): boolean {
  // Percent-encoding differs between encoders (encodeURIComponent keeps `'`, the HTTP client sends `%27`): an HTTP
  // request also matches when both sides are compared decoded.
  const decoded = decodeSafely(request);
  return sends.some((s) => {
    if (s.when === '--sample' && !flags.sample) return false;
    if (s.when === '--try-default-credentials' && !flags.tryDefaultCredentials) return false;
    if (s.bytes && describeWrite(s.bytes) === request) return true;
    return sendPattern(s.request).test(request) || sendPattern(decodeSafely(s.request)).test(decoded);
  });
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A declared request for people (the `probes` command): the opt-in flag first, the bytes of a binary request after. */
export function describeSend(s: Send): string {
  const flag = s.when === 'always' ? '' : `only with ${s.when === '--sample' ? '--sample N' : s.when}: `;
  return `${flag}${s.request}${s.bytes ? ` (${s.bytes.length} bytes: ${s.bytes.toString('hex')})` : ''}`;
}

/** Shorthand for a list of requests sent whenever the conversation gets that far. */
export const always = (...requests: string[]): Send[] => requests.map((request) => ({ request, when: 'always' }));

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
  /**
   * With tryDefaultCredentials: true the first time this run asks for `key` (the product) on this host:port, false
   * after — a port declared under two services (`mlflow:` and `http:`) gets the documented default sent once, not
   * twice. Absent: no run-wide memory (each attempt may try).
   */
  firstCredentialAttempt?(key: string): boolean;
}

/** What run() returns; the engine adds the recorded requests and TLS use to the evidence. */
export type ProbeResult = Omit<Observation, 'evidence'> & { evidence: Omit<Evidence, 'requests'> };

/**
 * The product answered that it is busy, overloaded, loading, starting or shutting down (issue 21): the endpoint
 * could not be tested now. Status `error` with EA_BUSY (not tested, never a verdict that resolves a finding), the
 * product named; never `not-detected`.
 */
export function busyResult(product: string, proof: string, reply: string, facts: Record<string, unknown> = {}): ProbeResult {
  return {
    status: 'error',
    evidence: { product, proof, reply, notes: ['the server said it is busy or not ready: test again later'] },
    facts,
    error: { code: 'EA_BUSY', message: `${product} is busy or not ready: ${reply.slice(0, 160)}` },
  };
}

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
  for (const s of meta.sends) {
    if (!s.request || !['always', '--sample', '--try-default-credentials'].includes(s.when)) problems.push(`bad send ${JSON.stringify(s)}`);
    if (/\{[a-z]+\}/i.test(s.request)) problems.push(`send "${s.request}": placeholders are written <name>`);
  }
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
