// Real throwaway servers on loopback (addresses 127.0.0.20–127.0.0.40 and ::1 with free ports).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickhouseQuery,
  httpRequest,
  seedRedis,
  serverAvailable,
  startServer,
  stopAll,
  tcpExchange,
  type ServerInstance,
  type ServerKind,
  type StartOptions,
} from '../../support/servers/index.js';

const T = 60_000;

const PLAN: Record<string, StartOptions> = {
  'redis/open': { kind: 'redis', variant: 'open', host: '127.0.0.20' },
  'redis/protected': { kind: 'redis', variant: 'protected', host: '127.0.0.21' },
  'redis/protected-mode': { kind: 'redis', variant: 'protected-mode', host: '127.0.0.22' },
  'redis/limited': { kind: 'redis', variant: 'limited', host: '127.0.0.23' },
  'redis/ipv6': { kind: 'redis', variant: 'open', host: '::1' },
  'clickhouse/open': { kind: 'clickhouse', variant: 'open', host: '127.0.0.24', timezone: 'Europe/Berlin' },
  'clickhouse/protected': { kind: 'clickhouse', variant: 'protected', host: '127.0.0.25' },
  'memcached/open': { kind: 'memcached', variant: 'open', host: '127.0.0.26' },
  'memcached/protected': { kind: 'memcached', variant: 'protected', host: '127.0.0.27' },
  'nginx/open': { kind: 'nginx', variant: 'open', host: '127.0.0.28' },
  'nginx/protected': { kind: 'nginx', variant: 'protected', host: '127.0.0.29' },
  'apache/open': { kind: 'apache', variant: 'open', host: '127.0.0.30' },
  'apache/protected': { kind: 'apache', variant: 'protected', host: '127.0.0.31' },
  'prometheus/open': { kind: 'prometheus', variant: 'open', host: '127.0.0.32' },
  'prometheus/protected': { kind: 'prometheus', variant: 'protected', host: '127.0.0.33' },
  'etcd/open': { kind: 'etcd', variant: 'open', host: '127.0.0.34' },
  'etcd/protected': { kind: 'etcd', variant: 'protected', host: '127.0.0.35' },
};

// All instances start in parallel; each test awaits the ones it needs.
const started = new Map<string, Promise<ServerInstance>>();

// Folders left by a SIGKILLed earlier run: one with a dead owner (swept by the first start), one without an
// owner record (never touched).
const deadOwner = spawnSync('true').pid as number;
const staleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-redis-'));
fs.writeFileSync(path.join(staleDir, 'owner.json'), JSON.stringify({ owner: deadOwner }));
const foreignDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-redis-'));

beforeAll(() => {
  for (const [name, opts] of Object.entries(PLAN)) {
    if (!serverAvailable(opts.kind)) continue;
    const p = startServer(opts);
    p.catch(() => undefined); // reported by the test that awaits it
    started.set(name, p);
  }
});

afterAll(async () => {
  fs.rmSync(foreignDir, { recursive: true, force: true });
  fs.rmSync(staleDir, { recursive: true, force: true });
  await stopAll();
}, T);

function get(name: string): Promise<ServerInstance> {
  const p = started.get(name);
  if (p === undefined) throw new Error(`${name} was not started`);
  return p;
}

/** Gone = /proc/PID missing or a zombie (field 3 of /proc/PID/stat is Z). */
function pidGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

async function stopAndCheck(...instances: ServerInstance[]): Promise<void> {
  await Promise.all(instances.map((i) => i.stop()));
  for (const inst of instances) {
    expect(pidGone(inst.pid), `${inst.kind}/${inst.variant} pid ${inst.pid} gone`).toBe(true);
    expect(fs.existsSync(inst.dir)).toBe(false);
  }
}

const redisCmd = (inst: ServerInstance, line: string, localAddress?: string): Promise<string> =>
  tcpExchange({
    host: inst.host,
    port: inst.ports.redis as number,
    send: `${line}\r\n`,
    ...(localAddress !== undefined ? { localAddress } : {}),
  });

const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

const skip = (kind: ServerKind): boolean => !serverAvailable(kind);

describe('test/support/servers', () => {
  it('refuses non-loopback hosts and names', async () => {
    for (const host of ['192.0.2.1', '0.0.0.0', '::', 'localhost', '127.0.0.256', '::ffff:127.0.0.1', '']) {
      await expect(startServer({ kind: 'redis', variant: 'open', host })).rejects.toThrow(/non-loopback/);
    }
  });

  it('sweeps folders of dead owners only', async () => {
    await Promise.allSettled([...started.values()]);
    expect(fs.existsSync(staleDir)).toBe(false);
    expect(fs.existsSync(foreignDir)).toBe(true);
  });

  it('refuses unknown variants and port names', async () => {
    await expect(startServer({ kind: 'nginx', variant: 'limited', host: '127.0.0.36' })).rejects.toThrow(/no variant/);
    await expect(startServer({ kind: 'redis', variant: 'open', host: '127.0.0.36', ports: { http: 1 } })).rejects.toThrow(
      /unknown port name/,
    );
  });

  it.skipIf(skip('redis'))(
    'redis: open, protected, protected-mode, limited, ::1',
    async () => {
      const [open, prot, pmode, limited, v6] = (await Promise.all(
        ['redis/open', 'redis/protected', 'redis/protected-mode', 'redis/limited', 'redis/ipv6'].map(get),
      )) as [ServerInstance, ServerInstance, ServerInstance, ServerInstance, ServerInstance];

      expect(await redisCmd(open, 'PING')).toBe('+PONG\r\n');
      await seedRedis(open, { 'sess:1': 'a', 'user:2': 'b c' });
      expect(await redisCmd(open, 'DBSIZE')).toBe(':2\r\n');
      expect(open.password).toBeUndefined();

      expect(await redisCmd(prot, 'PING')).toMatch(/^-NOAUTH/);
      expect(prot.password).toBe('s3cret');
      await seedRedis(prot, { k: 'v' });

      // Protected mode is invisible from 127.0.0.1; a client bound to another loopback source is DENIED.
      expect(await redisCmd(pmode, 'PING')).toBe('+PONG\r\n');
      expect(await redisCmd(pmode, 'PING', '127.0.0.9')).toMatch(/^-DENIED Redis is running in protected mode/);

      expect(await redisCmd(limited, 'PING')).toBe('+PONG\r\n');
      expect(await redisCmd(limited, 'INFO server')).toMatch(/^-NOPERM/);

      expect(v6.host).toBe('::1');
      expect(await redisCmd(v6, 'PING')).toBe('+PONG\r\n');

      await stopAndCheck(open, prot, pmode, limited, v6);
    },
    T,
  );

  it.skipIf(skip('redis'))(
    'refuses an explicit port that is taken',
    async () => {
      const inst = await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.36' });
      const port = inst.ports.redis as number;
      await expect(startServer({ kind: 'redis', variant: 'open', host: '127.0.0.36', ports: { redis: port } })).rejects.toThrow(
        /already used|not free/,
      );
      await stopAndCheck(inst);

      // A foreign listener on the exact address and port.
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.37', port: 0 }, resolve));
      const taken = (blocker.address() as net.AddressInfo).port;
      try {
        await expect(startServer({ kind: 'redis', variant: 'open', host: '127.0.0.37', ports: { redis: taken } })).rejects.toThrow(
          /not free/,
        );
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }

      // An explicit free port is used as given.
      const again = await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.36', ports: { redis: port } });
      expect(again.ports.redis).toBe(port);
      expect(await redisCmd(again, 'PING')).toBe('+PONG\r\n');
      await stopAndCheck(again);
    },
    T,
  );

  it.skipIf(skip('clickhouse'))(
    'clickhouse: open (Europe/Berlin) and protected',
    async () => {
      const [open, prot] = await Promise.all([get('clickhouse/open'), get('clickhouse/protected')]);
      for (const inst of [open, prot]) {
        const ping = await httpRequest({ host: inst.host, port: inst.ports.http as number, path: '/ping' });
        expect(ping.body).toBe('Ok.\n');
        expect(inst.ports.native).toBeGreaterThan(0);
      }
      const q = await httpRequest({ host: open.host, port: open.ports.http as number, path: '/?query=SELECT%20timezone()' });
      expect(q.status).toBe(200);
      expect(q.body).toBe('Europe/Berlin\n');

      await clickhouseQuery(open, 'CREATE TABLE events (id UInt32, email String) ENGINE = MergeTree ORDER BY id');
      await clickhouseQuery(open, "INSERT INTO events VALUES (1, 'a@example.com'), (2, 'b@example.com')");
      expect(await clickhouseQuery(open, 'SELECT count() FROM events')).toBe('2\n');

      const denied = await httpRequest({ host: prot.host, port: prot.ports.http as number, path: '/?query=SELECT%201' });
      expect(denied.status).toBe(401);
      expect(denied.body).toMatch(/^Code: 194/);
      expect(denied.headers['x-clickhouse-server-display-name']).toBe('audit-test');
      expect(await clickhouseQuery(prot, 'SELECT 1')).toBe('1\n');
      await expect(clickhouseQuery({ ...prot, password: 'wrong' }, 'SELECT 1')).rejects.toThrow(/Code: 193/);

      await stopAndCheck(open, prot);
    },
    T,
  );

  it.skipIf(skip('memcached'))(
    'memcached: open and protected',
    async () => {
      const [open, prot] = await Promise.all([get('memcached/open'), get('memcached/protected')]);
      const version = (inst: ServerInstance): Promise<string> =>
        tcpExchange({ host: inst.host, port: inst.ports.memcached as number, send: 'version\r\n' });
      expect(await version(open)).toMatch(/^VERSION \d+\.\d+/);
      expect(await version(prot)).toBe('CLIENT_ERROR unauthenticated\r\n');
      await stopAndCheck(open, prot);
    },
    T,
  );

  it.skipIf(skip('nginx'))(
    'nginx: open and protected stub_status',
    async () => {
      const [open, prot] = await Promise.all([get('nginx/open'), get('nginx/protected')]);
      const req = (inst: ServerInstance, path: string, headers: Record<string, string> = {}) =>
        httpRequest({ host: inst.host, port: inst.ports.http as number, path, headers });
      const root = await req(open, '/');
      expect(root.status).toBe(200);
      expect(root.body).toBe('nginx test server\n');
      expect((await req(open, '/ea-0123456789abcdef')).body).toBe('nginx test server\n');
      expect((await req(open, '/nginx_status')).body).toMatch(/^Active connections: \d+/);
      expect((await req(prot, '/nginx_status')).status).toBe(401);
      expect((await req(prot, '/nginx_status', basic('admin', 's3cret'))).status).toBe(200);
      await stopAndCheck(open, prot);
    },
    T,
  );

  it.skipIf(skip('apache'))(
    'apache: open and protected server-status',
    async () => {
      const [open, prot] = await Promise.all([get('apache/open'), get('apache/protected')]);
      const req = (inst: ServerInstance, path: string, headers: Record<string, string> = {}) =>
        httpRequest({ host: inst.host, port: inst.ports.http as number, path, headers });
      const status = await req(open, '/server-status?auto');
      expect(status.status).toBe(200);
      expect(status.body).toMatch(/Total Accesses: \d+/); // ExtendedStatus On
      expect((await req(open, '/')).status).toBe(404);
      expect((await req(prot, '/server-status?auto')).status).toBe(401);
      expect((await req(prot, '/server-status?auto', basic('admin', 's3cret'))).status).toBe(200);
      await stopAndCheck(open, prot);
    },
    T,
  );

  it.skipIf(skip('prometheus'))(
    'prometheus: open and protected',
    async () => {
      const [open, prot] = await Promise.all([get('prometheus/open'), get('prometheus/protected')]);
      const req = (inst: ServerInstance, path: string, headers: Record<string, string> = {}) =>
        httpRequest({ host: inst.host, port: inst.ports.http as number, path, headers });
      const ready = await req(open, '/-/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatch(/Ready/);
      expect((await req(prot, '/-/ready')).status).toBe(401);
      expect((await req(prot, '/-/ready', basic('admin', 's3cret'))).status).toBe(200);
      await stopAndCheck(open, prot);
    },
    T,
  );

  it.skipIf(skip('etcd'))(
    'etcd: open and protected',
    async () => {
      const [open, prot] = await Promise.all([get('etcd/open'), get('etcd/protected')]);
      const range = (inst: ServerInstance) =>
        httpRequest({
          host: inst.host,
          port: inst.ports.client as number,
          path: '/v3/kv/range',
          method: 'POST',
          body: JSON.stringify({ key: 'AA==', range_end: 'AA==', count_only: true }),
        });
      for (const inst of [open, prot]) {
        const health = await httpRequest({ host: inst.host, port: inst.ports.client as number, path: '/health' });
        expect(health.body).toContain('"health":"true"');
        expect(inst.ports.peer).not.toBe(inst.ports.client);
      }
      const openRange = await range(open);
      expect(openRange.status).toBe(200);
      expect(openRange.body).toContain('"cluster_id"');
      const protRange = await range(prot);
      expect(protRange.status).toBe(400);
      expect(protRange.body).toContain('user name is empty');
      expect(prot.user).toBe('root');
      await stopAndCheck(open, prot);
    },
    T,
  );
});
