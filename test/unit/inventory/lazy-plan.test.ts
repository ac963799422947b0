import { describe, expect, it } from 'vitest';
import { cidrAddresses, expandTargets, filterPlan, planTargets } from '../../../src/inventory/expand.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { probeMetas, services } from '../../../src/cli/registry.js';

const inv = (yaml: string, maxCidrAddresses?: number) =>
  parseInventory(yaml, 'inv.yaml', services, maxCidrAddresses ? { maxCidrAddresses } : {});
const noDns = async (name: string): Promise<string[]> => {
  throw Object.assign(new Error(`unexpected lookup of ${name}`), { code: 'EUNEXPECTED' });
};

describe('lazy endpoint plan', () => {
  it('a /12 × 2 ports: counted by arithmetic, iterated lazily (no endpoint array)', async () => {
    const plan = await planTargets(inv('targets:\n  - host: 127.16.0.0/12\n    services: {redis: [6379, 6380]}\n', 2 ** 20), {
      probes: probeMetas,
      resolver: noDns,
      maxCidrAddresses: 2 ** 20,
    });
    expect(plan.count).toBe(2 * 2 ** 20);
    const it = plan[Symbol.iterator]();
    const first = [it.next().value, it.next().value, it.next().value].map((e) => `${e!.host}:${e!.port}`);
    expect(first).toEqual(['127.16.0.0:6379', '127.16.0.0:6380', '127.16.0.1:6379']);
    // Iterating again starts over: the plan is a recipe, not a consumed stream.
    expect(`${[...take(plan, 1)][0]!.host}`).toBe('127.16.0.0');
    expect(plan.declarations).toEqual([
      { asset: '127.16.0.0/12', declaredHost: '127.16.0.0/12', labels: {}, source: { file: 'inv.yaml', line: 2, column: 11 } },
    ]);
  });

  it('the IPv4 generator gives the same addresses as the generic one, in order', async () => {
    const plan = await planTargets(inv('targets:\n  - host: 127.0.255.252/29\n    services: {redis: [6379]}\n'), {
      probes: probeMetas,
      resolver: noDns,
    });
    expect([...plan].map((e) => e.host)).toEqual([...cidrAddresses('127.0.255.248/29')]);
  });

  it('overlapping declarations: audited once under the first, and the count agrees with iteration', async () => {
    const yaml = [
      'targets:',
      '  - host: 127.0.0.0/28',
      '    services: {redis: [6379]}',
      '  - host: 127.0.0.4',
      '    name: inside',
      '    services: {redis: [6379, 6380]}',
      '  - host: 127.0.0.8/29',
      '    services: {redis: [6379]}',
      '  - host: ::1',
      '    services: {redis: [6379]}',
      '',
    ].join('\n');
    const plan = await planTargets(inv(yaml), { probes: probeMetas, resolver: noDns });
    const all = [...plan];
    expect(plan.count).toBe(all.length);
    // 16 from the /28, then only 127.0.0.4:6380 from `inside`, nothing from the /29 (inside the /28), then ::1.
    expect(all.length).toBe(16 + 1 + 0 + 1);
    expect(all.filter((e) => e.asset === 'inside').map((e) => `${e.host}:${e.port}`)).toEqual(['127.0.0.4:6380']);
    expect(new Set(all.map((e) => `${e.host}|${e.port}|${e.service}`)).size).toBe(all.length);
    expect(await expandTargets(inv(yaml), { probes: probeMetas, resolver: noDns })).toEqual(all);
  });

  it('a name resolving to an address twice, or a port listed twice, gives one endpoint', async () => {
    const plan = await planTargets(inv('targets:\n  - host: db.example\n    services: {redis: [6379, 6379]}\n'), {
      probes: probeMetas,
      resolver: async () => ['127.0.0.2', '127.0.0.2'],
    });
    expect(plan.count).toBe(1);
    expect([...plan].map((e) => [e.host, e.hostname])).toEqual([['127.0.0.2', 'db.example']]);
  });

  it('filterPlan keeps a share lazily and counts it', async () => {
    const plan = await planTargets(inv('targets:\n  - host: 127.0.0.0/24\n    services: {redis: [6379]}\n'), {
      probes: probeMetas,
      resolver: noDns,
    });
    const even = filterPlan(plan, (e) => Number(e.host.split('.')[3]) % 2 === 0);
    expect(even.count).toBe(128);
    expect([...even]).toHaveLength(128);
    expect(even.declarations).toBe(plan.declarations);
  });

  it('validation still happens up front: a CIDR over the cap fails before any endpoint', async () => {
    // Already when the inventory is read (every problem in one pass)...
    expect(() => inv('targets:\n  - host: 127.0.0.0/8\n    services: {redis: [6379]}\n')).toThrow(/over the cap of 65536/);
    // ...and by the plan itself, for an inventory read with a larger cap than the plan's.
    const loaded = inv('targets:\n  - host: 127.0.0.0/8\n    services: {redis: [6379]}\n', 2 ** 24);
    await expect(planTargets(loaded, { probes: probeMetas, resolver: noDns })).rejects.toThrow(/over the cap of 65536/);
  });
});

function* take<T>(xs: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  for (const x of xs) {
    yield x;
    if (--n === 0) return;
  }
}
