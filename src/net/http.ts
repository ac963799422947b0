import net from 'node:net';
import { Agent, errors as undiciErrors } from 'undici';
import { codeByErrno, EaError, errorCodes, type ErrorCode } from '../errors.js';
import type { ProbeTarget } from '../types.js';
import { remaining, type Limits } from './limits.js';
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

export function originOf(target: ProbeTarget): string {
  const host = net.isIPv6(target.host) ? `[${target.host}]` : target.host;
  return `${target.tls ? 'https' : 'http'}://${host}:${target.port}`;
}

export interface HttpClientOptions {
  localAddress?: string;
  connectTimeoutMs: number;
  /** Largest response head accepted (bytes). */
  maxHeaderSize?: number;
}

/**
 * One undici Agent per run: pooled keep-alive per origin, certificates not verified (TLS use is recorded), no
 * redirect following (undici's `request` never follows; 3xx is handed back to the probe as evidence).
 */
export class HttpClient {
  readonly #agent: Agent;
  constructor(opts: HttpClientOptions) {
    this.#agent = new Agent({
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
      connections: 4,
    });
  }

  async request(target: ProbeTarget, req: HttpRequest, limits: Limits): Promise<HttpResponse> {
    if (!req.path.startsWith('/')) throw new EaError('EA_SCOPE', `refusing a request outside host:port: ${req.path}`);
    const origin = originOf(target);
    const method = req.method ?? 'GET';
    const url = new URL(req.path, origin);
    if (url.origin !== new URL(origin).origin) throw new EaError('EA_SCOPE', `refusing ${url.href}: not ${origin}`);
    const requestLine = `${method} ${url.href}`;
    const cap = Math.min(req.maxBytes ?? limits.maxBytes, limits.maxBytes);
    if (limits.signal.aborted) throw new EaError('EA_ABORTED', 'the run was interrupted');
    // The deadline and the run's interrupt, as one signal that is let go when the request ends. (AbortSignal.timeout
    // kept a timer alive until the deadline, and AbortSignal.any left a WeakRef per request on the run's signal.)
    const controller = new AbortController();
    const deadline = { hit: false, own: false };
    const runLeft = remaining(limits);
    const own = req.timeoutMs !== undefined && req.timeoutMs < runLeft;
    const timer = setTimeout(
      () => {
        deadline.hit = true;
        deadline.own = own;
        controller.abort();
      },
      Math.max(1, own ? req.timeoutMs! : runLeft),
    );
    const onAbort = () => controller.abort();
    limits.signal.addEventListener('abort', onAbort, { once: true });
    const stopped = { yes: false };
    const onStop = () => ((stopped.yes = true), controller.abort());
    if (req.onChunk && req.stop) {
      if (req.stop.aborted) onStop();
      else req.stop.addEventListener('abort', onStop, { once: true });
    }
    const signal = controller.signal;
    const headers: Record<string, string> = { 'user-agent': 'exposure-audit', ...req.headers };
    if (target.hostname && !net.isIP(target.hostname)) headers.host = `${target.hostname}:${target.port}`;
    try {
      // The deadline ends the wait even while undici is still connecting: it does not act on the abort until a
      // pending connect settles, so a peer that accepts and stalls the TLS handshake held a TLS retry past the
      // endpoint's deadline (until its own connect timeout, or until the peer closed).
      let lost = false;
      const aborted = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => ((lost = true), reject(new Error('deadline or interrupt'))), { once: true }),
      );
      const pending = this.#agent.request({
        origin,
        path: url.pathname + url.search,
        method,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal,
        headersTimeout: Math.max(1, remaining(limits)),
        bodyTimeout: Math.max(1, remaining(limits)),
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
      clearTimeout(timer);
      limits.signal.removeEventListener('abort', onAbort);
      req.stop?.removeEventListener('abort', onStop);
    }
  }

  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}

function toEaError(err: unknown, limits: Limits, timedOut: boolean): EaError {
  if (err instanceof EaError) return err;
  if (limits.signal.aborted) return new EaError('EA_ABORTED', 'the run was interrupted', {}, { cause: err });
  if (timedOut) return new EaError('EA_TIMEOUT', 'no complete reply before the deadline', { phase: 'read' }, { cause: err });
  const e = err as NodeJS.ErrnoException & { code?: string };
  const byCode: Record<string, ErrorCode> = {
    ...codeByErrno,
    UND_ERR_CONNECT_TIMEOUT: 'EA_TIMEOUT',
    UND_ERR_HEADERS_TIMEOUT: 'EA_TIMEOUT',
    UND_ERR_BODY_TIMEOUT: 'EA_TIMEOUT',
    UND_ERR_HEADERS_OVERFLOW: 'EA_TOO_LARGE',
    UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE: 'EA_TOO_LARGE',
    UND_ERR_SOCKET: 'EA_CLOSED',
    UND_ERR_CLOSED: 'EA_CLOSED',
    UND_ERR_ABORTED: 'EA_ABORTED',
  };
  let code: ErrorCode | undefined = byCode[e.code ?? ''];
  if (!code && (err instanceof undiciErrors.HTTPParserError || /^HPE_/.test(e.code ?? ''))) code = 'EA_PROTOCOL';
  if (!code && /tls|ssl|certificate|handshake|wrong version number|EPROTO/i.test(`${e.code} ${e.message}`)) code = 'EA_TLS';
  code ??= 'EA_RESET';
  // undici wraps the socket's own error for UND_ERR_SOCKET; prefer the errno when there is one.
  const causeCode = (e.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EA_CLOSED' && causeCode && byCode[causeCode]) code = byCode[causeCode]!;
  if (code === 'EA_LOCAL_LIMIT')
    return new EaError(code, `${errorCodes[code]} (${causeCode ?? e.code})`, { phase: 'connect' }, { cause: err });
  return new EaError(code, `${e.code ?? 'error'}: ${e.message}`, { phase: 'read' }, { cause: err });
}
