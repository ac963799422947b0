import { expect, it } from 'vitest';
import type { Observation } from '../../src/types.js';
import { closedPort, startHttp, startRaw, type FakeServer } from './fake-servers.js';

type Harness = {
  probe(
    service: string,
    host: string,
    port: number,
    opts?: { timeoutMs?: number; maxBytes?: number },
  ): Promise<{ observation: Observation; ms: number }>;
};

/**
 * The rows every store probe's table has, against misbehaving loopback peers on `host` (port 0): wrong service
 * (a catch-all HTTP page, and for TCP probes also a text banner), garbage, oversized, silent, closed. None may
 * come out exposed or auth-required; a silent peer costs one deadline; the byte cap holds.
 */
export function commonStoreRows(harness: () => Harness, service: string, host: string, transport: 'tcp' | 'http') {
  const run = async (start: () => Promise<FakeServer>, opts: { timeoutMs?: number; maxBytes?: number } = {}) => {
    const peer = await start();
    try {
      return { ...(await harness().probe(service, peer.host, peer.port, opts)), peer };
    } finally {
      await peer.close();
    }
  };

  it(`${service}: wrong service (catch-all 200 HTML) → not-detected, at most the first request`, async () => {
    const { observation: o, peer } = await run(() =>
      startHttp(host, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><title>Welcome</title>databases measurements topics buckets labels</html>');
      }),
    );
    if (transport === 'http') {
      expect(o.status).toBe('not-detected');
      expect(peer.received.length).toBe(1);
    } else expect(['not-detected', 'error']).toContain(o.status);
  });

  if (transport === 'tcp')
    it(`${service}: wrong service (text banner/reply) → not-detected or error, never exposed`, async () => {
      const { observation: o } = await run(() => startRaw(host, { kind: 'reply', data: '-ERR unknown command\r\n', thenClose: true }));
      expect(['not-detected', 'error']).toContain(o.status);
    });

  it(`${service}: garbage bytes → not-detected or error`, async () => {
    const { observation: o } = await run(() =>
      startRaw(host, { kind: 'reply', data: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x84, 0x00]), thenClose: true }),
    );
    expect(['not-detected', 'error']).toContain(o.status);
  });

  it(`${service}: oversized reply → stops at the byte cap, never exposed`, async () => {
    const { observation: o, ms } = await run(
      () =>
        transport === 'http'
          ? startHttp(host, (_req, res) => {
              res.writeHead(200, { 'content-type': 'application/json' });
              const chunk = '['.repeat(64 * 1024);
              const pump = () => {
                while (!res.destroyed && res.write(chunk));
                if (!res.destroyed) res.once('drain', pump);
              };
              pump();
            })
          : startRaw(host, { kind: 'endless', chunk: Buffer.alloc(64 * 1024, 0x41) }),
      { maxBytes: 32 * 1024, timeoutMs: 3000 },
    );
    expect(['not-detected', 'error']).toContain(o.status);
    expect(ms).toBeLessThan(3000);
  });

  it(`${service}: silent server → timeout within the deadline`, async () => {
    const { observation: o, ms } = await run(() => startRaw(host, { kind: 'silent' }), { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(ms).toBeLessThan(600 * 2 + 1500);
  });

  it(`${service}: closed port → closed`, async () => {
    const { observation: o } = await harness().probe(service, host, await closedPort(host));
    expect(o.status).toBe('closed');
  });
}
