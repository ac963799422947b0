import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { serverAvailable, startServer, stopAll } from '../../support/servers/index.js';

/**
 * The InfluxDB 1.6 and ZooKeeper 3.8 recipes: every listening socket of the server process is on the instance's
 * loopback literal (Debian's defaults are :8086, :8082, 127.0.0.1:8088 for influxd and all interfaces for
 * ZooKeeper's client port and AdminServer), and stop() ends the process and removes its folder.
 */
afterAll(() => stopAll());

/** Listening TCP sockets (IPv4 and IPv6) owned by `pid` (its threads share the fd table), as "addr:port". */
function listeningSockets(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // fd closed meanwhile
    }
  }
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== '0A' || !inodes.has(f[9]!)) continue; // 0A = LISTEN
      const [hex, port] = f[1]!.split(':');
      const addr = hex!.length === 8 ? [3, 2, 1, 0].map((i) => parseInt(hex!.slice(i * 2, i * 2 + 2), 16)).join('.') : `v6:${hex}`;
      out.push(`${addr}:${parseInt(port!, 16)}`);
    }
  }
  return out;
}

describe('test/support/servers: store recipes bind only their loopback literal', () => {
  it.skipIf(!serverAvailable('influxdb'))(
    'influxdb: every listener on 127.0.1.71, stopped by pid',
    async () => {
      const s = await startServer({ kind: 'influxdb', variant: 'open', host: '127.0.1.71' });
      const sockets = listeningSockets(s.pid);
      expect(sockets).toContain(`127.0.1.71:${s.ports.http}`);
      for (const l of sockets) expect(l).toMatch(/^127\.0\.1\.71:/);
      await s.stop();
      expect(fs.existsSync(`/proc/${s.pid}/stat`) && !/\) Z /.test(fs.readFileSync(`/proc/${s.pid}/stat`, 'utf8'))).toBe(false);
      expect(fs.existsSync(s.dir)).toBe(false);
    },
    60_000,
  );

  it.skipIf(!serverAvailable('zookeeper') || !fs.existsSync('/usr/share/java/zookeeper.jar'))(
    'zookeeper: every listener on 127.0.1.72 (AdminServer off), stopped by pid',
    async () => {
      const s = await startServer({ kind: 'zookeeper', variant: 'open', host: '127.0.1.72' });
      const sockets = listeningSockets(s.pid);
      expect(sockets).toContain(`127.0.1.72:${s.ports.client}`);
      for (const l of sockets) expect(l).toMatch(/^127\.0\.1\.72:/);
      await s.stop();
      expect(fs.existsSync(s.dir)).toBe(false);
    },
    60_000,
  );
});
