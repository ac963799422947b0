import { describe, expect, it } from 'vitest';
import { InventoryError, parseInventory } from '../../../src/inventory/load.js';
import { services } from '../../../src/cli/registry.js';

function problems(yaml: string | Buffer): string[] {
  try {
    parseInventory(yaml, 'targets.yaml', services);
  } catch (err) {
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as InventoryError).code).toBe('EA_INVENTORY');
    return (err as InventoryError).message.split('\n');
  }
  throw new Error('expected the inventory to be refused');
}

describe('inventory validation: one line per problem with file:line:column', () => {
  it.each([
    ['empty file', '', 'targets.yaml:1:1: the file is empty: expected a `targets:` list'],
    ['YAML syntax', 'targets:\n  - host: [127.0.0.1\n', /^targets\.yaml:\d+:\d+: YAML: /],
    ['not a mapping', '- 127.0.0.1\n', 'targets.yaml:1:1: expected a mapping with a `targets:` list'],
    ['no targets key', 'defaults: {timeout: 3s}\n', 'targets.yaml:1:1: targets: required'],
    ['empty targets', 'targets: []\n', 'targets.yaml:1:10: targets: targets is empty: declare at least one host'],
    [
      'unknown top-level key',
      'targets:\n  - host: 127.0.0.1\ntargest: []\n',
      'targets.yaml:3:1: unknown key "targest" (did you mean targets?)',
    ],
    ['unknown target key', 'targets:\n  - host: 127.0.0.1\n    prots: [1]\n', 'targets.yaml:3:5: targets.0: unknown key "prots"'],
    ['missing host', 'targets:\n  - name: x\n', 'targets.yaml:2:5: targets.0.host: required'],
    [
      'bad port',
      'targets:\n  - host: 127.0.0.1\n    services: {redis: [70000]}\n',
      'targets.yaml:3:24: targets.0.services.redis.0: ports run from 1 to 65535',
    ],
    [
      'port as text',
      'targets:\n  - host: 127.0.0.1\n    services:\n      redis: [abc]\n',
      'targets.yaml:4:15: targets.0.services.redis.0: expected a port number',
    ],
    [
      'unknown service',
      'targets:\n  - host: 127.0.0.1\n    services:\n      mongo: []\n',
      /^targets\.yaml:4:7: targets\.0\.services\.mongo: unknown service "mongo"/,
    ],
    [
      'bad CIDR',
      'targets:\n  - host: 127.0.0.0/33\n',
      'targets.yaml:2:11: targets.0.host: "127.0.0.0/33" is not an IP address, host name or CIDR',
    ],
    [
      'bad IPv4',
      'targets:\n  - host: 127.0.0.256\n',
      'targets.yaml:2:11: targets.0.host: "127.0.0.256" is not an IP address, host name or CIDR',
    ],
    [
      'duplicate target',
      'targets:\n  - host: 127.0.0.2\n  - host: 127.0.0.2\n',
      'targets.yaml:3:11: duplicate target: 127.0.0.2 is already declared at line 2',
    ],
    ['duplicate key', 'targets:\n  - host: 127.0.0.2\n    host: 127.0.0.3\n', /^targets\.yaml:3:5: YAML: Map keys must be unique/],
    [
      'bad duration',
      'targets:\n  - host: 127.0.0.2\ndefaults: {timeout: soon}\n',
      'targets.yaml:3:21: defaults.timeout: expected a duration from 1ms to 2147483647ms (≈ 24 days) such as 3s, 500ms, 2m or 3000 (milliseconds)',
    ],
    [
      'bad expect',
      'targets:\n  - host: 127.0.0.2\n    expect: open\n',
      'targets.yaml:3:13: targets.0.expect: expected one of exposed, auth-required, closed',
    ],
    ['labels not a map', 'targets:\n  - host: 127.0.0.2\n    labels: [a]\n', /^targets\.yaml:3:13: targets\.0\.labels: /],
    ['binary file', Buffer.from([0x00, 0x01, 0xff, 0xfe]), 'targets.yaml:1:1: not a text file: an inventory is UTF-8 YAML'],
  ] as const)('%s', (_name, input, expected) => {
    const lines = problems(input);
    expect(lines).toHaveLength(1);
    if (typeof expected === 'string') expect(lines[0]).toBe(expected);
    else expect(lines[0]).toMatch(expected);
  });

  it('reports every problem, each on its own line', () => {
    const lines = problems('targets:\n  - host: 127.0.0.1\n    services: {redis: [0]}\n  - hots: 127.0.0.2\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^targets\.yaml:\d+:\d+: /);
  });

  it('accepts the documented shape and records where each target is declared', () => {
    const loaded = parseInventory(
      [
        'targets:',
        '  - host: 127.0.0.2',
        '    name: analytics-replica',
        '    services:',
        '      clickhouse: [8123, 9000]',
        '      redis: []',
        '    labels: {exposure: internet, owner: data-team}',
        '  - host: 127.0.0.0/30',
        '  - host: localhost',
        '    services: {redis: null}',
        'defaults: {timeout: 3s, concurrency: 64}',
      ].join('\n'),
      'inv.yaml',
      services,
    );
    expect(loaded.inventory.targets).toHaveLength(3);
    expect(loaded.inventory.defaults).toEqual({ timeout: 3000, concurrency: 64 });
    expect(loaded.locations.map((l) => l.line)).toEqual([2, 8, 9]);
    expect(loaded.inventory.targets[0]!.labels).toEqual({ exposure: 'internet', owner: 'data-team' });
  });
});
