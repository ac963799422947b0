import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEaError } from '../../../src/errors.js';
import { HttpClient } from '../../../src/net/http.js';
import type { Limits } from '../../../src/net/limits.js';
import { sharedSecureContext, tcpConnect } from '../../../src/net/tcp.js';
import { selfSignedCert, startHttp, startHttps, startRaw, startTlsRaw, type FakeServer } from '../../support/fake-servers.js';

// Peers on 127.0.0.246–249: an HTTP server, a silent one, and (when openssl is installed) HTTPS and raw TLS.
const peers: Record<string, FakeServer> = {};
const client = new HttpClient({ connectTimeoutMs: 500 });
const limits = (signal: AbortSignal, ms = 60_000): Limits => ({
  deadline: Date.now() + ms,
  connectTimeoutMs: 500,
  maxBytes: 64 * 1024,
  signal,
});
const cert = selfSignedCert();

beforeAll(async () => {
  peers.web = await startHttp('127.0.0.246', (_q, r) => r.end('hello'));
  peers.silent = await startRaw('127.0.0.247', { kind: 'silent' });
  if (cert) {
    peers.https = await startHttps('127.0.0.248', cert, (_q, r) => r.end('secure hello'));
    peers.tls = await startTlsRaw('127.0.0.249', cert, { kind: 'reply', data: '+PONG\r\n' });
  }
});
afterAll(async () => {
  await client.close();
  await Promise.all(Object.values(peers).map((p) => p.close()));
});

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('HttpClient: one deadline timer per request, let go when the request ends', () => {
  it('a finished request leaves no timer and no listener on the run signal (deadline 60 s)', async () => {
    const run = new AbortController();
    const before = timers();
    for (let i = 0; i < 5; i++) {
      const res = await client.request({ host: '127.0.0.246', port: peers.web!.port, tls: false }, { path: '/' }, limits(run.signal));
      expect(res.text).toBe('hello');
    }
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it("requests under a probe attempt's AbortSignal.any leave no listener on it (Node keeps such a signal alive while it has one)", async () => {
    const run = new AbortController();
    const attempts = Array.from({ length: 3 }, () => AbortSignal.any([run.signal, new AbortController().signal]));
    // Concurrent requests under one signal share its one listener; it goes with the last of them.
    await Promise.all(
      attempts.flatMap((signal) =>
        [0, 1].map(() => client.request({ host: '127.0.0.246', port: peers.web!.port, tls: false }, { path: '/' }, limits(signal))),
      ),
    );
    for (const signal of attempts) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('silence until the deadline is EA_TIMEOUT, and the listener is gone afterwards', async () => {
    const run = new AbortController();
    const t0 = Date.now();
    const err = await client
      .request({ host: '127.0.0.247', port: peers.silent!.port, tls: false }, { path: '/' }, limits(run.signal, 300))
      .catch((e: unknown) => e);
    expect(isEaError(err) && err.code).toBe('EA_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('the run interrupted mid-request is EA_ABORTED at once', async () => {
    const run = new AbortController();
    const t0 = Date.now();
    setTimeout(() => run.abort(), 100);
    const err = await client
      .request({ host: '127.0.0.247', port: peers.silent!.port, tls: false }, { path: '/' }, limits(run.signal))
      .catch((e: unknown) => e);
    expect(isEaError(err) && err.code).toBe('EA_ABORTED');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('one TLS context for the process', () => {
  it('is created once', () => {
    expect(sharedSecureContext()).toBe(sharedSecureContext());
  });

  it.skipIf(!cert)('TLS sessions and HTTPS requests over it still accept a self-signed certificate (never verified)', async () => {
    const run = new AbortController();
    for (let i = 0; i < 3; i++) {
      const s = await tcpConnect({ host: '127.0.0.249', port: peers.tls!.port, tls: true }, limits(run.signal, 3000));
      try {
        expect(s.tls).toBe(true);
        await s.write('PING\r\n');
        expect((await s.read((b) => (b.includes(10) ? b.indexOf(10) + 1 : undefined))).toString()).toBe('+PONG\r\n');
      } finally {
        s.close();
      }
      const res = await client.request(
        { host: '127.0.0.248', port: peers.https!.port, tls: true },
        { path: '/' },
        limits(run.signal, 3000),
      );
      expect([res.status, res.text, res.tls]).toEqual([200, 'secure hello', true]);
    }
  });
});
