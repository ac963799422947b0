import { describe, expect, it } from 'vitest';
import { expandTargets } from '../../../src/inventory/expand.js';
import { InventoryError, parseInventory } from '../../../src/inventory/load.js';
import s3Probe from '../../../probes/s3.js';
import { runAudit } from '../../../src/engine/audit.js';
import { defaultPorts, probeMetas, services } from '../../../src/cli/registry.js';
import { startS3 } from '../../support/store-replays.js';
import { resolveRunConfig } from '../../../src/domain/run-config.js';

const noDns = async (name: string): Promise<string[]> => {
  throw new Error(`unexpected lookup of ${name}`);
};

describe('inventory: the store services and the per-target buckets key', () => {
  it('a target without services: gets every store on its default ports', async () => {
    const eps = await expandTargets(parseInventory('targets:\n  - host: 127.0.0.2\n', 'inv.yaml', services), {
      probes: probeMetas,
      resolver: noDns,
    });
    const has = (service: string, port: number) => eps.some((e) => e.service === service && e.port === port);
    for (const [service, port] of [
      ['influxdb', 8086],
      ['zookeeper', 2181],
      ['cassandra', 9042],
      ['kafka', 9092],
      ['neo4j', 7474],
      ['loki', 3100],
      ['s3', 9000],
    ] as const) {
      expect(has(service, port), `${service}:${port}`).toBe(true);
      expect(defaultPorts(service)).toEqual([port]);
    }
  });

  it('buckets: reach the s3 endpoints only', async () => {
    const eps = await expandTargets(
      parseInventory(
        'targets:\n  - host: 127.0.0.2\n    services: {s3: [], redis: []}\n    buckets: [backups, public-data]\n',
        'inv.yaml',
        services,
      ),
      { probes: probeMetas, resolver: noDns },
    );
    expect(eps.find((e) => e.service === 's3')?.buckets).toEqual(['backups', 'public-data']);
    expect(eps.filter((e) => e.service === 'redis').every((e) => e.buckets === undefined)).toBe(true);
  });

  it.each([['Upper'], ['a'], ['has space'], ['../etc'], ['x'.repeat(64)]])(
    'a bucket name S3 would refuse (%s) is an inventory error',
    (name) => {
      expect(() => parseInventory(`targets:\n  - host: 127.0.0.2\n    buckets: [${JSON.stringify(name)}]\n`, 'inv.yaml', services)).toThrow(
        InventoryError,
      );
    },
  );

  it('through runAudit: the s3 probe lists the declared bucket, and the report result carries no buckets key', async () => {
    const s3 = await startS3('127.0.1.80', {
      listBuckets: false,
      buckets: { 'team-exports': { public: true, objects: [{ key: 'a.csv', size: 10 }] } },
    });
    try {
      const inv = parseInventory(
        `targets:\n  - host: 127.0.1.80\n    services: {s3: [${s3.port}]}\n    buckets: [team-exports]\n`,
        'inv.yaml',
        services,
      );
      const eps = await expandTargets(inv, { probes: probeMetas, resolver: noDns });
      const run = await runAudit(eps, {
        ...resolveRunConfig({ timeoutMs: 2000, connectTimeoutMs: 500, concurrency: 2, perHostConcurrency: 2, maxBytes: 1 << 20 }),
        probes: [s3Probe],
      });
      const r = run.results[0]!;
      expect(r.status).toBe('exposed');
      expect(r.data?.items[0]).toMatchObject({ kind: 'bucket', name: 'team-exports', rows: 1 });
      expect('buckets' in r).toBe(false);
      expect(JSON.stringify(r)).not.toMatch(/"buckets":\[/);
    } finally {
      await s3.close();
    }
  });
});
