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
  readonly tls: boolean;
  /** Bytes received so far, including any not yet returned by read(). */
  readonly bytesRead: number;
  write(data: string | Buffer): Promise<void>;
  /** Resolves with the next complete message as framed by `frame`, within the session's limits. */
  read(frame: Framer): Promise<Buffer>;
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
  const useTls = opts.tls ?? target.tls;
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
    const socket: net.Socket = useTls
      ? tls.connect({
          ...base,
          secureContext: sharedSecureContext(),
          // Auditing our own hosts: self-signed certificates are normal; TLS use is recorded, never trusted.
          rejectUnauthorized: false,
          ...(target.hostname && !net.isIP(target.hostname) ? { servername: target.hostname } : {}),
        })
      : net.connect(base);

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
    socket.on('data', (chunk: Buffer) => {
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
    });
    socket.on('end', () => {
      ended = true;
      settle();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const phase = connected ? 'read' : useTls && err.code === undefined ? 'tls' : 'connect';
      fail(fromSocketError(err, phase));
    });
    socket.on('close', () => {
      ended = true;
      cleanup();
      settle();
    });

    const session: TcpSession = {
      tls: useTls,
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
      close() {
        cleanup();
        socket.destroy();
      },
    };
  });
}
