// The HTTP client's manners toward a server (issue 24 part 2) and its deadline (issue 21 part 7): one keep-alive
// connection per endpoint, requests one after another on it; waiting for that turn is not charged to the deadline,
// yet a silent server costs one deadline; a reply that arrived while this process was busy is read, not timed out. Loopback only: 127.0.9.11–127.0.9.13, port 0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/net/http.js';
import type { Limits } from '../../../src/net/limits.js';

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

  it('does not charge a request for the time it waited behind the endpoint’s other requests', async () => {
    const { port } = await serve('127.0.9.12', (_req, res) => setTimeout(() => res.end('ok'), 300));
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      // One deadline of 500 ms for the attempt, the server takes 300 ms per request, four requests one after another
      // (~1.2 s): the later ones only pass because their wait for the connection is not charged.
      const l = limits(500);
      const all = await Promise.all(
        Array.from({ length: 4 }, (_, i) => client.request({ host: '127.0.9.12', port, tls: false }, { path: `/q${i}` }, l)),
      );
      expect(all.map((r) => r.status)).toEqual(Array(4).fill(200));
    } finally {
      await client.close();
    }
  });

  it('a silent server costs one deadline, not one per queued request', async () => {
    const { port } = await serve('127.0.9.12', () => undefined);
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const l = limits(300);
      const t0 = Date.now();
      const all = await Promise.allSettled(
        Array.from({ length: 4 }, (_, i) => client.request({ host: '127.0.9.12', port, tls: false }, { path: `/s${i}` }, l)),
      );
      expect(all.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'))).toEqual(Array(4).fill('EA_TIMEOUT'));
      // Four deadlines would be 1.2 s; generous bound for a loaded machine.
      expect(Date.now() - t0).toBeLessThan(1100);
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
