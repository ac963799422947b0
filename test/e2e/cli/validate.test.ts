import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';

/**
 * `validate` reports every problem in one pass (issue 23 part 4): each unknown key of each mapping with the closest
 * known key, each unknown service with one suggestion (never the list of every service), a scalar where a port
 * list belongs with the way to write it. Nothing here is contacted: the hosts are loopback literals.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ea-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

it('every unknown key, unknown service and scalar port list in one run, each with its hint', async () => {
  const f = file(
    'typos.yaml',
    [
      'targets:',
      '  - host: 127.0.0.1',
      '    servics: {redis: [6379]}',
      '    lables: {owner: me}',
      '    expct: closed',
      '  - host: 127.0.0.2',
      '    services: {rediss: [1], redis: 6379, clikhouse: [], zzqqxxww: []}',
      'defaults: {timout: 3s}',
      'suppressions:',
      '  - host: 127.0.0.1',
      '    servce: redis',
      '    reason: lab',
      '    owner: me',
      '    expires: 2030-01-31',
      '',
    ].join('\n'),
  );
  const r = await cli(['validate', f]);
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  const expected = [
    /typos\.yaml:3:5: targets\.0: unknown key "servics" \(did you mean services\?\)$/,
    /typos\.yaml:4:5: targets\.0: unknown key "lables" \(did you mean labels\?\)$/,
    /typos\.yaml:5:5: targets\.0: unknown key "expct" \(did you mean expect\?\)$/,
    /typos\.yaml:7:16: targets\.1\.services\.rediss: unknown service "rediss" \(did you mean redis\?\)$/,
    /typos\.yaml:7:\d+: targets\.1\.services\.redis: ports are a list: redis: \[6379\]$/,
    /typos\.yaml:7:\d+: targets\.1\.services\.clikhouse: unknown service "clikhouse" \(did you mean clickhouse\?\)$/,
    /typos\.yaml:7:\d+: targets\.1\.services\.zzqqxxww: unknown service "zzqqxxww" \(`exposure-audit probes` lists the services\)$/,
    /typos\.yaml:8:\d+: defaults: unknown key "timout" \(did you mean timeout\?\)$/,
    /typos\.yaml:11:5: suppressions\.0: unknown key "servce" \(did you mean service\?\)$/,
  ];
  for (const re of expected)
    expect(
      lines.filter((l) => re.test(l)),
      `${re}\n${r.stderr}`,
    ).toHaveLength(1);
  expect(lines, r.stderr).toHaveLength(expected.length);
  // One suggestion, never the list of every service.
  expect(r.stderr).not.toMatch(/known:/);
  expect(r.stderr.length).toBeLessThan(2000);
});

it('a port given as a string is shown the list form too', async () => {
  const r = await cli(['validate', file('string-port.yaml', 'targets:\n  - host: 127.0.0.1\n    services: {redis: "6379"}\n')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/string-port\.yaml:3:\d+: targets\.0\.services\.redis: ports are a list: redis: \[6379\]\n$/);
});

it('a valid inventory still validates', async () => {
  const r = await cli(['validate', file('ok.yaml', 'targets:\n  - host: 127.0.0.1\n    services: {redis: [6379]}\n')]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/ok\.yaml: ok, 1 target, 1 endpoint/);
  expect(r.code).toBe(0);
});

it('bare exposure-audit prints the usage on stderr and exits 2', async () => {
  const r = await cli([]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^Usage: exposure-audit \[options\] \[command\]/);
  for (const c of ['scan', 'validate', 'probes', 'diff', 'merge', 'init', 'import'])
    expect(r.stderr).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  expect(r.stderr).toContain('exposure-audit init');
});
