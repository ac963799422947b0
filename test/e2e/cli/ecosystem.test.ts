// init, import, validate warnings and "did you mean": through main(), on files in a temp folder. No traffic at all
// except validate's name resolution, which goes to an injected resolver.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/main.js';
import { cli as runCli } from '../../support/cli.js';
import { classify } from '../../../src/classify/classify.js';
import { starterInventory } from '../../../src/cli/commands/init.js';
import { classifierLabels } from '../../../src/inventory/lint.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { probes, services } from '../../../src/cli/registry.js';
import { closest, plural } from '../../../src/text.js';
import { editDistance } from '../../../src/domain/suggest.js';
import type { EndpointResult } from '../../../src/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ea-eco-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = path.resolve(import.meta.dirname, '../../fixtures/import');

const resolver = async (name: string) =>
  name === 'localhost' ? ['127.0.0.1'] : Promise.reject(Object.assign(new Error('no'), { code: 'ENOTFOUND' }));
const cli = (args: string[], opts: Partial<CliIo> = {}) => runCli(args, { cwd: dir, resolver, ...opts });

describe('exposure-audit init', () => {
  it('writes a starter that validates as is and targets loopback only; refuses to overwrite', async () => {
    const first = await cli(['init']);
    expect(first.code).toBe(0);
    const file = path.join(dir, 'targets.yaml');
    expect(first.stdout).toContain(`wrote ${file}`);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(starterInventory(file));
    // No absolute path of this machine in a file users commit (the source tree is in no node_modules: no modeline).
    expect(text).not.toMatch(/\$schema=\//);
    // Every address or host name mentioned is loopback or under .example.
    const hosts = [...text.matchAll(/host: (\S+)/g)].map((m) => m[1]!);
    expect(hosts.length).toBeGreaterThan(2);
    for (const h of hosts) expect(h).toMatch(/^127\.|\.example$/);
    expect(parseInventory(text, file, services).inventory.targets.map((t) => t.host)).toEqual(['127.0.0.1']);
    const v = await cli(['validate', file]);
    const everyDefault = new Set(
      probes
        .filter((p) => p.meta.defaultExpansion !== false)
        .flatMap((p) => p.meta.defaultPorts.map((port) => `${p.meta.service}|${port}`)),
    ).size;
    expect([v.code, v.stdout, v.stderr]).toEqual([0, `${file}: ok, 1 target, ${everyDefault} endpoints\n`, '']);

    writeFileSync(file, 'targets: [{host: 127.0.0.9}]\n');
    const again = await cli(['init']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists: not overwriting it');
    expect(readFileSync(file, 'utf8')).toBe('targets: [{host: 127.0.0.9}]\n');
    rmSync(file);
  });
});

describe('exposure-audit import', () => {
  it('prints targets.yaml for each source, which validate accepts', async () => {
    for (const [source, file] of [
      ['ansible', 'ansible-inventory.ini'],
      ['terraform', 'terraform.tfstate'],
      ['nmap', 'nmap.xml'],
      ['kubernetes', 'kubectl-svc.json'],
    ] as const) {
      const r = await cli(['import', source, path.join(fixtures, file)]);
      expect(r.code, `${source}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`by \`exposure-audit import ${source}\``);
      expect(parseInventory(r.stdout, 'x.yaml', services).inventory.targets.length).toBeGreaterThan(1);
    }
  });

  it('--out writes the file, refuses to overwrite without --force', async () => {
    const out = path.join(dir, 'from-nmap.yaml');
    const r = await cli(['import', 'nmap', path.join(fixtures, 'nmap.xml'), '--out', 'from-nmap.yaml']);
    expect([r.code, r.stdout]).toEqual([0, `wrote ${out}\n`]);
    // Port 22 has no probe, 9000 could be ClickHouse or MinIO; 5432 is PostgreSQL's.
    expect(r.stderr).toBe('exposure-audit import: 2 items not imported (listed at the end of the file)\n');
    const v = await cli(['validate', out]);
    // 8000 is also an MCP default port (supergateway): `mcp: [8000]` beside http; 9000 (ClickHouse or MinIO) is left to
    // the http catalog, not mapped to either product.
    expect([v.code, v.stdout]).toEqual([0, `${out}: ok, 3 targets, 7 endpoints\n`]);
    const again = await cli(['import', 'nmap', path.join(fixtures, 'nmap.xml'), '--out', 'from-nmap.yaml']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect((await cli(['import', 'nmap', path.join(fixtures, 'nmap.xml'), '--out', 'from-nmap.yaml', '--force'])).code).toBe(0);
  });

  it('--into merges into an existing inventory and keeps its comments; --into with --out is refused', async () => {
    const into = path.join(dir, 'kept.yaml');
    writeFileSync(into, '# ours\ntargets:\n  - host: 127.0.0.99 # by hand\n');
    const r = await cli(['import', 'nmap', path.join(fixtures, 'nmap.xml'), '--into', 'kept.yaml']);
    expect([r.code, r.stdout]).toEqual([0, `merged into ${into}: 3 targets added, 0 targets updated\n`]);
    const text = readFileSync(into, 'utf8');
    expect(text).toMatch(/^# ours\n/);
    expect(text).toContain('# by hand');
    expect((await cli(['validate', into])).code).toBe(0);
    const both = await cli(['import', 'nmap', path.join(fixtures, 'nmap.xml'), '--into', 'kept.yaml', '--out', 'x.yaml']);
    expect([both.code, both.stderr]).toEqual([2, 'exposure-audit: EA_USAGE: --into and --out: choose one\n']);
    const missing = await cli(['import', 'nmap', path.join(fixtures, 'nmap.xml'), '--into', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('unknown source, unreadable file, wrong format: usage errors that say why', async () => {
    const typo = await cli(['import', 'terrafrom', path.join(fixtures, 'terraform.tfstate')]);
    expect([typo.code, typo.stderr]).toEqual([
      2,
      'exposure-audit: EA_USAGE: unknown source "terrafrom" (did you mean terraform?): one of ansible, terraform, nmap, kubernetes\n',
    ]);
    const missing = await cli(['import', 'nmap', 'nope.xml']);
    expect([missing.code, missing.stderr]).toEqual([2, 'exposure-audit: EA_USAGE: import nmap nope.xml: no such file\n']);
    // A FIFO as input or as --out is refused at once (it would block until a writer or reader came).
    const fifo = path.join(dir, 'pipe.xml');
    execFileSync('mkfifo', [fifo]);
    const fromFifo = await cli(['import', 'nmap', fifo]);
    expect([fromFifo.code, fromFifo.stderr]).toEqual([
      2,
      `exposure-audit: EA_USAGE: import nmap ${fifo}: is a FIFO (named pipe), not a regular file\n`,
    ]);
    const toFifo = await cli(['import', 'nmap', path.join(fixtures, 'nmap.xml'), '--out', fifo]);
    expect([toFifo.code, toFifo.stderr]).toEqual([2, `exposure-audit: EA_USAGE: --out ${fifo}: is a FIFO (named pipe), not a file\n`]);
    const wrong = await cli(['import', 'kubernetes', path.join(fixtures, 'nmap.xml')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/import kubernetes .*nmap\.xml: not JSON/);
  });
});

describe('exposure-audit validate: warnings', () => {
  it('label values the classifier ignores, and overlaps with the declaration that wins', async () => {
    const file = path.join(dir, 'overlap.yaml');
    writeFileSync(
      file,
      [
        'targets:',
        '  - host: 127.0.0.0/30',
        '    name: lab',
        '    services: {redis: [6379]}',
        '  - host: 127.0.0.2',
        '    name: cache',
        '    services: {redis: [6379, 6380]}',
        '    labels: {exposure: public}',
        '    expect: auth-required',
        '  - host: 127.0.0.5',
        '    labels: {Exposure: internet, owner: me}',
        '  - host: localhost',
        '    services: {redis: [6379]}',
        '',
      ].join('\n'),
    );
    const r = await cli(['validate', file]);
    expect(r.code).toBe(0);
    const everyDefault = new Set(
      probes
        .filter((p) => p.meta.defaultExpansion !== false)
        .flatMap((p) => p.meta.defaultPorts.map((port) => `${p.meta.service}|${port}`)),
    ).size;
    expect(r.stdout).toBe(`${file}: ok, 4 targets, ${4 + 1 + everyDefault} endpoints\n`);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `${file}:5:11: warning: label exposure: public is ignored by the classifier: it acts on exposure: internet only`,
      `${file}:5:11: warning: 127.0.0.2 overlaps 127.0.0.0/30 (line 2) on 1 endpoint: audited once, as declared at line 2 (asset lab); this declaration's name, labels and expect do not apply there`,
      `${file}:10:11: warning: label Exposure is free-form (not read by the classifier); did you mean exposure?`,
      `${file}:12:11: warning: localhost overlaps 127.0.0.0/30 (line 2) on 1 endpoint: audited once, as declared at line 2 (asset lab); this declaration's name, labels and expect do not apply there`,
    ]);
  });

  it('the classifier acts on exactly the label values the warning lists', () => {
    const base: EndpointResult = {
      host: '127.0.0.2',
      port: 6379,
      service: 'redis',
      probe: 'elasticsearch',
      asset: 'a',
      declaredHost: '127.0.0.2',
      labels: {},
      source: { file: 'x', line: 1, column: 1 },
      status: 'exposed',
      evidence: { requests: [] },
      facts: {},
      durationMs: 1,
    } as unknown as EndpointResult;
    const es = { ...base, service: 'elasticsearch', data: { items: [], totals: { rows: 10 } } } as unknown as EndpointResult;
    const sev = (labels: Record<string, string>) => classify({ ...es, labels })!.severity;
    expect(sev({ exposure: classifierLabels.exposure![0]! })).not.toBe(sev({}));
    expect(sev({ exposure: 'public' })).toBe(sev({}));
    expect(Object.keys(classifierLabels)).toEqual(['exposure']);
  });
});

describe('did you mean', () => {
  it('an unknown command (read as an inventory file by the default scan) gets a suggestion', async () => {
    const r = await cli(['valdiate', 'targets.yaml']);
    expect([r.code, r.stderr]).toEqual([
      2,
      'exposure-audit: EA_USAGE: unknown command "valdiate" (did you mean validate?); to scan an inventory, name its file (targets.yaml)\n',
    ]);
    const init = await cli(['int']);
    expect(init.stderr).toContain('did you mean init?');
  });

  it('an unknown --service and an unknown service in the inventory get a suggestion', async () => {
    const file = path.join(dir, 'svc.yaml');
    writeFileSync(file, 'targets:\n  - host: 127.0.0.3\n    services: {rediss: [6379]}\n');
    const bad = await cli(['validate', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown service "rediss" (did you mean redis?)');
    const flag = await cli(['scan', file, '--service', 'elastic']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--service elastic: no such service (did you mean "elasticsearch"');
  });

  it('plural, edit distance and closest', () => {
    expect([plural(0, 'finding'), plural(1, 'finding'), plural(2, 'finding'), plural(1, 'was', 'were')]).toEqual([
      '0 findings',
      '1 finding',
      '2 findings',
      '1 was',
    ]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('clikhouse', ['redis', 'clickhouse'])).toBe('clickhouse');
    expect(closest('mongodb', ['redis', 'clickhouse', 'kibana'])).toBeUndefined();
  });
});
