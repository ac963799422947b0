import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify as classifyWith } from '../../../src/classify/classify.js';
import { probeMetas } from '../../../src/cli/registry.js';
import type { EndpointResult } from '../../../src/types.js';
import { seedRedis, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { cli, fingerprints, parseReport, tempDir } from '../../support/continuous.js';

const classify = (r: EndpointResult) =>
  classifyWith(
    r,
    probeMetas.find((m) => m.id === r.probe),
  );

// Real Redis on 127.0.0.200 (open) and 127.0.0.201 (protected mode: audited from 127.0.0.210, it answers -DENIED).
const base: EndpointResult = {
  host: '127.0.0.200',
  port: 6379,
  service: 'redis',
  asset: 'sessions-cache',
  declaredHost: '127.0.0.200',
  labels: {},
  source: { file: 'targets.yaml', line: 2, column: 11 },
  probe: 'redis',
  status: 'exposed',
  evidence: {
    requests: ['PING', 'INFO', 'QUIT'],
    proof: 'INFO',
    reply: 'redis_version:7.0.15 redis_mode:standalone role:master',
    product: 'Redis',
    version: '7.0.15',
  },
  facts: { uptimeInSeconds: 10, connectedClients: 1, usedMemoryBytes: 1_000_000 },
  data: { items: [{ kind: 'keyspace', name: 'db0', rows: 2 }], totals: { keys: 2 } },
  durationMs: 4,
};

describe('fingerprints are identities, not snapshots', () => {
  it('volatile evidence (uptime, durations, connection counts, memory, volumes, versions) never changes a fingerprint', () => {
    const fp = classify(base)!.fingerprint;
    fc.assert(
      fc.property(
        fc.record({
          uptime: fc.nat(),
          clients: fc.nat(),
          memory: fc.nat(),
          duration: fc.nat({ max: 60_000 }),
          keys: fc.nat({ max: 1e9 }),
          version: fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/),
          line: fc.integer({ min: 1, max: 10_000 }),
        }),
        (v) => {
          const r: EndpointResult = {
            ...base,
            source: { ...base.source, line: v.line },
            evidence: {
              ...base.evidence,
              version: v.version,
              reply: `redis_version:${v.version} uptime_in_seconds:${v.uptime} connected_clients:${v.clients}`,
            },
            facts: { uptimeInSeconds: v.uptime, connectedClients: v.clients, usedMemoryBytes: v.memory },
            data: { items: [{ kind: 'keyspace', name: 'db0', rows: v.keys }], totals: { keys: v.keys, bytes: v.memory } },
            durationMs: v.duration,
          };
          const f = classify(r)!;
          expect(f.fingerprint).toBe(fp);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('what identifies a finding does change it: asset, port, service, check', () => {
    const fp = classify(base)!.fingerprint;
    expect(classify({ ...base, asset: 'other' })!.fingerprint).not.toBe(fp);
    expect(classify({ ...base, port: 6380 })!.fingerprint).not.toBe(fp);
    expect(classify({ ...base, status: 'denied' })!.fingerprint).not.toBe(fp); // another check: redis:no-password
    // One declaration covering several addresses (a CIDR): the address tells them apart.
    const a = classify({ ...base, declaredHost: '127.0.0.200/30' })!.fingerprint;
    const b = classify({ ...base, declaredHost: '127.0.0.200/30', host: '127.0.0.201' })!.fingerprint;
    expect(a).not.toBe(b);
  });
});

describe('two runs against an unchanged fleet (real Redis)', () => {
  let open: ServerInstance, secured: ServerInstance;
  let inventory = '';

  beforeAll(async () => {
    [open, secured] = await Promise.all([
      startServer({ kind: 'redis', variant: 'open', host: '127.0.0.200' }),
      startServer({ kind: 'redis', variant: 'protected-mode', host: '127.0.0.201' }),
    ]);
    await seedRedis(open, { 'session:1': 'a', 'session:2': 'b' });
    const dir = tempDir('fp');
    inventory = path.join(dir, 'targets.yaml');
    writeFileSync(
      inventory,
      [
        'targets:',
        '  - host: 127.0.0.200',
        '    name: sessions-cache',
        `    services: {redis: [${open.ports.redis}]}`,
        '  - host: 127.0.0.201',
        `    services: {redis: [${secured.ports.redis}]}`,
        'defaults: {timeout: 2s, connectTimeout: 1s}',
      ].join('\n'),
    );
  }, 60_000);

  afterAll(() => stopAll());

  it('give identical fingerprint sets, even when uptime, clients, memory and key counts moved', async () => {
    const scan = async () =>
      parseReport((await cli([inventory, '--format', 'json', '--no-state', '--source-address', '127.0.0.210'])).stdout);
    const first = await scan();
    expect(first.findings.length).toBeGreaterThanOrEqual(2);
    // Change every volatile observation: more keys, more memory, another connection count, later uptime.
    await seedRedis(open, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`session:${i + 10}`, 'x'.repeat(200)])));
    await new Promise((r) => setTimeout(r, 1100));
    const second = await scan();
    expect(fingerprints(second)).toEqual(fingerprints(first));
    const keysOf = (r: typeof first) => r.endpoints.find((e) => e.host === '127.0.0.200')!.data!.totals.keys;
    expect(keysOf(second)).toBeGreaterThan(keysOf(first)!);
    const reasonOf = (r: typeof first) => r.findings.find((f) => f.host === '127.0.0.200')!.reason;
    expect(reasonOf(second)).not.toBe(reasonOf(first)); // the evidence moved; the identity did not
  });
});
