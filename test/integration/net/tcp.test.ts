import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEaError } from '../../../src/errors.js';
import type { Limits } from '../../../src/net/limits.js';
import { tcpConnect } from '../../../src/net/tcp.js';
import { frameResp } from '../../../src/protocols/resp.js';
import { closedPort, selfSignedCert, startRaw, type FakeServer } from '../../support/fake-servers.js';

// Peers on 127.0.0.121–125.
const limits = (over: Partial<Limits> = {}): Limits => ({
  deadline: Date.now() + 1000,
  connectTimeoutMs: 500,
  maxBytes: 64 * 1024,
  signal: new AbortController().signal,
  ...over,
});
const target = (f: { host: string; port: number }) => ({ host: f.host, port: f.port, tls: false });
const fakes: Record<string, FakeServer> = {};
let seenFrom = '';
let sourceServer: net.Server;
let sourcePort = 0;

beforeAll(async () => {
  fakes.silent = await startRaw('127.0.0.121', { kind: 'silent' });
  fakes.endless = await startRaw('127.0.0.122', { kind: 'endless' });
  fakes.chunked = await startRaw('127.0.0.123', { kind: 'reply', data: '$5\r\nhel' });
  fakes.reset = await startRaw('127.0.0.124', { kind: 'reset' });
  sourceServer = net.createServer((s) => {
    seenFrom = s.remoteAddress ?? '';
    s.end('+OK\r\n');
  });
  await new Promise<void>((r) => sourceServer.listen(0, '127.0.0.125', r));
  sourcePort = (sourceServer.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  sourceServer.close();
});

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isEaError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('tcpConnect', () => {
  it('a silent peer costs one deadline, then EA_TIMEOUT in the read phase', async () => {
    const s = await tcpConnect(target(fakes.silent!), limits({ deadline: Date.now() + 300 }));
    await s.write('PING\r\n');
    const t0 = Date.now();
    const err = await failure(s.read(frameResp));
    expect(err.code).toBe('EA_TIMEOUT');
    expect(err.details.phase).toBe('read');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('an endless peer is cut at the byte cap with the partial bytes kept', async () => {
    const s = await tcpConnect(target(fakes.endless!), limits({ maxBytes: 10_000 }));
    await s.write('x');
    const err = await failure(s.read(() => undefined));
    expect(err.code).toBe('EA_TOO_LARGE');
    expect(err.details.partial?.length).toBe(10_000);
    expect(s.bytesRead).toBe(10_000);
  });

  it('a reply cut short by the peer is EA_CLOSED or a timeout, never a hang', async () => {
    const s = await tcpConnect(target(fakes.chunked!), limits({ deadline: Date.now() + 300 }));
    await s.write('GET\r\n');
    const err = await failure(s.read(frameResp));
    expect(['EA_TIMEOUT', 'EA_CLOSED']).toContain(err.code);
    expect(err.details.partial?.toString()).toBe('$5\r\nhel');
  });

  it('a reset is EA_RESET', async () => {
    const s = await tcpConnect(target(fakes.reset!), limits());
    await s.write('x');
    const err = await failure(s.read(frameResp));
    expect(['EA_RESET', 'EA_CLOSED']).toContain(err.code);
  });

  it('a closed port is EA_REFUSED', async () => {
    const port = await closedPort('127.0.0.121');
    expect((await failure(tcpConnect({ host: '127.0.0.121', port, tls: false }, limits()))).code).toBe('EA_REFUSED');
  });

  it('abort stops a pending read at once', async () => {
    const ac = new AbortController();
    const s = await tcpConnect(target(fakes.silent!), limits({ signal: ac.signal, deadline: Date.now() + 5000 }));
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    expect((await failure(s.read(frameResp))).code).toBe('EA_ABORTED');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('binds the source address when asked', async () => {
    const s = await tcpConnect({ host: '127.0.0.125', port: sourcePort, tls: false }, limits({ localAddress: '127.0.0.9' }));
    expect((await s.read(frameResp)).toString()).toBe('+OK\r\n');
    s.close();
    expect(seenFrom).toBe('127.0.0.9');
  });

  it('TLS to a plaintext server fails as a TLS/closed error, not a hang', async () => {
    const err = await failure(tcpConnect({ ...target(fakes.silent!), tls: true }, limits({ deadline: Date.now() + 300 })));
    expect(['EA_TIMEOUT', 'EA_TLS', 'EA_RESET', 'EA_CLOSED']).toContain(err.code);
  });
});

// In-band TLS (PostgreSQL SSLRequest): a peer that answers 8 bytes with 'S' (plus `extra`), then speaks TLS and
// answers `PING` with `+OK`. On 127.0.0.125, port 0.
const cert = selfSignedCert();
async function startTlsPeer(extra = ''): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((plain) => {
    plain.once('data', () => {
      plain.write(`S${extra}`);
      const secure = new tls.TLSSocket(plain, { isServer: true, key: cert!.key, cert: cert!.cert });
      secure.on('data', (d) => d.toString().startsWith('PING') && secure.write('+OK\r\n'));
      secure.on('error', () => undefined);
    });
    plain.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.125', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

describe.skipIf(!cert)('tcpConnect: startTls on an open plain session', () => {
  it("after 'S', the same session speaks TLS and says so", async () => {
    const peer = await startTlsPeer();
    try {
      const s = await tcpConnect({ host: '127.0.0.125', port: peer.port, tls: false }, limits({ deadline: Date.now() + 5000 }));
      await s.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
      expect((await s.read((b) => (b.length ? 1 : undefined))).toString()).toBe('S');
      expect(s.tls).toBe(false);
      await s.startTls();
      expect(s.tls).toBe(true);
      await s.write('PING\r\n');
      expect((await s.read(frameResp)).toString()).toBe('+OK\r\n');
      s.close();
    } finally {
      peer.close();
    }
  });

  it('bytes injected before the handshake refuse the upgrade (no plaintext read as if it came over TLS)', async () => {
    const peer = await startTlsPeer('+INJECTED\r\n');
    try {
      const s = await tcpConnect({ host: '127.0.0.125', port: peer.port, tls: false }, limits({ deadline: Date.now() + 5000 }));
      await s.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
      await s.read((b) => (b.length ? 1 : undefined));
      // Wait until the injected bytes have arrived, then ask for TLS.
      for (let i = 0; i < 100 && s.bytesRead < 12; i++) await new Promise((r) => setTimeout(r, 20));
      const err = await failure(s.startTls());
      expect(err.code).toBe('EA_PROTOCOL');
      s.close();
    } finally {
      peer.close();
    }
  });
});
