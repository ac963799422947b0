import net from 'node:net';
import tls from 'node:tls';
import { EaError } from '../errors.js';
import { fromSocketError } from './errno.js';
import type { ProbeTarget } from '../types.js';
import { remaining, type Limits } from './limits.js';

/**
 * Returns the byte length of the first complete message in `buf`, or undefined if more bytes are needed.
 * May throw to say the bytes cannot be this protocol.
 */
export type Framer = (buf: Buffer) => number | undefined;

export interface TcpSession {
  /** TLS in use: from the connect, or since startTls(). */
  readonly tls: boolean;
  /** Bytes received so far, including any not yet returned by read(). */
  readonly bytesRead: number;
  write(data: string | Buffer): Promise<void>;
  /** Resolves with the next complete message as framed by `frame`, within the session's limits. */
  read(frame: Framer): Promise<Buffer>;
  /**
   * Upgrades the open plain connection to TLS (certificate not verified), for protocols that negotiate it in-band
   * (PostgreSQL SSLRequest 'S'). Only between messages: bytes received and not yet read refuse the upgrade.
   */
  startTls(): Promise<void>;
  close(): void;
}

export interface TcpConnectOptions {
  tls?: boolean;
}

let shared: tls.SecureContext | undefined;

/**
 * One TLS context for every connection of the process (TCP probes and the HTTP client). With no certificates to
 * present and none verified, every context would be the same, and building one per connection was the largest
 * cost of a run with TLS ports (65,536 TLS endpoints: 27.9 s → 10.4 s, 595 → 472 MiB when shared; docs/benchmark.md).
 * rejectUnauthorized is a connection option, not a context one: each tls.connect still sets it.
 */
export function sharedSecureContext(): tls.SecureContext {
  return (shared ??= tls.createSecureContext());
}

/**
 * Opens one bounded TCP (or TLS, certificate not verified) session. The deadline covers connect, every write and
 * every read; reaching it or the byte cap destroys the socket, so a silent or endless peer costs one timeout.
 */
export function tcpConnect(target: ProbeTarget, limits: Limits, opts: TcpConnectOptions = {}): Promise<TcpSession> {
  let useTls = opts.tls ?? target.tls;
  return new Promise<TcpSession>((resolveConnect, rejectConnect) => {
    if (limits.signal.aborted) return rejectConnect(new EaError('EA_ABORTED', 'aborted before connect'));
    let buffered: Buffer = Buffer.alloc(0);
    let total = 0;
    let capped = false;
    let ended = false;
    let failure: EaError | undefined;
    let connected = false;
    let waiter: { frame: Framer; resolve: (b: Buffer) => void; reject: (e: EaError) => void } | undefined;

    const base = {
      host: target.host,
      port: target.port,
      ...(limits.localAddress ? { localAddress: limits.localAddress } : {}),
    };
    // Auditing our own hosts: self-signed certificates are normal; TLS use is recorded, never trusted.
    const tlsOptions = {
      secureContext: sharedSecureContext(),
      rejectUnauthorized: false,
      ...(target.hostname && !net.isIP(target.hostname) ? { servername: target.hostname } : {}),
    };
    let socket: net.Socket = useTls ? tls.connect({ ...base, ...tlsOptions }) : net.connect(base);

    const fail = (err: EaError) => {
      if (!failure) failure = err;
      cleanup();
      socket.destroy();
      if (!connected) rejectConnect(failure);
      settle();
    };
    const partial = () => Buffer.from(buffered);

    const deadlineTimer = setTimeout(
      () =>
        fail(
          new EaError('EA_TIMEOUT', connected ? 'no complete reply before the deadline' : 'connect timed out', {
            phase: connected ? 'read' : 'connect',
            partial: partial(),
          }),
        ),
      remaining(limits),
    );
    const connectTimer = setTimeout(
      () => {
        if (!connected) fail(new EaError('EA_TIMEOUT', 'connect timed out', { phase: 'connect' }));
      },
      Math.min(limits.connectTimeoutMs, remaining(limits)),
    );
    const onAbort = () => fail(new EaError('EA_ABORTED', 'the run was interrupted', { partial: partial() }));
    limits.signal.addEventListener('abort', onAbort, { once: true });

    function cleanup() {
      clearTimeout(deadlineTimer);
      clearTimeout(connectTimer);
      limits.signal.removeEventListener('abort', onAbort);
    }

    function settle() {
      if (!waiter) return;
      const w = waiter;
      let len: number | undefined;
      try {
        len = w.frame(buffered);
      } catch (err) {
        waiter = undefined;
        return w.reject(new EaError('EA_PROTOCOL', `unparseable reply: ${(err as Error).message}`, { partial: partial() }));
      }
      if (len !== undefined) {
        waiter = undefined;
        const msg = buffered.subarray(0, len);
        buffered = buffered.subarray(len);
        return w.resolve(Buffer.from(msg));
      }
      if (capped) {
        waiter = undefined;
        return w.reject(new EaError('EA_TOO_LARGE', `reply exceeded the ${limits.maxBytes}-byte cap`, { partial: partial() }));
      }
      if (failure) {
        waiter = undefined;
        return w.reject(new EaError(failure.code, failure.message, { ...failure.details, partial: partial() }));
      }
      if (ended) {
        waiter = undefined;
        return w.reject(
          new EaError('EA_CLOSED', 'the peer closed the connection before a complete reply', {
            phase: 'read',
            partial: partial(),
          }),
        );
      }
    }

    socket.once(useTls ? 'secureConnect' : 'connect', () => {
      connected = true;
      clearTimeout(connectTimer);
      resolveConnect(session);
    });
    const onData = (chunk: Buffer) => {
      if (capped) return;
      const room = limits.maxBytes - total;
      if (chunk.length > room) {
        chunk = chunk.subarray(0, room);
        capped = true;
        // Stop reading: the cap is the most this peer may cost us.
        socket.destroy();
      }
      total += chunk.length;
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      settle();
    };
    const onEnd = () => {
      ended = true;
      settle();
    };
    const onError = (err: NodeJS.ErrnoException) => {
      const phase = connected ? 'read' : useTls && err.code === undefined ? 'tls' : 'connect';
      fail(fromSocketError(err, phase));
    };
    const onClose = () => {
      ended = true;
      cleanup();
      settle();
    };
    const listen = (s: net.Socket) => s.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    listen(socket);

    /** TLS over the open socket: the plain socket's listeners move to the TLS one once the handshake is done. */
    function upgrade(): Promise<void> {
      if (useTls) return Promise.reject(new EaError('EA_PROBE_CRASH', 'startTls on a TLS session'));
      if (failure) return Promise.reject(failure);
      if (waiter || buffered.length)
        return Promise.reject(new EaError('EA_PROTOCOL', 'bytes before the TLS handshake', { partial: partial() }));
      const plain = socket;
      plain.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      return new Promise<void>((resolve, reject) => {
        const secure = tls.connect({ ...tlsOptions, socket: plain });
        socket = secure;
        useTls = true;
        const onFail = (err: NodeJS.ErrnoException) => {
          const e = fromSocketError(err, 'tls');
          fail(e);
          reject(e);
        };
        // Destroyed before the handshake ends (the deadline, an abort): the failure recorded, else a close.
        const onGone = () => reject(failure ?? new EaError('EA_CLOSED', 'closed during the TLS handshake', { phase: 'tls' }));
        secure.once('error', onFail).once('close', onGone);
        secure.once('secureConnect', () => {
          secure.off('error', onFail).off('close', onGone);
          listen(secure);
          resolve();
        });
      });
    }

    const session: TcpSession = {
      get tls() {
        return useTls;
      },
      get bytesRead() {
        return total;
      },
      write(data) {
        if (failure) return Promise.reject(failure);
        return new Promise<void>((resolve, reject) => {
          socket.write(data, (err) => (err ? reject(fromSocketError(err, 'write')) : resolve()));
        });
      },
      read(frame) {
        if (waiter) return Promise.reject(new EaError('EA_PROBE_CRASH', 'concurrent read on one session'));
        return new Promise<Buffer>((resolve, reject) => {
          waiter = { frame, resolve, reject };
          settle();
        });
      },
      startTls: upgrade,
      close() {
        cleanup();
        socket.destroy();
      },
    };
  });
}
