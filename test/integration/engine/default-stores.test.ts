import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDefaults, runAudit } from '../../../src/engine/audit.js';
import { expandTargets } from '../../../src/inventory/expand.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { defaultPorts, probeMetas, probes, services } from '../../../src/cli/registry.js';
import { serverAvailable, startServer, stopAll } from '../../support/servers/index.js';
import { startMongoReplay, type MongoReplay } from '../../support/mongodb-replay.js';

/**
 * Issue 11's "done": a host declared WITHOUT `services:` that runs these stores open is reported exposed with what
 * it holds. Real PostgreSQL (trust), MariaDB (root without a password) and memcached, and the MongoDB replay, each
 * on its DEFAULT port on one loopback address (127.0.1.60), audited through the inventory and the engine.
 */
const HOST = '127.0.1.60';
const available = serverAvailable('postgres') && serverAvailable('mariadb') && serverAvailable('memcached');
let mongo: MongoReplay | undefined;

beforeAll(async () => {
  if (!available) return;
  mongo = await startMongoReplay(HOST, 'open-8.0', 27017);
  await Promise.all([
    startServer({ kind: 'postgres', variant: 'open', host: HOST, ports: { postgres: 5432 } }),
    startServer({ kind: 'mariadb', variant: 'open', host: HOST, ports: { mysql: 3306 } }),
    startServer({ kind: 'memcached', variant: 'open', host: HOST, ports: { memcached: 11211 } }),
  ]);
}, 180_000);

afterAll(async () => {
  await mongo?.close();
  await stopAll();
});

describe('stores on their default ports, host declared without services', () => {
  it('each new service has its default port', () => {
    expect(defaultPorts('mongodb')).toEqual([27017]);
    expect(defaultPorts('postgres')).toEqual([5432]);
    expect(defaultPorts('mysql')).toEqual([3306]);
    expect(defaultPorts('memcached')).toEqual([11211]);
  });

  it.skipIf(!available)(
    'are audited by default and reported exposed, with what they hold; nothing else on the host lights up',
    async () => {
      const eps = await expandTargets(parseInventory(`targets:\n  - host: ${HOST}\n    name: forgotten-db-host\n`, 'inv.yaml', services), {
        probes: probeMetas,
        resolver: async () => {
          throw new Error('no lookups');
        },
      });
      const run = await runAudit(eps, { ...auditDefaults, timeoutMs: 5000, probes });
      const by = Object.fromEntries(run.results.filter((r) => r.status !== 'closed').map((r) => [`${r.service}:${r.port}`, r]));
      expect(Object.keys(by).sort()).toEqual(['memcached:11211', 'mongodb:27017', 'mysql:3306', 'postgres:5432']);
      for (const r of Object.values(by)) expect(r.status, `${r.service}: ${JSON.stringify(r.error ?? r.evidence.reply)}`).toBe('exposed');
      expect(by['postgres:5432']!.evidence.product).toBe('PostgreSQL');
      expect(by['mysql:3306']!.evidence.product).toBe('MariaDB');
      expect(by['mongodb:27017']!.data?.items.some((i) => i.name === 'shop.customers')).toBe(true);
      expect(by['mysql:3306']!.data?.totals.tables).toBe(2);
      expect(by['memcached:11211']!.evidence.version).toMatch(/^1\.6\./);
    },
    60_000,
  );
});
