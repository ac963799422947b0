import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { selfSignedCertArgs } from './servers/self-signed.js';

/** Small misbehaving peers on loopback, port 0, for the cases real servers never produce. */
export interface FakeServer {
  host: string;
  port: number;
  /** Raw bytes each connection sent, in arrival order. */
  received: Buffer[];
  /** Connections accepted so far (set by startRaw, startTlsRaw, startHttp, startHttps). */
  connections?: () => number;
  close(): Promise<void>;
}

export type RawBehaviour = RawKind & {
  /** Act at accept, as if the client had spoken (server-first protocols: MySQL's greeting, banners). */
  speakFirst?: boolean;
};

type RawKind =
  | { kind: 'silent' } // accepts and never answers (a tarpit)
  | { kind: 'reply'; data: Buffer | string; thenClose?: boolean } // answers the first bytes with data
  | { kind: 'banner'; data: Buffer | string } // speaks first, then stays open
  | { kind: 'endless'; chunk?: Buffer | string; prefix?: Buffer | string } // streams forever once spoken to (after `prefix`, if any)
  | { kind: 'close' } // closes as soon as anything arrives
  | { kind: 'reset' } // RST on first bytes
  | { kind: 'drip'; data: Buffer | string; intervalMs: number; repeat?: boolean } // once spoken to, one byte per interval
  | { kind: 'resetAfter'; data: Buffer | string } // answers the first bytes with data, then RST (a reset mid-reply)
  | { kind: 'closeOnAccept' }; // closes right after accept, before reading anything

/** Listens on `host`, port 0, counting and tracking every raw connection so close() can end them all at once. */
async function listenTracked(server: net.Server, host: string, received: Buffer[]): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  server.on('connection', (raw: net.Socket) => {
    accepted++;
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host,
    port,
    received,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        // Destroying the raw sockets also ends any HTTP or TLS session on top of them.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function startRaw(host: string, behaviour: RawBehaviour): Promise<FakeServer> {
  const received: Buffer[] = [];
  return listenTracked(
    net.createServer((socket) => serveRaw(socket, behaviour, received)),
    host,
    received,
  );
}

/** One connection of a raw peer (plain TCP or, via startTlsRaw, after the TLS handshake). */
function serveRaw(socket: net.Socket, behaviour: RawBehaviour, received: Buffer[]): void {
  socket.on('error', () => undefined);
  if (behaviour.kind === 'closeOnAccept') {
    socket.destroy();
    return;
  }
  if (behaviour.kind === 'banner') socket.write(behaviour.data);
  let timer: NodeJS.Timeout | undefined;
  let streaming = false;
  socket.once('close', () => clearInterval(timer));
  const respond = () => {
    switch (behaviour.kind) {
      case 'reply':
        socket.write(behaviour.data);
        if (behaviour.thenClose) socket.end();
        break;
      case 'endless': {
        if (behaviour.prefix !== undefined) {
          if (streaming) break; // already streaming on this connection
          streaming = true;
          socket.write(behaviour.prefix);
        }
        const chunk = Buffer.from(behaviour.chunk ?? 'x'.repeat(16 * 1024));
        // Bounded by the client: it destroys the socket at its byte cap; the loop stops on close.
        const pump = () => {
          while (!socket.destroyed && socket.write(chunk));
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
        break;
      }
      case 'close':
        socket.end();
        break;
      case 'reset':
        socket.resetAndDestroy();
        break;
      case 'drip': {
        if (timer) break;
        const data = Buffer.from(behaviour.data);
        let i = 0;
        // Bounded: stops at the end of data (unless repeat) and always on close.
        timer = setInterval(() => {
          if (socket.destroyed || (!behaviour.repeat && i >= data.length)) return clearInterval(timer);
          socket.write(data.subarray(i % data.length, (i % data.length) + 1));
          i++;
        }, behaviour.intervalMs);
        break;
      }
      case 'resetAfter':
        // Let the reply reach the client's socket before the RST, so it is a reset mid-reply, not before it.
        socket.write(behaviour.data, () => setTimeout(() => !socket.destroyed && socket.resetAndDestroy(), 30));
        break;
      default:
        break;
    }
  };
  socket.on('data', (d) => {
    received.push(d);
    // A speak-first peer already acted at accept; later bytes are only recorded (except for streams, which
    // ignore repeats themselves).
    if (!behaviour.speakFirst) respond();
  });
  if (behaviour.speakFirst) respond();
}

/** An HTTP server answering every path with the same handler (a catch-all when it ignores the path). */
export async function startHttp(host: string, handler: http.RequestListener): Promise<FakeServer> {
  const received: Buffer[] = [];
  const server = http.createServer((req, res) => {
    received.push(Buffer.from(`${req.method} ${req.url}`));
    handler(req, res);
  });
  return listenTracked(server, host, received);
}

/** A port on `host` that nothing listens on (bound, then released). */
export async function closedPort(host: string): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface TlsCredentials {
  key: string;
  cert: string;
}

let certCache: TlsCredentials | null | undefined;

/**
 * A throwaway self-signed certificate (EC P-256, CN and SAN 127.0.0.1, one day) made with the `openssl` CLI at
 * test time; undefined when openssl is not installed (callers skip their TLS-server case and say why).
 */
export function selfSignedCert(): TlsCredentials | undefined {
  if (certCache !== undefined) return certCache ?? undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'ea-cert-'));
  try {
    execFileSync('openssl', selfSignedCertArgs(path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')), {
      stdio: 'ignore',
      timeout: 15_000,
    });
    certCache = { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } catch {
    certCache = null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return certCache ?? undefined;
}

/** A raw peer behind a real TLS handshake: the behaviour starts once the handshake is done. */
export async function startTlsRaw(host: string, creds: TlsCredentials, behaviour: RawBehaviour): Promise<FakeServer> {
  const received: Buffer[] = [];
  const server = tls.createServer({ ...creds }, (socket) => serveRaw(socket, behaviour, received));
  server.on('tlsClientError', () => undefined);
  return listenTracked(server, host, received);
}

/** HTTPS twin of startHttp. */
export async function startHttps(host: string, creds: TlsCredentials, handler: http.RequestListener): Promise<FakeServer> {
  const received: Buffer[] = [];
  const server = https.createServer({ ...creds }, (req, res) => {
    received.push(Buffer.from(`${req.method} ${req.url}`));
    handler(req, res);
  });
  server.on('tlsClientError', () => undefined);
  return listenTracked(server, host, received);
}
