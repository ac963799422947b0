// The HTTP client's deadline measures the server (issue 21 part 7): body bytes earn time at a floor rate
// (net/limits.ts: creditBytesPerMs) up to the attempt's cap, so a large reply that keeps flowing is read to its end
// past the deadline, while a peer dripping bytes earns next to nothing and a silent one times out as before.
// No wall-clock assertion: each case waits for its outcome. Loopback only: 127.0.9.21–127.0.9.23, port 0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/net/http.js';
import { creditBytesPerMs, type Limits } from '../../src/net/limits.js';

const servers: http.Server[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
});

const limits = (ms: number, capMs?: number): Limits => ({
  deadline: Date.now() + ms,
  ...(capMs !== undefined ? { cap: Date.now() + capMs } : {}),
  connectTimeoutMs: 1000,
  maxBytes: 1024 * 1024,
  signal: new AbortController().signal,
});

async function serve(host: string, handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, host, r));
  return (server.address() as AddressInfo).port;
}

/** Writes `chunk` every `everyMs` until `untilMs` after the request arrived, then ends; counts what it wrote. */
function streaming(chunk: Buffer, everyMs: number, untilMs: number, sent: { bytes: number }): http.RequestListener {
  return (_req, res) => {
    const until = Date.now() + untilMs;
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = setInterval(() => {
      if (Date.now() >= until) {
        clearInterval(t);
        res.end();
        return;
      }
      res.write(chunk);
      sent.bytes += chunk.length;
    }, everyMs);
    timers.push(t);
  };
}

describe('HttpClient deadline: the server’s time, not this process’s', () => {
  it('a reply still flowing at the deadline is read to its end (its bytes earn time, up to the cap)', async () => {
    const sent = { bytes: 0 };
    // 16 KiB every 50 ms (320 KiB/s, twenty times the floor rate) for 1.5 s past a 500 ms deadline; a cap far enough
    // (120 s) that the credit is never cut by it.
    const port = await serve('127.0.9.21', streaming(Buffer.alloc(16 * 1024, 'x'), 50, 2_000, sent));
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const l = limits(500, 120_000);
      const first = l.deadline;
      const res = await client.request({ host: '127.0.9.21', port, tls: false }, { path: '/_cat/indices' }, l);
      expect(res.status).toBe(200);
      expect(res.truncated).toBe(false);
      expect(res.body.length).toBe(sent.bytes);
      // The reply outlived the first deadline (the server wrote for 2 s), and what it earned is what it sent.
      expect(Date.now()).toBeGreaterThan(first);
      expect(l.deadline - first).toBeCloseTo(sent.bytes / creditBytesPerMs, 0);
    } finally {
      await client.close();
    }
  });

  it('the cap bounds what bytes earn: a reply still flowing at the cap times out there', async () => {
    const sent = { bytes: 0 };
    const port = await serve('127.0.9.22', streaming(Buffer.alloc(16 * 1024, 'x'), 50, 30_000, sent));
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const l = limits(300, 1_200);
      const cap = l.cap!;
      const first = l.deadline;
      await expect(client.request({ host: '127.0.9.22', port, tls: false }, { path: '/' }, l)).rejects.toMatchObject({ code: 'EA_TIMEOUT' });
      // It earned far more than the cap allows (16 KiB = 1 s each), and the deadline stopped at the cap.
      expect(sent.bytes / creditBytesPerMs).toBeGreaterThan(cap - first);
      expect(l.deadline).toBe(cap);
    } finally {
      await client.close();
    }
  });

  it('without a cap the deadline does not move: the same reply times out', async () => {
    const sent = { bytes: 0 };
    const port = await serve('127.0.9.22', streaming(Buffer.alloc(16 * 1024, 'x'), 50, 5_000, sent));
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const l = limits(500);
      const first = l.deadline;
      await expect(client.request({ host: '127.0.9.22', port, tls: false }, { path: '/' }, l)).rejects.toMatchObject({ code: 'EA_TIMEOUT' });
      expect(l.deadline).toBe(first);
    } finally {
      await client.close();
    }
  });

  it('a peer dripping a byte every 100 ms earns next to nothing and times out', async () => {
    const sent = { bytes: 0 };
    const port = await serve('127.0.9.23', streaming(Buffer.from('x'), 100, 60_000, sent));
    const client = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const l = limits(500, 30_000);
      const first = l.deadline;
      await expect(client.request({ host: '127.0.9.23', port, tls: false }, { path: '/' }, l)).rejects.toMatchObject({ code: 'EA_TIMEOUT' });
      // Each byte buys 1/16 ms: the drip moved the deadline by a few milliseconds at most, never toward the cap.
      expect(sent.bytes).toBeGreaterThan(0);
      expect(l.deadline - first).toBeLessThanOrEqual(sent.bytes / creditBytesPerMs);
      expect(l.deadline - first).toBeLessThan(10);
    } finally {
      await client.close();
    }
  });
});
