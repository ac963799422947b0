import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Agent } from 'undici';
import { EaError, errorCodes } from '../errors.js';
import { errnoRow, errnoTable } from './errno.js';
import type { ProbeTarget } from '../types.js';
import { creditBytesPerMs, extendDeadline, remaining, type Limits } from './limits.js';
import { sharedSecureContext } from './tcp.js';

export interface HttpRequest {
  /**
   * GET and HEAD only, plus POST for the few read-only query APIs that need it (each probe justifies it), and DELETE
   * solely to end a protocol session the same server handed this very probe run (MCP's `Mcp-Session-Id`).
   */
  method?: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  /** Path and query, starting with `/`. Absolute URLs are refused: requests never leave host:port. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Lower cap than the run's for this request. */
  maxBytes?: number;
  /** A time limit (ms) for this request below the run's deadline. */
  timeoutMs?: number;
  /**
   * A stream read (server-sent events): called with each body chunk as it arrives (after the byte cap); returning
   * true ends the read there and returns what arrived (`ended: 'done'`). When the request's own `timeoutMs` ends
   * the wait after the reply's head arrived, what arrived is returned too (`ended: 'time'`) instead of EA_TIMEOUT:
   * an event stream has no end of its own. The run's deadline still fails the request as usual.
   */
  onChunk?: (chunk: Buffer) => boolean | void;
  /** Stream reads: ends the read from outside (the probe has what it needs); what arrived is returned (`ended: 'done'`). */
  stop?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  /** The body hit the byte cap and was cut. */
  truncated: boolean;
  tls: boolean;
  /** `METHOD url`, as sent. */
  request: string;
  /** For 3xx: where it points, and whether that is still this host:port. Redirects are never followed. */
  redirect?: { location: string; sameOrigin: boolean };
  /** Stream reads only (`onChunk`): why the read ended before the server closed the body. */
  ended?: 'done' | 'time';
}

/**
 * undici, loaded at the first HTTP request, not at start-up: loading it costs about 110 ms (its own modules and
 * node:http2), which a run of stores, brokers and closed ports — no HTTP at all — never needs to pay.
 */
let undici: typeof import('undici') | undefined;
export async function loadUndici(): Promise<typeof import('undici')> {
  if (undici) return undici;
  // A CommonJS package: Node's loader gives its exports as named ones, the installed CLI's bundle (one chunk, see
  // scripts/bundle-bin.ts) as `default` only.
  const mod = (await import('undici')) as typeof import('undici') & { default?: typeof import('undici') };
  return (undici ??= mod.default && typeof mod.default.Agent === 'function' ? mod.default : mod);
}

export function originOf(target: ProbeTarget): string {
  // Hosts are address literals (names are resolved up front): only an IPv6 one has a colon.
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.tls ? 'https' : 'http'}://${host}:${target.port}`;
}

export interface HttpClientOptions {
  localAddress?: string;
  connectTimeoutMs: number;
  /** Largest response head accepted (bytes). */
  maxHeaderSize?: number;
}

/**
 * Time a request waited for the auditor itself (its turn on the endpoint's connection) is given back to the exchange's deadline: the
 * deadline measures the server, never this process's own queue. Kept per Limits object (one probe attempt).
 */
const credited = new WeakMap<Limits, number>();
function creditWait(limits: Limits, waitedMs: number): void {
  if (waitedMs > 0) credited.set(limits, (credited.get(limits) ?? 0) + waitedMs);
}
function budget(limits: Limits): number {
  return Math.max(0, remaining(limits) + (credited.get(limits) ?? 0));
}

/**
 * A request's abort handle. undici takes an EventEmitter with `aborted` and `reason` as a request's signal
 * (lib/api/abort-signal.js): an AbortController per request (an EventTarget, with undici's listener and ours on it)
 * was 5% of a web-farm run's HTTP layer.
 */
class RequestAbort extends EventEmitter {
  aborted = false;
  reason: Error | undefined;
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new Error('This operation was aborted');
    this.emit('abort');
  }
}

/**
 * The requests in flight under each attempt's (or run's) signal, and the one listener that aborts them all. The
 * listener goes when the last of them ends: Node keeps a signal made by AbortSignal.any (each probe attempt's) alive
 * while it has an abort listener, so one left behind per attempt would hold every attempt's signal for the run.
 */
const inFlight = new WeakMap<AbortSignal, { requests: Set<RequestAbort>; listener: () => void }>();
function follow(signal: AbortSignal, request: RequestAbort): () => void {
  let entry = inFlight.get(signal);
  if (!entry) {
    const requests = new Set<RequestAbort>();
    const created = { requests, listener: () => requests.forEach((r) => r.abort()) };
    entry = created;
    inFlight.set(signal, created);
    signal.addEventListener('abort', created.listener, { once: true });
  }
  entry.requests.add(request);
  const { requests, listener } = entry;
  return () => {
    requests.delete(request);
    if (requests.size || inFlight.get(signal)?.listener !== listener) return;
    inFlight.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}

/**
 * One undici Agent per run: one keep-alive connection per origin (host:port), requests sent one after another on it
 * (no pipelining): with the engine's --per-host-concurrency (endpoints at once per host), at most that many requests
 * are in flight to one host, so a farm of web servers on one host is not hammered. Certificates not verified (TLS use
 * is recorded), no
 * redirect following (undici's `request` never follows; 3xx is handed back to the probe as evidence).
 */
export class HttpClient {
  readonly #opts: HttpClientOptions;
  /**
   * The two agents, made at the first request (see loadUndici): `one`, one connection per origin, and `streams` for
   * event streams (a request with onChunk: MCP's legacy SSE), which stay open while the probe sends on the same
   * endpoint: they get connections of their own, outside the endpoint's one-at-a-time queue (else the POST would wait
   * for the stream it answers on, and the stream would close first).
   */
  #agents: Promise<{ one: Agent; streams: Agent }> | undefined;
  /** Per origin: the settling of the last request queued on it (see #turn). */
  readonly #tails = new Map<string, Promise<void>>();
  /** Attempts (Limits) whose deadline already passed on some request. */
  readonly #lost = new WeakMap<Limits, EaError>();
  constructor(opts: HttpClientOptions) {
    this.#opts = opts;
  }

  /** Resolves once the client can send (undici loaded, its agents made): the engine awaits it before a deadline starts. */
  async ready(): Promise<void> {
    await this.#agentsReady();
  }

  #agentsReady(): Promise<{ one: Agent; streams: Agent }> {
    this.#agents ??= loadUndici().then(({ Agent }) => ({
      one: HttpClient.#makeAgent(Agent, this.#opts, 1),
      streams: HttpClient.#makeAgent(Agent, this.#opts, 4),
    }));
    return this.#agents;
  }

  static #makeAgent(AgentClass: typeof Agent, opts: HttpClientOptions, connections: number): Agent {
    return new AgentClass({
      connect: {
        // The process-wide TLS context (see tcp.ts): a context per HTTPS connection costs time and native memory.
        secureContext: sharedSecureContext(),
        rejectUnauthorized: false,
        timeout: opts.connectTimeoutMs,
      },
      // A client option, not a connect option: undici's connector overwrites connect.localAddress with the
      // client's own (null unless set here), so HTTP probes silently ignored --source-address.
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      maxHeaderSize: opts.maxHeaderSize ?? 32 * 1024,
      keepAliveTimeout: 2_000,
      keepAliveMaxTimeout: 2_000,
      // One connection per endpoint where the server keeps it alive; a server that closes gets a new one per request.
      connections,
      pipelining: 1,
    });
  }

  /**
   * Waits for the endpoint's connection (requests go one after another), then sends. The wait is not charged to the deadline: each request's clock starts when it goes on the wire, so the deadline measures the
   * server's answer, not this process's queue. Once a request of an attempt hit the deadline, the attempt's queued
   * requests fail at once (a silent server costs one deadline, not one per request).
   */
  async request(target: ProbeTarget, req: HttpRequest, limits: Limits): Promise<HttpResponse> {
    const origin = originOf(target);
    const queued = Date.now();
    // Loading undici (the run's first request) is a wait for the auditor too: credited like the queue below.
    const agents = await this.#agentsReady();
    if (req.onChunk) {
      creditWait(limits, Date.now() - queued);
      return this.#send(target, req, limits, agents.streams);
    }
    return this.#turn(origin, () => {
      const lost = this.#lost.get(limits);
      if (lost) throw new EaError('EA_TIMEOUT', lost.message, { phase: 'read' });
      creditWait(limits, Date.now() - queued);
      return this.#send(target, req, limits, agents.one).catch((err: unknown) => {
        if (err instanceof EaError && err.code === 'EA_TIMEOUT') this.#lost.set(limits, err);
        throw err;
      });
    });
  }

  /**
   * Runs `fn` once everything queued before it on `key` has settled (first in, first out); the queue is dropped once
   * idle, so a million origins cost nothing. A promise chain, not a p-limit per origin: one was built and dropped
   * for nearly every request of a web farm (each endpoint's requests come one after another).
   */
  async #turn<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.#tails.set(key, mine);
    try {
      if (before) await before;
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === mine) this.#tails.delete(key);
    }
  }

  async #send(target: ProbeTarget, req: HttpRequest, limits: Limits, agent: Agent): Promise<HttpResponse> {
    if (!req.path.startsWith('/')) throw new EaError('EA_SCOPE', `refusing a request outside host:port: ${req.path}`);
    const origin = originOf(target);
    const method = req.method ?? 'GET';
    const url = new URL(req.path, origin);
    if (url.origin !== new URL(origin).origin) throw new EaError('EA_SCOPE', `refusing ${url.href}: not ${origin}`);
    const requestLine = `${method} ${url.href}`;
    const cap = Math.min(req.maxBytes ?? limits.maxBytes, limits.maxBytes);
    if (limits.signal.aborted) throw new EaError('EA_ABORTED', 'the run was interrupted');
    // The deadline and the run's interrupt, as one abort handle that is let go when the request ends. (AbortSignal.timeout
    // kept a timer alive until the deadline, and AbortSignal.any left a WeakRef per request on the run's signal.)
    const controller = new RequestAbort();
    const deadline = { hit: false, own: false };
    // The deadline measures the server, not this process's CPU: when it fires, bytes that arrived while this process
    // was busy (other endpoints' parsing) are read first (one poll phase), and body bytes earn time (limits.ts:
    // creditBytesPerMs, up to limits.cap), so a large reply that keeps flowing is read to its end however long this
    // process takes to read it. A server that never started, stalls mid-reply or drips bytes times out as before.
    const progress = { settled: false };
    const runBudget = Math.max(1, budget(limits));
    // A request's own time limit (an event stream read for a while), when it is below the run's deadline.
    const own = req.timeoutMs !== undefined && req.timeoutMs < runBudget;
    const firstBudget = Math.max(1, own ? req.timeoutMs! : runBudget);
    const base = limits.deadline;
    const ends = Date.now() + firstBudget;
    // This request's time left, with what its bytes (and earlier requests' bytes) earned since it started.
    const left = () => ends + (limits.deadline - base) - Date.now();
    let timer: NodeJS.Timeout;
    const expire = () => {
      if (progress.settled) return;
      if (!own && left() > 0) {
        timer = setTimeout(() => setImmediate(expire), left());
        return;
      }
      deadline.hit = true;
      deadline.own = own;
      controller.abort();
    };
    // setImmediate runs after the poll phase: replies already in the socket buffers are read first.
    timer = setTimeout(() => setImmediate(expire), firstBudget);
    const unfollow = follow(limits.signal, controller);
    const stopped = { yes: false };
    const onStop = () => ((stopped.yes = true), controller.abort());
    if (req.onChunk && req.stop) {
      if (req.stop.aborted) onStop();
      else req.stop.addEventListener('abort', onStop, { once: true });
    }
    const headers: Record<string, string> = { 'user-agent': 'exposure-audit', ...req.headers };
    if (target.hostname && !net.isIP(target.hostname)) headers.host = `${target.hostname}:${target.port}`;
    try {
      // The deadline ends the wait even while undici is still connecting: it does not act on the abort until a
      // pending connect settles, so a peer that accepts and stalls the TLS handshake held a TLS retry past the
      // endpoint's deadline (until its own connect timeout, or until the peer closed).
      let lost = false;
      const aborted = new Promise<never>((_, reject) =>
        controller.once('abort', () => ((lost = true), reject(new Error('deadline or interrupt')))),
      );
      const pending = agent.request({
        origin,
        path: url.pathname + url.search,
        method,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: controller,
        // The deadline above ends the exchange; undici's own timers only back it up (they cannot see the grace or
        // the credit, so they wait until the latest the deadline can move to).
        headersTimeout: Math.max(firstBudget, (limits.cap ?? 0) - Date.now()) + 1_000,
        bodyTimeout: Math.max(firstBudget, (limits.cap ?? 0) - Date.now()) + 1_000,
      });
      // When the deadline wins the race, a reply that still arrives is dropped (its socket freed), never unhandled.
      pending.then(
        (r) => lost && r.body.destroy(),
        () => undefined,
      );
      const res = await Promise.race([aborted, pending]);
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      let ended: HttpResponse['ended'];
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          const room = cap - size;
          const kept = chunk.length >= room ? chunk.subarray(0, room) : chunk;
          if (chunk.length > room) truncated = true;
          chunks.push(kept);
          size += kept.length;
          // Bytes flowing are the server's answer: they earn time on the deadline (not for an event stream's window).
          if (!own) extendDeadline(limits, kept.length / creditBytesPerMs);
          if (req.onChunk?.(kept) === true) {
            ended = 'done';
            res.body.destroy();
            break;
          }
          // Stop reading: the cap is the most this peer may cost us.
          if (truncated) {
            res.body.destroy();
            break;
          }
        }
      } catch (err) {
        // An event stream's own time limit, or the probe's stop, is its normal end: keep what arrived.
        if (!req.onChunk || limits.signal.aborted || !(deadline.own || stopped.yes)) throw err;
        ended = stopped.yes ? 'done' : 'time';
      }
      const body = Buffer.concat(chunks);
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
      const out: HttpResponse = {
        status: res.statusCode,
        headers: flat,
        body,
        text: body.toString('utf8'),
        truncated,
        tls: target.tls,
        request: requestLine,
        ...(ended ? { ended } : {}),
      };
      if (res.statusCode >= 300 && res.statusCode < 400 && flat.location) {
        let sameOrigin = false;
        try {
          sameOrigin = new URL(flat.location, url).origin === url.origin;
        } catch {
          sameOrigin = false;
        }
        out.redirect = { location: flat.location, sameOrigin };
      }
      return out;
    } catch (err) {
      throw toEaError(err, limits, deadline.hit);
    } finally {
      progress.settled = true;
      clearTimeout(timer);
      unfollow();
      controller.removeAllListeners('abort');
      req.stop?.removeEventListener('abort', onStop);
    }
  }

  async close(): Promise<void> {
    if (!this.#agents) return;
    const { one, streams } = await this.#agents;
    await Promise.all([one.destroy(), streams.destroy()]);
  }
}

function toEaError(err: unknown, limits: Limits, timedOut: boolean): EaError {
  if (err instanceof EaError) return err;
  if (limits.signal.aborted) return new EaError('EA_ABORTED', 'the run was interrupted', {}, { cause: err });
  if (timedOut) return new EaError('EA_TIMEOUT', 'no complete reply before the deadline', { phase: 'read' }, { cause: err });
  const e = err as NodeJS.ErrnoException & { code?: string };
  const row = errnoRow(e.code, 'read', e.message);
  let code = row.code;
  if (undici && err instanceof undici.errors.HTTPParserError) code = 'EA_PROTOCOL';
  // undici wraps the socket's own error for UND_ERR_SOCKET; prefer the errno when there is one.
  const causeCode = (e.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EA_CLOSED' && causeCode && errnoTable[causeCode]) code = errnoTable[causeCode].code;
  if (code === 'EA_LOCAL_LIMIT')
    return new EaError(code, `${errorCodes[code]} (${causeCode ?? e.code})`, { phase: 'connect' }, { cause: err });
  return new EaError(code, `${e.code ?? 'error'}: ${e.message}`, { phase: row.phase ?? 'read' }, { cause: err });
}
