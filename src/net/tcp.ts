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

type Waiter = { frame: Framer; resolve: (b: Buffer) => void; reject: (e: EaError) => void };

/**
 * What the peer sent, up to the byte cap, and the one pending read: settled with the next framed message, or
 * rejected by the cap, the session's failure or the peer's end, each rejection carrying the bytes received.
 */
class Inbox {
  #buffered: Buffer = Buffer.alloc(0);
  #total = 0;
  #capped = false;
  #ended = false;
  #failure: EaError | undefined;
  #waiter: Waiter | undefined;

  constructor(readonly maxBytes: number) {}

  /** Bytes received so far, including any not yet read. */
  get total(): number {
    return this.#total;
  }

  /** The session's first failure (a later one is a consequence of it). */
  get failure(): EaError | undefined {
    return this.#failure;
  }

  /** A read is waiting, or bytes were received and not yet read. */
  get busy(): boolean {
    return this.#waiter !== undefined || this.#buffered.length > 0;
  }

  partial(): Buffer {
    return Buffer.from(this.#buffered);
  }

  /** Keeps the chunk within the cap; `onCap` runs once the cap is reached. */
  receive(chunk: Buffer, onCap: () => void): void {
    if (this.#capped) return;
    const room = this.maxBytes - this.#total;
    if (chunk.length > room) {
      chunk = chunk.subarray(0, room);
      this.#capped = true;
      onCap();
    }
    this.#total += chunk.length;
    this.#buffered = this.#buffered.length ? Buffer.concat([this.#buffered, chunk]) : chunk;
    this.settle();
  }

  /** The peer ended or the socket closed: a read not yet complete never will be. */
  end(): void {
    this.#ended = true;
    this.settle();
  }

  /** Records the failure unless one was recorded already; returns the first. */
  fail(err: EaError): EaError {
    if (!this.#failure) this.#failure = err;
    return this.#failure;
  }

  read(frame: Framer): Promise<Buffer> {
    if (this.#waiter) return Promise.reject(new EaError('EA_PROBE_CRASH', 'concurrent read on one session'));
    return new Promise<Buffer>((resolve, reject) => {
      this.#waiter = { frame, resolve, reject };
      this.settle();
    });
  }

  /** Answers the pending read if what has arrived (or what has happened) decides it. */
  settle(): void {
    if (!this.#waiter) return;
    const w = this.#waiter;
    let len: number | undefined;
    try {
      len = w.frame(this.#buffered);
    } catch (err) {
      this.#waiter = undefined;
      return w.reject(new EaError('EA_PROTOCOL', `unparseable reply: ${(err as Error).message}`, { partial: this.partial() }));
    }
    if (len !== undefined) {
      this.#waiter = undefined;
      const msg = this.#buffered.subarray(0, len);
      this.#buffered = this.#buffered.subarray(len);
      return w.resolve(Buffer.from(msg));
    }
    if (this.#capped) {
      this.#waiter = undefined;
      return w.reject(new EaError('EA_TOO_LARGE', `reply exceeded the ${this.maxBytes}-byte cap`, { partial: this.partial() }));
    }
    const failure = this.#failure;
    if (failure) {
      this.#waiter = undefined;
      return w.reject(new EaError(failure.code, failure.message, { ...failure.details, partial: this.partial() }));
    }
    if (this.#ended) {
      this.#waiter = undefined;
      return w.reject(
        new EaError('EA_CLOSED', 'the peer closed the connection before a complete reply', {
          phase: 'read',
          partial: this.partial(),
        }),
      );
    }
  }
}

/**
 * The session's clocks: the connect timeout (until connected), the deadline (connect, every write and every read)
 * and the run's abort signal. Each ends the session through `fail`; `clear` stops them all.
 */
function startClocks(limits: Limits, inbox: Inbox, isConnected: () => boolean, fail: (err: EaError) => void) {
  const deadlineTimer = setTimeout(
    () =>
      fail(
        new EaError('EA_TIMEOUT', isConnected() ? 'no complete reply before the deadline' : 'connect timed out', {
          phase: isConnected() ? 'read' : 'connect',
          partial: inbox.partial(),
        }),
      ),
    remaining(limits),
  );
  const connectTimer = setTimeout(
    () => {
      if (!isConnected()) fail(new EaError('EA_TIMEOUT', 'connect timed out', { phase: 'connect' }));
    },
    Math.min(limits.connectTimeoutMs, remaining(limits)),
  );
  const onAbort = () => fail(new EaError('EA_ABORTED', 'the run was interrupted', { partial: inbox.partial() }));
  limits.signal.addEventListener('abort', onAbort, { once: true });
  return {
    connected: () => clearTimeout(connectTimer),
    clear() {
      clearTimeout(deadlineTimer);
      clearTimeout(connectTimer);
      limits.signal.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Opens one bounded TCP (or TLS, certificate not verified) session. The deadline covers connect, every write and
 * every read; reaching it or the byte cap destroys the socket, so a silent or endless peer costs one timeout.
 */
export function tcpConnect(target: ProbeTarget, limits: Limits, opts: TcpConnectOptions = {}): Promise<TcpSession> {
  let useTls = opts.tls ?? target.tls;
  return new Promise<TcpSession>((resolveConnect, rejectConnect) => {
    if (limits.signal.aborted) return rejectConnect(new EaError('EA_ABORTED', 'aborted before connect'));
    const inbox = new Inbox(limits.maxBytes);
    let connected = false;

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
      const failure = inbox.fail(err);
      clocks.clear();
      socket.destroy();
      if (!connected) rejectConnect(failure);
      inbox.settle();
    };
    const clocks = startClocks(limits, inbox, () => connected, fail);

    socket.once(useTls ? 'secureConnect' : 'connect', () => {
      connected = true;
      clocks.connected();
      resolveConnect(session);
    });
    // Past the cap, stop reading: the cap is the most this peer may cost us.
    const onData = (chunk: Buffer) => inbox.receive(chunk, () => socket.destroy());
    const onEnd = () => inbox.end();
    const onError = (err: NodeJS.ErrnoException) => {
      const phase = connected ? 'read' : useTls && err.code === undefined ? 'tls' : 'connect';
      fail(fromSocketError(err, phase));
    };
    const onClose = () => {
      clocks.clear();
      inbox.end();
    };
    const listen = (s: net.Socket) => s.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    listen(socket);

    /** TLS over the open socket: the plain socket's listeners move to the TLS one once the handshake is done. */
    function upgrade(): Promise<void> {
      if (useTls) return Promise.reject(new EaError('EA_PROBE_CRASH', 'startTls on a TLS session'));
      if (inbox.failure) return Promise.reject(inbox.failure);
      if (inbox.busy) return Promise.reject(new EaError('EA_PROTOCOL', 'bytes before the TLS handshake', { partial: inbox.partial() }));
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
        const onGone = () => reject(inbox.failure ?? new EaError('EA_CLOSED', 'closed during the TLS handshake', { phase: 'tls' }));
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
        return inbox.total;
      },
      write(data) {
        if (inbox.failure) return Promise.reject(inbox.failure);
        return new Promise<void>((resolve, reject) => {
          socket.write(data, (err) => (err ? reject(fromSocketError(err, 'write')) : resolve()));
        });
      },
      read: (frame) => inbox.read(frame),
      startTls: upgrade,
      close() {
        clocks.clear();
        socket.destroy();
      },
    };
  });
}
