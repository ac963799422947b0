// Stream reads (server-sent events) through HttpClient: onChunk ends the read early, `stop` ends it from outside,
// the request's own timeoutMs returns what arrived, the run's deadline still fails it; DELETE goes out as DELETE.
// Peer on 127.0.22.90.
import { getEventListeners } from 'node:events';
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEaError } from '../../../src/errors.js';
import { HttpClient } from '../../../src/net/http.js';
import type { Limits } from '../../../src/net/limits.js';
import { startHttp, type FakeServer } from '../../support/fake-servers.js';

let peer: FakeServer;
const methods: string[] = [];
const client = new HttpClient({ connectTimeoutMs: 1000 });
const target = () => ({ host: '127.0.22.90', port: peer.port, tls: false });
const limits = (signal: AbortSignal, ms = 60_000): Limits => ({
  deadline: Date.now() + ms,
  connectTimeoutMs: 1000,
  maxBytes: 64 * 1024,
  signal,
});

beforeAll(async () => {
  peer = await startHttp('127.0.22.90', (q: http.IncomingMessage, r: http.ServerResponse) => {
    methods.push(q.method ?? '');
    if (q.url !== '/sse') return r.end('done');
    r.writeHead(200, { 'content-type': 'text/event-stream' });
    r.write('event: endpoint\ndata: /message\n\n');
    // …and the stream stays open, as an SSE transport's does.
  });
});
afterAll(async () => {
  await client.close();
  await peer.close();
});

describe('HttpClient stream reads', () => {
  it('onChunk returning true ends the read with what arrived', async () => {
    const run = new AbortController();
    const res = await client.request(target(), { path: '/sse', onChunk: (c) => c.toString().includes('endpoint') }, limits(run.signal));
    expect(res.ended).toBe('done');
    expect(res.text).toContain('data: /message');
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });
  it('the stop signal ends an open stream from outside', async () => {
    const stop = new AbortController();
    const pending = client.request(
      target(),
      { path: '/sse', onChunk: () => (stop.abort(), false), stop: stop.signal },
      limits(new AbortController().signal),
    );
    const res = await pending;
    expect(res.ended).toBe('done');
    expect(res.status).toBe(200);
  });
  it("the request's own timeoutMs returns the partial stream; the run's deadline is still EA_TIMEOUT", async () => {
    const res = await client.request(
      target(),
      { path: '/sse', timeoutMs: 300, onChunk: () => false },
      limits(new AbortController().signal),
    );
    expect(res.ended).toBe('time');
    expect(res.text).toContain('event: endpoint');
    const err = await client
      .request(target(), { path: '/sse', onChunk: () => false }, limits(new AbortController().signal, 300))
      .catch((e: unknown) => e);
    expect(isEaError(err, 'EA_TIMEOUT')).toBe(true);
    // Without onChunk an own timeout is a plain timeout too: only stream reads keep a partial body.
    const plain = await client
      .request(target(), { path: '/sse', timeoutMs: 300 }, limits(new AbortController().signal))
      .catch((e: unknown) => e);
    expect(isEaError(plain, 'EA_TIMEOUT')).toBe(true);
  });
  it('sends DELETE as DELETE', async () => {
    const res = await client.request(target(), { method: 'DELETE', path: '/mcp' }, limits(new AbortController().signal));
    expect(res.text).toBe('done');
    expect(methods).toContain('DELETE');
  });
});
