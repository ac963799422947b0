import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zookeeperProbe from '../../../probes/zookeeper.js';
import { startServer, stopAll, tcpExchange, type ServerInstance } from '../../support/servers/index.js';
import { createHarness } from '../../support/probe-harness.js';
import { commonStoreRows } from '../../support/store-rows.js';

// Real ZooKeeper 3.8 (Debian 12 package, java) on 127.0.1.61 (4lw whitelist srvr,mntr) and 127.0.1.62 (default:
// no whitelist line, so only srvr answers).
const harness = createHarness({ probes: [zookeeperProbe], timeoutMs: 3000 });
const servers: Record<string, ServerInstance> = {};

async function mntr(s: ServerInstance): Promise<Record<string, string>> {
  const text = await tcpExchange({ host: s.host, port: s.ports.client!, send: 'mntr', until: () => false, timeoutMs: 3000 });
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((p) => p.length === 2),
  );
}
async function zxid(s: ServerInstance): Promise<string | undefined> {
  const text = await tcpExchange({ host: s.host, port: s.ports.client!, send: 'srvr', until: () => false, timeoutMs: 3000 });
  return /Zxid: (0x[0-9a-f]+)/.exec(text)?.[1];
}

beforeAll(async () => {
  const [open, dflt] = await Promise.all([
    startServer({ kind: 'zookeeper', variant: 'open', host: '127.0.1.61' }),
    startServer({ kind: 'zookeeper', variant: 'default', host: '127.0.1.62' }),
  ]);
  Object.assign(servers, { open, dflt });
}, 90_000);

afterAll(async () => {
  await harness.close();
  await stopAll();
});

describe('zookeeper probe against real ZooKeeper 3.8', () => {
  it('srvr and mntr whitelisted: exposed (stats), version, mode, znode count and data size; says data access was not tested', async () => {
    const s = servers.open!;
    const { observation: o } = await harness.probe('zookeeper', s.host, s.ports.client!);
    expect(o.status).toBe('exposed');
    expect(o.evidence).toMatchObject({ product: 'ZooKeeper', version: '3.8.0', proof: 'srvr' });
    expect(o.facts).toMatchObject({ mode: 'standalone', serverState: 'standalone', fourLetterWords: ['srvr', 'mntr'] });
    expect(o.facts.znodes).toBeGreaterThan(0);
    expect(o.facts.approximateDataBytes).toBeGreaterThan(0);
    // Not read, only reported by the server: no data volume is claimed.
    expect(o.data?.totals).toEqual({});
    expect(o.assessment?.severity).toBe('medium');
    expect(o.evidence.notes?.join(' ')).toMatch(/znode data was not read/);
    expect(o.evidence.requests).toEqual(['srvr', 'mntr']);
  });

  it('default whitelist (srvr only): still exposed through srvr, mntr reported as not whitelisted', async () => {
    const s = servers.dflt!;
    const { observation: o } = await harness.probe('zookeeper', s.host, s.ports.client!);
    expect(o.status).toBe('exposed');
    expect(o.facts.fourLetterWords).toEqual(['srvr']);
    expect(o.evidence.notes?.join(' ')).toMatch(/mntr is not whitelisted/);
  });

  it('read-only: no session is created (zk_global_sessions and Zxid unchanged across three probe runs)', async () => {
    const s = servers.open!;
    const before = await mntr(s);
    const zBefore = await zxid(s);
    for (let i = 0; i < 3; i++) await harness.probe('zookeeper', s.host, s.ports.client!);
    const after = await mntr(s);
    expect(zBefore).toMatch(/^0x/);
    expect(await zxid(s)).toBe(zBefore);
    expect(after.zk_global_sessions).toBe(before.zk_global_sessions);
    expect(after.zk_znode_count).toBe(before.zk_znode_count);
  });
});

commonStoreRows(() => harness, 'zookeeper', '127.0.1.63', 'tcp');
