// The HTTP client's deadline measures the server (issue 21 part 7): body bytes earn time at a floor rate
// (net/limits.ts: creditBytesPerMs) up to the attempt's cap, so a large reply that keeps flowing is read to its end
// past the deadline, while a peer dripping bytes earns next to nothing and a silent one times out as before.
// No wall-clock assertion: each case waits for its outcome. Loopback only: 127.0.9.21–127.0.9.23, port 0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/net/http.js';
import { creditBytesPerMs, type Limits } from '../../../src/net/limits.js';

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

/** A server writing `chunk` every `everyMs` for a minute; the request under `l` must end in EA_TIMEOUT. */
async function timesOut(host: string, chunk: Buffer, everyMs: number, l: Limits): Promise<{ sent: number; first: number }> {
  const sent = { bytes: 0 };
  const port = await serve(host, streaming(chunk, everyMs, 60_000, sent));
  const client = new HttpClient({ connectTimeoutMs: 1000 });
  const first = l.deadline;
  try {
    await expect(client.request({ host, port, tls: false }, { path: '/' }, l)).rejects.toMatchObject({ code: 'EA_TIMEOUT' });
    return { sent: sent.bytes, first };
  } finally {
    await client.close();
  }
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
    const l = limits(300, 1_200);
    const { sent, first } = await timesOut('127.0.9.22', Buffer.alloc(16 * 1024, 'x'), 50, l);
    // It earned far more than the cap allows (16 KiB = 1 s each), and the deadline stopped at the cap.
    expect(sent / creditBytesPerMs).toBeGreaterThan(l.cap! - first);
    expect(l.deadline).toBe(l.cap);
  });

  it('without a cap the deadline does not move: the same reply times out', async () => {
    const l = limits(500);
    const { first } = await timesOut('127.0.9.22', Buffer.alloc(16 * 1024, 'x'), 50, l);
    expect(l.deadline).toBe(first);
  });

  it('a peer dripping a byte every 100 ms earns next to nothing and times out', async () => {
    const l = limits(500, 30_000);
    const { sent, first } = await timesOut('127.0.9.23', Buffer.from('x'), 100, l);
    // Each byte buys 1/16 ms: the drip moved the deadline by a few milliseconds at most, never toward the cap.
    expect(sent).toBeGreaterThan(0);
    expect(l.deadline - first).toBeLessThanOrEqual(sent / creditBytesPerMs);
    expect(l.deadline - first).toBeLessThan(10);
  });
});
