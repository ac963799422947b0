// A loopback TCP proxy in front of a real server that can play a server too busy to answer: a connection whose
// client speaks while the proxy is stalled is accepted and swallowed (never forwarded, never answered, held open);
// otherwise it is piped to the upstream both ways. Connections that never send a byte (the engine's connect phase:
// a bare connect, then FIN) are only accepted and closed. Counts what it swallowed and forwarded, so a test can wait
// for a condition instead of for time.
import net from 'node:net';
import { assertLoopback } from './servers/loopback.js';

export interface StallProxy {
  host: string;
  port: number;
  /** Connections whose first bytes were swallowed / forwarded so far. */
  readonly swallowed: number;
  readonly forwarded: number;
  /** Swallow every speaking connection from now on. */
  stall(): void;
  /** Swallow the next `n` speaking connections, then forward again. */
  stallNext(n: number): void;
  /** Forward every connection from now on. */
  resume(): void;
  close(): Promise<void>;
}

export async function startStallProxy(host: string, upstreamHost: string, upstreamPort: number): Promise<StallProxy> {
  assertLoopback(host);
  assertLoopback(upstreamHost);
  let swallowLeft = 0;
  let swallowed = 0;
  let forwarded = 0;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const server = net.createServer((client) => {
    track(client);
    client.once('data', (first: Buffer) => {
      if (swallowLeft > 0) {
        swallowLeft--;
        swallowed++;
        client.on('data', () => undefined); // read and ignored: the client waits for a reply that never comes
        return;
      }
      forwarded++;
      const up = net.connect({ host: upstreamHost, port: upstreamPort });
      track(up);
      up.write(first);
      client.pipe(up);
      up.pipe(client);
      up.on('close', () => client.destroy());
      client.on('close', () => up.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    get swallowed() {
      return swallowed;
    },
    get forwarded() {
      return forwarded;
    },
    stall: () => void (swallowLeft = Infinity),
    stallNext: (n) => void (swallowLeft = n),
    resume: () => void (swallowLeft = 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
