import { describe, expect, it } from 'vitest';
import { cidrAddresses, cidrSize, expandTargets } from '../../../src/inventory/expand.js';
import { InventoryError, parseInventory } from '../../../src/inventory/load.js';
import { probeMetas, services } from '../../../src/cli/registry.js';

const inv = (yaml: string) => parseInventory(yaml, 'inv.yaml', services);
const noDns = async (name: string): Promise<string[]> => {
  throw Object.assign(new Error(`unexpected lookup of ${name}`), { code: 'EUNEXPECTED' });
};

describe('target expansion', () => {
  it('targets × services × ports, with default ports when none are given', async () => {
    const eps = await expandTargets(inv('targets:\n  - host: 127.0.0.2\n    services: {redis: [], clickhouse: [8123]}\n'), {
      probes: probeMetas,
      resolver: noDns,
    });
    expect(eps.map((e) => `${e.host}:${e.port}/${e.service}`)).toEqual([
      '127.0.0.2:6379/redis',
      '127.0.0.2:6380/redis',
      '127.0.0.2:8123/clickhouse',
    ]);
    expect(eps[0]!.source).toEqual({ file: 'inv.yaml', line: 2, column: 11 });
  });

  it('retention: defaults by data class, a target overrides class by class; aliases name their class', async () => {
    const eps = await expandTargets(
      inv(
        'defaults:\n  retention: {chat: 30d, logs: 90d}\ntargets:\n  - host: 127.0.0.2\n    services: {redis: [6379]}\n    retention: {prompts: 7d, all: 1y}\n  - host: 127.0.0.3\n    services: {redis: [6379]}\n  - host: 127.0.0.4\n    services: {redis: [6379]}\n    retention: {}\n',
      ),
      { probes: probeMetas, resolver: noDns },
    );
    expect(eps.map((e) => e.retention)).toEqual([
      { chat: 7, logs: 90, all: 365 },
      { chat: 30, logs: 90 },
      { chat: 30, logs: 90 },
    ]);
    const none = await expandTargets(inv('targets:\n  - host: 127.0.0.2\n    services: {redis: [6379]}\n'), {
      probes: probeMetas,
      resolver: noDns,
    });
    expect(none[0]!.retention).toBeUndefined();
  });

  it('retention: an unknown class or a bad duration is a file:line:column problem', () => {
    let err: unknown;
    try {
      inv('targets:\n  - host: 127.0.0.2\n    retention: {chats: 30x, gossip: 30d}\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InventoryError);
    const text = (err as Error).message;
    expect(text).toMatch(/inv\.yaml:3:\d+: .*chats: expected a retention such as 30d/);
    expect(text).toMatch(/unknown data class "gossip"/);
  });

  it('no services key: every service on its default ports (each catalog signature on its own; `http` only where declared)', async () => {
    const eps = await expandTargets(inv('targets:\n  - host: 127.0.0.2\n'), { probes: probeMetas, resolver: noDns });
    expect(new Set(eps.map((e) => e.service))).toEqual(new Set(services.filter((s) => s !== 'http')));
    expect(eps.map((e) => e.port)).toEqual(expect.arrayContaining([6379, 8123, 9000]));
    // A port is audited once per product: e.g. 5984 by the couchdb service only, 8080 once by each product naming it.
    // 5984 is CouchDB's and PouchDB Server's (the CouchDB API without the CouchDB header): both signatures ask there.
    expect(eps.filter((e) => e.port === 5984).map((e) => e.service)).toEqual(['couchdb', 'pouchdb-server']);
    const at8080 = eps.filter((e) => e.port === 8080).map((e) => e.service);
    expect(at8080).toEqual(expect.arrayContaining(['jenkins', 'spring-boot-actuator', 'nginx-stub-status']));
    expect(new Set(at8080).size).toBe(at8080.length);
    for (const e of eps) expect(e.service).not.toBe('http');
  });

  it('declared `http` ports still run the whole catalog there', async () => {
    const eps = await expandTargets(inv('targets:\n  - host: 127.0.0.2\n    services: {http: [8443]}\n'), {
      probes: probeMetas,
      resolver: noDns,
    });
    expect(eps.map((e) => `${e.service}:${e.port}`)).toEqual(['http:8443']);
  });

  it('CIDR expands to every address; overlapping declarations are audited once', async () => {
    const eps = await expandTargets(
      inv(
        'targets:\n  - host: 127.0.0.8/30\n    services: {redis: [6379]}\n  - host: 127.0.0.9\n    name: dup\n    services: {redis: [6379]}\n',
      ),
      {
        probes: probeMetas,
        resolver: noDns,
      },
    );
    expect(eps.map((e) => e.host)).toEqual(['127.0.0.8', '127.0.0.9', '127.0.0.10', '127.0.0.11']);
    expect([...cidrAddresses('::1/127')]).toEqual(['::', '::1']);
    expect(cidrSize('127.0.0.0/8')).toBe(2 ** 24);
  });

  it('refuses a CIDR over the cap unless the cap is raised', async () => {
    // The inventory reader refuses it, with the other problems of the same pass (issue 16).
    expect(() => inv('targets:\n  - host: 127.0.0.0/8\n    services: {redis: [6379]}\n')).toThrow(
      /^inv\.yaml:2:11: 127\.0\.0\.0\/8 is 16777216 addresses, over the cap of 65536/,
    );
    const small = inv('targets:\n  - host: 127.0.0.0/24\n    services: {redis: [6379]}\n');
    await expect(expandTargets(small, { probes: probeMetas, resolver: noDns, maxCidrAddresses: 100 })).rejects.toBeInstanceOf(
      InventoryError,
    );
    expect(await expandTargets(small, { probes: probeMetas, resolver: noDns, maxCidrAddresses: 256 })).toHaveLength(256);
  });

  it('names resolve once each; every address is audited; the name is kept for Host/SNI', async () => {
    const calls: string[] = [];
    const resolver = async (n: string) => {
      calls.push(n);
      return ['127.0.0.2', '::1'];
    };
    const eps = await expandTargets(inv('targets:\n  - host: db.internal.example\n    services: {redis: [6379]}\n'), {
      probes: probeMetas,
      resolver,
    });
    expect(calls).toEqual(['db.internal.example']);
    expect(eps.map((e) => [e.host, e.hostname, e.asset])).toEqual([
      ['127.0.0.2', 'db.internal.example', 'db.internal.example'],
      ['::1', 'db.internal.example', 'db.internal.example'],
    ]);
  });

  it('a name that does not resolve is an inventory error at its line', async () => {
    const resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(
      expandTargets(inv('targets:\n  - host: 127.0.0.2\n  - host: gone.example\n'), { probes: probeMetas, resolver }),
    ).rejects.toThrow('inv.yaml:3:11: gone.example did not resolve (ENOTFOUND)');
  });

  it('--service narrows the services', async () => {
    const eps = await expandTargets(inv('targets:\n  - host: 127.0.0.2\n'), {
      probes: probeMetas,
      resolver: noDns,
      onlyServices: ['redis'],
    });
    expect(new Set(eps.map((e) => e.service))).toEqual(new Set(['redis']));
  });
});
