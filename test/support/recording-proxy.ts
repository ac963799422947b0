// A loopback HTTP proxy that records every request it forwards (method, path, JSON-RPC methods in the body), so a
// test can prove what reached a real server. Streams both ways (server-sent events pass through as they come).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertLoopback } from './servers/loopback.js';

export interface Recorded {
  method: string;
  path: string;
  /** JSON-RPC `method` of each message in a JSON body (a batch lists several). */
  rpc: string[];
  headers: http.IncomingHttpHeaders;
}

export interface RecordingProxy {
  host: string;
  port: number;
  log: Recorded[];
  close(): Promise<void>;
}

function rpcMethods(body: string): string[] {
  try {
    const v = JSON.parse(body) as unknown;
    const list = Array.isArray(v) ? v : [v];
    return list.map((m) => (m && typeof m === 'object' ? String((m as { method?: unknown }).method ?? '<reply>') : '<not an object>'));
  } catch {
    return body.length ? ['<not JSON>'] : [];
  }
}

/** Listens on host (port 0 = any) and forwards to upstreamHost:upstreamPort, both loopback literals. */
export async function startRecordingProxy(host: string, upstreamHost: string, upstreamPort: number, port = 0): Promise<RecordingProxy> {
  assertLoopback(host);
  assertLoopback(upstreamHost);
  const log: Recorded[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      log.push({ method: req.method ?? '', path: req.url ?? '', rpc: rpcMethods(body.toString('utf8')), headers: req.headers });
      const up = http.request(
        {
          host: upstreamHost,
          port: upstreamPort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `${upstreamHost}:${upstreamPort}` },
        },
        (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      res.on('close', () => up.destroy());
      up.end(body);
    });
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen({ host, port }, resolve));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
