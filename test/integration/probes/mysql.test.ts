import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysqlProbe, { sql } from '../../../probes/mysql.js';
import { decodeQuery, encodeQuery } from '../../../src/protocols/mysql.js';
import { serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';
import { isDeclared } from '../../../src/probe.js';

// Real MariaDB 10.11 (Debian mariadb-server) on 127.0.1.31–33; misbehaving peers on 127.0.1.34–39.
const harness = createHarness({ probes: [mysqlProbe] });
const servers: Record<string, ServerInstance> = {};
const fakes: Record<string, FakeServer> = {};
let closed = 0;
const available = serverAvailable('mariadb');

/** A MySQL 8.4-style greeting whose default plugin is caching_sha2_password, for the auth-switch rows. */
function greeting(version: string, plugin: string): Buffer {
  const body = Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(`${version}\0`),
    Buffer.from([1, 0, 0, 0]),
    Buffer.from('abcdefgh'),
    Buffer.from([0]),
    Buffer.from([0xff, 0xf7]),
    Buffer.from([0xff]),
    Buffer.from([2, 0]),
    Buffer.from([0xff, 0xdf]),
    Buffer.from([21]),
    Buffer.alloc(10),
    Buffer.from('ijklmnopqrst\0'),
    Buffer.from(`${plugin}\0`),
  ]);
  const h = Buffer.alloc(4);
  h.writeUIntLE(body.length, 0, 3);
  return Buffer.concat([h, body]);
}
const pkt = (seq: number, payload: Buffer) => {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
};
// ERR 1045 as MySQL 8.4 sends it after an empty caching_sha2 response
// (https://dev.mysql.com/doc/mysql-errors/8.4/en/server-error-reference.html#error_er_access_denied_error).
const err1045 = pkt(
  2,
  Buffer.concat([Buffer.from([0xff, 0x15, 0x04]), Buffer.from("#28000Access denied for user 'root'@'127.0.0.1' (using password: NO)")]),
);

/**
 * A scripted MySQL 8.4 peer: greeting (default plugin caching_sha2_password), then, after the client's
 * HandshakeResponse, an AuthSwitchRequest (0xfe, plugin name, 20-byte scramble) as the server sends when the
 * client named another plugin (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html),
 * then `final` after the client's answer. Records every client packet.
 */
async function mysql8(host: string, final: Buffer): Promise<{ port: number; received: Buffer[]; close(): Promise<void> }> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    sock.write(greeting('8.4.3', 'caching_sha2_password'));
    let n = 0;
    sock.on('data', (d) => {
      received.push(d);
      if (n++ === 0)
        sock.write(
          pkt(
            2,
            Buffer.concat([
              Buffer.from([0xfe]),
              Buffer.from('caching_sha2_password\0'),
              Buffer.from('ABCDEFGHIJKLMNOPQRST'),
              Buffer.from([0]),
            ]),
          ),
        );
      else sock.write(final);
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

beforeAll(async () => {
  fakes.http = await startHttp('127.0.1.34', (_req, res) => res.end('<html>hello</html>'));
  fakes.ssh = await startRaw('127.0.1.35', { kind: 'banner', data: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' });
  fakes.garbage = await startRaw('127.0.1.36', { kind: 'banner', data: Buffer.from([0x05, 0x00, 0x00, 0x00, 0x13, 0x37, 0, 0, 0]) });
  fakes.oversized = await startRaw('127.0.1.37', {
    kind: 'banner',
    data: Buffer.concat([Buffer.from([0xff, 0xff, 0x0f, 0x00, 0x0a]), Buffer.alloc(70_000, 0x41)]),
  });
  fakes.silent = await startRaw('127.0.1.38', { kind: 'silent' });
  closed = await closedPort('127.0.1.34');
  if (!available) return;
  const [open, secured, denied] = await Promise.all([
    startServer({ kind: 'mariadb', variant: 'open', host: '127.0.1.31' }),
    startServer({ kind: 'mariadb', variant: 'protected', host: '127.0.1.32' }),
    startServer({ kind: 'mariadb', variant: 'denied', host: '127.0.1.33' }),
  ]);
  Object.assign(servers, { open, secured, denied });
}, 180_000);

afterAll(async () => {
  await harness.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  await stopAll();
});

describe.skipIf(!available)('mysql probe against real MariaDB 10.11', () => {
  it('root without a password over TCP: exposed, with version, schemata, tables, sizes and columns', async () => {
    const s = servers.open!;
    const { observation: o } = await harness.probe('mysql', s.host, s.ports.mysql!);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('MariaDB');
    expect(o.evidence.version).toMatch(/^10\.11\.\d+$/);
    expect(o.facts.serverVersion).toMatch(/^5\.5\.5-10\.11\./);
    const items = o.data!.items;
    expect(items.find((i) => i.kind === 'database' && i.name === 'shop')?.bytes).toBeGreaterThan(0);
    expect(items.find((i) => i.name === 'shop.customers')).toMatchObject({
      kind: 'table',
      engine: 'InnoDB',
      fields: ['id', 'email', 'api_key'],
    });
    expect(items.find((i) => i.name === 'shop.orders')).toMatchObject({ kind: 'table', fields: ['id', 'total'] });
    expect(o.data!.totals).toMatchObject({ tables: 2 });
    expect(o.evidence.requests).toHaveLength(5);
  });

  it('--sample 2: secrets counted in the sensitive-looking table', async () => {
    const s = servers.open!;
    const { observation: o } = await harness.probe('mysql', s.host, s.ports.mysql!, { sampleRows: 2 });
    expect(o.data!.sample?.sources).toEqual(['shop.customers']);
    expect(o.data!.sample?.rows).toBe(2);
    expect(o.data!.sample!.secrets.map((x) => x.pattern)).toEqual(expect.arrayContaining(['stripe-key', 'email']));
  });

  it('root with a password: auth-required from ERR 1045 (using password: NO)', async () => {
    const s = servers.secured!;
    const { observation: o } = await harness.probe('mysql', s.host, s.ports.mysql!);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.reply).toMatch(/^ERR 1045 \(28000\): Access denied for user 'root'@'127\.0\.0\.1' \(using password: NO\)/);
    expect(o.evidence.requests).toHaveLength(1);
  });

  it('no account for this host: denied from ERR 1130 sent instead of the handshake, nothing sent', async () => {
    const s = servers.denied!;
    const { observation: o } = await harness.probe('mysql', s.host, s.ports.mysql!);
    expect(o.status).toBe('denied');
    expect(o.evidence.reply).toMatch(/^ERR 1130: Host '127\.0\.0\.1' is not allowed to connect to this MariaDB server/);
    expect(o.evidence.requests).toEqual([]);
  });
});

describe('mysql probe: MySQL 8.4 replays, wrong service and misbehaving peers', () => {
  it.each([
    ['ssh banner', 'ssh'],
    ['garbage greeting', 'garbage'],
    ['oversized greeting', 'oversized'],
  ] as const)('%s → not-detected, nothing sent', async (_n, key) => {
    const f = fakes[key]!;
    const { observation: o } = await harness.probe('mysql', f.host, f.port);
    expect(o.status).toBe('not-detected');
    expect(o.evidence.requests).toEqual([]);
  });

  it.each([
    [
      'OK after the empty answer (caching_sha2 root without a password)',
      pkt(4, Buffer.from([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00])),
      'exposed',
    ],
    ['ERR 1045 after the empty answer', err1045, 'auth-required'],
  ] as const)('MySQL 8.4 auth switch to caching_sha2_password, %s → %s', async (_n, final, status) => {
    const peer = await mysql8('127.0.1.39', final);
    try {
      const { observation: o } = await harness.probe('mysql', '127.0.1.39', peer.port);
      expect(o.status).toBe(status);
      expect(o.evidence.product).toBe('MySQL');
      expect(o.evidence.version).toBe('8.4.3');
      expect(o.facts.authPlugin).toBe('caching_sha2_password');
      // The answer to the switch is an empty auth response: header only, length 0, sequence 3.
      expect(peer.received[1]?.subarray(0, 4).toString('hex')).toBe('00000003');
    } finally {
      await peer.close();
    }
  });

  it('an HTTP server waits for the client: timeout (the MySQL server always speaks first), never a verdict', async () => {
    const f = fakes.http!;
    const { observation: o } = await harness.probe('mysql', f.host, f.port, { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(o.evidence.requests).toEqual([]);
  });

  it('silent server: timeout', async () => {
    const f = fakes.silent!;
    const { observation: o, ms } = await harness.probe('mysql', f.host, f.port, { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(ms).toBeLessThan(2100);
  });

  it('closed port: closed', async () => {
    const { observation: o } = await harness.probe('mysql', '127.0.1.34', closed);
    expect(o.status).toBe('closed');
  });

  it('the declared SQL is what COM_QUERY carries', () => {
    for (const q of Object.values(sql)) {
      expect(isDeclared(mysqlProbe.meta.sends, `COM_QUERY "${q}"`)).toBe(true);
      expect(decodeQuery(encodeQuery(q))).toBe(q);
    }
  });
});
