import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expandHostPattern, patternSize } from '../../../src/inventory/import/ansible.js';
import { ImportError, importers, renderInventory } from '../../../src/inventory/import/index.js';
import { schemaModeline } from '../../../src/inventory/import/modeline.js';
import { mergeIntoInventory } from '../../../src/inventory/import/into.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { portMappingMetas, services } from '../../../src/cli/registry.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), 'utf8');

/** The generated text must be an inventory the loader accepts, with the same targets. */
function roundTrip(source: keyof typeof importers, file: string) {
  const inv = importers[source](fixture(file), portMappingMetas);
  const text = renderInventory(inv, [`Imported from ${file}`], 'imported.yaml');
  const loaded = parseInventory(text, 'imported.yaml', services);
  expect(loaded.inventory.targets.map((t) => t.host)).toEqual(inv.targets.map((t) => t.host));
  return { inv, text };
}

describe('import ansible', () => {
  it('YAML: ansible_host, names, groups with their parents, ranges', () => {
    const { inv, text } = roundTrip('ansible', 'ansible-inventory.yml');
    expect(inv.targets).toEqual([
      { host: '127.0.0.10', name: 'bastion.example' },
      { host: 'redis-01.example', labels: { ansible_groups: 'cache' } },
      { host: 'redis-02.example', labels: { ansible_groups: 'cache' } },
      { host: '127.0.0.21', name: 'ch-a.example', labels: { ansible_groups: 'analytics,clickhouse,web' } },
      { host: '127.0.0.22', name: 'ch-b.example', labels: { ansible_groups: 'analytics,clickhouse' } },
      { host: '127.0.0.30', labels: { ansible_groups: 'web' } },
    ]);
    expect(text).toContain('# Imported from ansible-inventory.yml');
  });

  it('INI: host lines split like a shell line, :port dropped, [x:children] parents, [x:vars] ignored', () => {
    const { inv } = roundTrip('ansible', 'ansible-inventory.ini');
    expect(inv.targets).toEqual([
      { host: '127.0.0.10', name: 'bastion.example' },
      { host: 'redis-01.example', labels: { ansible_groups: 'cache,prod' } },
      { host: 'redis-02.example', labels: { ansible_groups: 'cache,prod' } },
      { host: '127.0.0.13', labels: { ansible_groups: 'cache,prod' } },
      { host: '127.0.0.21', name: 'ch-a.example', labels: { ansible_groups: 'analytics,clickhouse,prod' } },
      { host: '127.0.0.22', name: 'ch-b.example', labels: { ansible_groups: 'analytics,clickhouse,prod' } },
    ]);
  });

  it('expands ranges as Ansible does, bounded', () => {
    expect(expandHostPattern('web[01:03].example')).toEqual(['web01.example', 'web02.example', 'web03.example']);
    expect(expandHostPattern('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostPattern('n[1:9:4]')).toEqual(['n1', 'n5', 'n9']);
    expect(expandHostPattern('h[0:99]')).toHaveLength(100);
    // The product of the ranges is bounded before anything is expanded (a 32-byte line once grew past 1.8 GB).
    expect(patternSize('h[0:4095][0:4095].example')).toBe(4096 * 4096);
    expect(() => expandHostPattern('h[0:4095][0:4095].example')).toThrow(/expands to 16777216 names, more than 65536/);
    expect(() => importers.ansible('[web]\nh[0:4095][0:4095].example\n', portMappingMetas)).toThrow(ImportError);
    expect(expandHostPattern('h[0:255][0:255]')).toHaveLength(65_536);
    expect(() => expandHostPattern('h[aa:zz]')).toThrow(ImportError);
  });

  it('two inventory names on one ansible_host become one target, and a note says so', () => {
    const inv = importers.ansible('[db]\npg-a ansible_host=127.0.0.31\npg-b ansible_host=127.0.0.31\n', portMappingMetas);
    expect(inv.targets).toEqual([{ host: '127.0.0.31', name: 'pg-a', labels: { ansible_groups: 'db' } }]);
    expect(inv.notes).toEqual(['host pg-b: same address 127.0.0.31 as host pg-a; merged into one target']);
  });

  it('an inventory without hosts is an error, not an empty targets.yaml', () => {
    expect(() => renderInventory(importers.ansible('all:\n  children:\n    web: {}\n', portMappingMetas), [], 'x.yaml')).toThrow(
      /no hosts found/,
    );
  });
});

describe('import terraform', () => {
  it('instances, databases, load balancers and caches with their addresses; tags and names kept', () => {
    const { inv, text } = roundTrip('terraform', 'terraform.tfstate');
    expect(inv.targets).toEqual([
      { host: '127.0.1.10', name: 'web-0', labels: { team: 'storefront', terraform: 'aws_instance.web[0]', exposure: 'internet' } },
      { host: '127.0.1.11', name: 'web-1', labels: { team: 'storefront', terraform: 'aws_instance.web[1]' } },
      { host: 'orders.db.example', name: 'orders', labels: { terraform: 'module.db.aws_db_instance.orders' } },
      {
        host: 'public-alb.lb.example',
        name: 'public-alb',
        labels: { terraform: 'aws_lb.public', exposure: 'internet' },
        services: { http: [80, 443] },
      },
      {
        host: 'sessions.cache.example',
        name: 'aws_elasticache_cluster.sessions',
        labels: { terraform: 'aws_elasticache_cluster.sessions' },
        services: { redis: [6379] },
      },
      { host: '127.0.3.5', name: 'etl-a', labels: { env: 'prod', terraform: 'google_compute_instance.etl["a"]' } },
      {
        host: '127.0.4.4',
        name: 'jump',
        labels: { owner: 'infra', terraform: 'azurerm_linux_virtual_machine.jump', exposure: 'internet' },
      },
    ]);
    expect(inv.notes).toEqual(['aws_instance.pending: no address in the state (not yet created?)']);
    expect(text).toContain('# Not imported:\n# - aws_instance.pending');
  });

  it('refuses what is not a v4 state', () => {
    expect(() => importers.terraform('{"version": 3, "modules": []}', portMappingMetas)).toThrow(/format version 4/);
    expect(() => importers.terraform('not json', portMappingMetas)).toThrow(/not JSON/);
  });

  it('reads `terraform show -json` too', () => {
    const show = {
      format_version: '1.0',
      values: {
        root_module: {
          resources: [],
          child_modules: [
            {
              resources: [
                {
                  address: 'module.a.aws_instance.x',
                  mode: 'managed',
                  type: 'aws_instance',
                  values: { private_ip: '127.0.1.20', tags: { Name: 'x' } },
                },
              ],
            },
          ],
        },
      },
    };
    expect(importers.terraform(JSON.stringify(show), portMappingMetas).targets).toEqual([
      { host: '127.0.1.20', name: 'x', labels: { terraform: 'module.a.aws_instance.x' } },
    ]);
  });
});

describe('editor modeline', () => {
  it('is relative to the file when the package sits in a node_modules above it, and absent otherwise (never an absolute path)', () => {
    // Run from the source tree: the schema is <repo>/schema, in no node_modules, so no portable path exists.
    expect(schemaModeline(path.join(tmpdir(), 'targets.yaml'))).toBeUndefined();
    expect(renderInventory({ targets: [{ host: '127.0.0.1' }], notes: [] }, ['h'], path.join(tmpdir(), 't.yaml'))).not.toMatch(
      /\$schema=\//,
    );
    const local = '/srv/infra/node_modules/exposure-audit/schema/targets.schema.json';
    expect(schemaModeline('/srv/infra/targets.yaml', local)).toBe(
      'yaml-language-server: $schema=./node_modules/exposure-audit/schema/targets.schema.json',
    );
    expect(schemaModeline('/srv/infra/envs/prod/targets.yaml', local)).toBe(
      'yaml-language-server: $schema=../../node_modules/exposure-audit/schema/targets.schema.json',
    );
    // A global install is no part of the repository the file is committed to.
    expect(schemaModeline('/srv/infra/targets.yaml', '/usr/lib/node_modules/exposure-audit/schema/targets.schema.json')).toBeUndefined();
    expect(schemaModeline('/srv/other/targets.yaml', local)).toBeUndefined();
  });
});

describe('import nmap', () => {
  it('open TCP ports -> services by the registry default ports or nmap service name; unknown ports noted', () => {
    const { inv } = roundTrip('nmap', 'nmap.xml');
    expect(inv.targets).toEqual([
      { host: '127.0.0.41', name: 'cache-1.example', services: { redis: [6379, 7000] } },
      // 9000 is ClickHouse native and MinIO/S3: mapped to neither (the catalog still asks there), said in a note.
      { host: '127.0.0.42', services: { clickhouse: [8443], mcp: [8000], http: [8000, 9000] } },
      { host: '127.0.0.43', services: { postgres: [5432] } },
    ]);
    expect(inv.notes).toEqual([
      '127.0.0.41: open port 22 (no probe for it)',
      '127.0.0.42: open port 9000 could be clickhouse, s3: not mapped; declare the service it is',
    ]);
  });

  it('refuses what is not an nmap run, and does not expand entities', () => {
    expect(() => importers.nmap('<html><body/></html>', portMappingMetas)).toThrow(/not an nmap XML run/);
    expect(() => importers.nmap('<nmaprun><host>', portMappingMetas)).toThrow(/not XML/);
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "127.0.0.1">]><nmaprun><host><address addr="&a;" addrtype="ipv4"/><ports><port protocol="tcp" portid="6379"><state state="open"/></port></ports></host></nmaprun>';
    expect(importers.nmap(bomb, portMappingMetas).targets).toEqual([]);
  });
});

describe('import kubernetes', () => {
  it('cluster IPs and load-balancer ingress with ports -> services; labels and namespace kept', () => {
    const { inv, text } = roundTrip('kubernetes', 'kubectl-svc.json');
    expect(inv.targets).toEqual([
      {
        host: '127.0.0.51',
        name: 'cache/redis',
        services: { redis: [6379] },
        labels: { app: 'redis', tier: 'backend', namespace: 'cache' },
      },
      {
        host: '127.0.0.52',
        name: 'monitoring/grafana',
        services: { http: [80] },
        labels: { 'app.kubernetes.io/name': 'grafana', namespace: 'monitoring' },
      },
      {
        host: '127.0.0.152',
        name: 'monitoring/grafana (load balancer)',
        services: { http: [80] },
        labels: { 'app.kubernetes.io/name': 'grafana', namespace: 'monitoring', exposure: 'internet' },
      },
      { host: '127.0.0.53', name: 'data/search', services: { elasticsearch: [9200], http: [9200] }, labels: { namespace: 'data' } },
      {
        host: 'search.lb.example',
        name: 'data/search (load balancer)',
        services: { elasticsearch: [9200], http: [9200] },
        labels: { namespace: 'data' },
      },
      { host: '127.0.0.55', name: 'data/pg', services: { postgres: [5432] }, labels: { namespace: 'data' } },
    ]);
    expect(inv.notes).toEqual([
      'data/search: port 9300 (no probe for it)',
      "data/ch-headless: headless Service (clusterIP None): no address of its own; import its pods' addresses by hand",
      'default/upstream: ExternalName service (points outside the cluster)',
      'kube-system/dns: port 53/udp (not TCP)',
      'kube-system/dns: no port a probe serves; not imported',
    ]);
    // Port lists in flow style: one line per service.
    expect(parse(text).targets[0].services).toEqual({ redis: [6379] });
    expect(text).toContain('redis: [ 6379 ]');
    expect(text).not.toMatch(/[&*]a\d/); // no YAML anchors/aliases for shared port lists
  });

  it('says what it leaves out: headless Services, UDP ports, ambiguous ports, two Services on one address', () => {
    const svc = (name: string, spec: object) => ({ kind: 'Service', metadata: { name, namespace: 'ns' }, spec });
    const list = {
      kind: 'List',
      items: [
        svc('headless', { clusterIP: 'None', ports: [{ port: 6379 }] }),
        svc('minio', { clusterIP: '127.0.0.61', ports: [{ port: 9000 }, { port: 8123 }, { port: 53, protocol: 'UDP' }] }),
        svc('redis-a', { clusterIP: '127.0.0.62', ports: [{ port: 6379 }] }),
        svc('redis-b', { clusterIP: '127.0.0.62', ports: [{ port: 6380 }] }),
      ],
    };
    const inv = importers.kubernetes(JSON.stringify(list), portMappingMetas);
    expect(inv.targets.map((t) => [t.host, t.services])).toEqual([
      ['127.0.0.61', { clickhouse: [8123], http: [9000] }],
      ['127.0.0.62', { redis: [6379, 6380] }],
    ]);
    expect(inv.notes).toEqual([
      "ns/headless: headless Service (clusterIP None): no address of its own; import its pods' addresses by hand",
      'ns/minio: port 9000 could be clickhouse, s3: not mapped; declare the service it is',
      'ns/minio: port 53/udp (not TCP)',
      'ns/redis-b: same address 127.0.0.62 as ns/redis-a; merged into one target',
    ]);
  });

  it('refuses what is not a Service list', () => {
    expect(() => importers.kubernetes('{"kind":"PodList","items":[]}', portMappingMetas)).toThrow(/not a Service/);
  });
});

describe('import --into: merge into an inventory you keep', () => {
  const kept = [
    '# Our estate. Reviewed by the data team.',
    'targets:',
    '  # the analytics replica',
    '  - host: 127.0.0.41',
    '    services: {redis: [6379]}  # only this port',
    '    labels: {owner: data}',
    '  - host: 127.0.0.99 # hand-written, not in any import',
    '',
  ].join('\n');

  it('keeps every comment and hand-written target; adds new hosts, ports to known ones, and the notes', () => {
    const inv = importers.nmap(fixture('nmap.xml'), portMappingMetas);
    const r = mergeIntoInventory(kept, 'targets.yaml', inv, 'nmap.xml (nmap)');
    expect([r.added, r.merged]).toEqual([2, 1]);
    for (const line of [
      '# Our estate. Reviewed by the data team.',
      '# the analytics replica',
      '# only this port',
      '# hand-written, not in any import',
    ])
      expect(r.text).toContain(line);
    const loaded = parseInventory(r.text, 'targets.yaml', services).inventory.targets;
    expect(loaded.map((t) => t.host)).toEqual(['127.0.0.41', '127.0.0.99', '127.0.0.42', '127.0.0.43']);
    // 127.0.0.41 got nmap's 7000 beside its own 6379, kept its label and took the file's host name.
    expect(loaded[0]).toEqual({
      host: '127.0.0.41',
      name: 'cache-1.example',
      services: { redis: [6379, 7000] },
      labels: { owner: 'data' },
    });
    expect(r.text).toContain('# Not imported from nmap.xml (nmap):');
    expect(r.text).toContain('# Imported from nmap.xml (nmap)');
    // Merging the same import again changes nothing but the notes block.
    const again = mergeIntoInventory(r.text, 'targets.yaml', inv, 'nmap.xml (nmap)');
    expect(parseInventory(again.text, 'targets.yaml', services).inventory).toEqual(
      parseInventory(r.text, 'targets.yaml', services).inventory,
    );
  });

  it('refuses a file without a targets list', () => {
    expect(() => mergeIntoInventory('defaults: {timeout: 2s}\n', 'x.yaml', { targets: [], notes: [] }, 's')).toThrow(/no `targets:` list/);
  });
});
