// Several inventories as one: the same host from two files is one target (services united, a note), within one
// file still an error; conflicting expect/defaults are problems at the later declaration. Files in a temp folder;
// validate resolves nothing here (IP literals only) and scan is not run: no traffic at all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { combineInventories, inventoryFiles } from '../../../src/inventory/combine.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { services } from '../../../src/cli/registry.js';
import { cli } from '../../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ea-combine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const parse = (file: string, text: string) => parseInventory(text, file, services);

describe('combineInventories', () => {
  it('one target per host across files: services united (no services = all wins), labels merged, notes say where', () => {
    const a = parse('a.yaml', 'targets:\n  - host: 127.0.0.5\n    name: cache\n    services: {redis: [6379]}\n    labels: {owner: a}\n');
    const b = parse(
      'b.yaml',
      'targets:\n  - host: 127.0.0.6\n  - host: 127.0.0.5\n    services: {redis: [6380], memcached: [11211]}\n    labels: {owner: b, env: prod}\n',
    );
    const c = parse('c.yaml', 'targets:\n  - host: 127.0.0.6\n    services: {redis: [6379]}\n');
    const { loaded, notes, problems } = combineInventories([a, b, c]);
    expect(problems).toEqual([]);
    expect(loaded.file).toBe('a.yaml + b.yaml + c.yaml');
    expect(loaded.inventory.targets).toEqual([
      { host: '127.0.0.5', name: 'cache', services: { redis: [6379, 6380], memcached: [11211] }, labels: { owner: 'a', env: 'prod' } },
      { host: '127.0.0.6' },
    ]);
    expect(loaded.locations.map((l) => `${l.file}:${l.line}`)).toEqual(['a.yaml:2', 'b.yaml:2']);
    expect(notes).toEqual([
      'b.yaml:3:11: 127.0.0.5 is also declared at a.yaml:2:11: one target, services united',
      'c.yaml:2:11: 127.0.0.6 is also declared at b.yaml:2:11: one target, services united',
    ]);
    // [] or null (the service's default ports) is the wider declaration: it wins over a port list.
    const d = combineInventories([
      parse('d.yaml', 'targets:\n  - host: 127.0.0.7\n    services: {redis: []}\n'),
      c,
      parse('e.yaml', 'targets:\n  - host: 127.0.0.7\n    services: {redis: [7000]}\n'),
    ]);
    expect(d.loaded.inventory.targets[0]!.services).toEqual({ redis: null });
    // The inputs are left as they were.
    expect(a.inventory.targets[0]!.services).toEqual({ redis: [6379] });
  });

  it('conflicting expect: and differing defaults: are problems at the later file', () => {
    const a = parse('a.yaml', 'targets:\n  - host: 127.0.0.5\n    expect: closed\ndefaults: {timeout: 2s}\n');
    const b = parse('b.yaml', 'targets:\n  - host: 127.0.0.5\n    expect: auth-required\ndefaults: {timeout: 5s}\n');
    const { problems } = combineInventories([a, b]);
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      'b.yaml:2: expect: auth-required conflicts with expect: closed for 127.0.0.5 at a.yaml:2:11',
      "b.yaml:1: defaults: differ from a.yaml's: one run has one set of defaults (declare them in one file only)",
    ]);
  });

  it('a folder stands for its YAML files, sorted; files are kept as given', async () => {
    const folder = path.join(dir, 'inv');
    mkdirSync(folder);
    for (const n of ['b.yaml', 'a.yml', 'notes.txt', '.hidden.yaml']) writeFileSync(path.join(folder, n), 'targets: []\n');
    expect(await inventoryFiles([folder, 'x.yaml'])).toEqual([path.join(folder, 'a.yml'), path.join(folder, 'b.yaml'), 'x.yaml']);
  });
});

describe('validate and scan take several inventories', () => {
  it('validate a.yaml folder/: one inventory, a note per merged host; a duplicate inside one file is still an error', async () => {
    const a = path.join(dir, 'a.yaml');
    const folder = path.join(dir, 'more');
    mkdirSync(folder);
    writeFileSync(a, 'targets:\n  - host: 127.0.0.5\n    services: {redis: [6379]}\n');
    writeFileSync(path.join(folder, 'k8s.yaml'), 'targets:\n  - host: 127.0.0.5\n    services: {redis: [6380]}\n');
    const v = await cli(['validate', a, folder], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toBe(`${a} + ${path.join(folder, 'k8s.yaml')}: ok, 1 target, 2 endpoints\n`);
    expect(v.stderr).toBe(`${path.join(folder, 'k8s.yaml')}:2:11: 127.0.0.5 is also declared at ${a}:2:11: one target, services united\n`);
    const dup = path.join(dir, 'dup.yaml');
    writeFileSync(dup, 'targets:\n  - host: 127.0.0.5\n  - host: 127.0.0.5\n');
    const d = await cli(['validate', dup], { cwd: dir });
    expect([d.code, d.stderr]).toEqual([2, `${dup}:3:11: duplicate target: 127.0.0.5 is already declared at line 2\n`]);
  });

  it('every file with a problem is reported in one pass', async () => {
    const bad1 = path.join(dir, 'bad1.yaml');
    const bad2 = path.join(dir, 'bad2.yaml');
    writeFileSync(bad1, 'targets:\n  - host: not a host\n');
    writeFileSync(bad2, 'targets:\n  - host: 127.0.0.9\n    servics: {}\n');
    const r = await cli(['validate', bad1, bad2], { cwd: dir });
    expect(r.code).toBe(2);
    expect(
      r.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(0, l.indexOf(':'))),
    ).toEqual([bad1, bad2]);
  });
});
