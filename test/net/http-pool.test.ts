// The HTTP client's manners toward a server (issue 24 part 2) and its deadline (issue 21 part 7): one keep-alive
// connection per endpoint, requests one after another on it; at most `perHostRequests` in flight per host across its
// ports; waiting for that turn is not charged to the deadline; a reply that arrived while this process was busy is
// read, not timed out. Loopback only: 127.0.9.11–127.0.9.13, port 0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/net/http.js';
import type { Limits } from '../../src/net/limits.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
});

const limits = (ms: number): Limits => ({
  deadline: Date.now() + ms,
  connectTimeoutMs: 1000,
  maxBytes: 65536,
  signal: new AbortController().signal,
});

async function serve(host: string, handler: http.RequestListener): Promise<{ port: number; server: http.Server }> {
  const server = http.createServer({ keepAliveTimeout: 5000 }, handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, host, r));
  return { port: (server.address() as AddressInfo).port, server };
}

describe('HttpClient', () => {
  it('sends the requests of one endpoint on one kept-alive connection, one after another', async () => {
    let connections = 0;
    let inFlight = 0;
    let most = 0;
    const { port, server } = await serve('127.0.9.11', (_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 20);
    });
    server.on('connection', () => connections++);
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const target = { host: '127.0.9.11', port, tls: false };
      const all = await Promise.all(Array.from({ length: 8 }, (_, i) => client.request(target, { path: `/p${i}` }, limits(10_000))));
      expect(all.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(connections).toBe(1);
      expect(most).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('keeps at most perHostRequests in flight to one host across its ports, and the wait is not charged', async () => {
    let inFlight = 0;
    let most = 0;
    const handler: http.RequestListener = (_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 300);
    };
    const ports = [];
    for (let i = 0; i < 6; i++) ports.push((await serve('127.0.9.12', handler)).port);
    const client = new HttpClient({ connectTimeoutMs: 1000, perHostRequests: 2 });
    try {
      // Each exchange has 500 ms and the server takes 300: six endpoints at 2 at a time need ~900 ms, so the last ones
      // only pass because their wait for a turn is not charged.
      const all = await Promise.all(
        ports.map((port) => client.request({ host: '127.0.9.12', port, tls: false }, { path: '/' }, limits(500))),
      );
      expect(all.map((r) => r.status)).toEqual(Array(6).fill(200));
      expect(most).toBeLessThanOrEqual(2);
    } finally {
      await client.close();
    }
  });

  it('reads a reply that arrived while the event loop was blocked past the deadline', async () => {
    const { port } = await serve('127.0.9.13', (_req, res) => res.end('x'.repeat(4096)));
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const pending = client.request({ host: '127.0.9.13', port, tls: false }, { path: '/' }, limits(200));
      // This process is busy (another endpoint's parsing) for longer than the whole deadline.
      const until = Date.now() + 600;
      while (Date.now() < until);
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.body.length).toBe(4096);
    } finally {
      await client.close();
    }
  });

  it('still times out a server that does not answer', async () => {
    const { port } = await serve('127.0.9.13', () => undefined);
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      await expect(client.request({ host: '127.0.9.13', port, tls: false }, { path: '/' }, limits(300))).rejects.toMatchObject({
        code: 'EA_TIMEOUT',
      });
    } finally {
      await client.close();
    }
  });
});
