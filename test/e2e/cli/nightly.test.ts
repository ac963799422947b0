import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/main.js';
import { cli as runCli } from '../../support/cli.js';
import { closedPort, startRaw, type FakeServer } from '../../support/fake-servers.js';

// Issue 16: a run either audits what was declared or fails with one clear line. Loopback only (127.0.0.161–163).
const dir = mkdtempSync(path.join(tmpdir(), 'ea-nightly-cli-'));
let tarpit: FakeServer;
let closed = 0;
let inventory = '';
const resolver: CliIo['resolver'] = async (name) => {
  if (name === 'cache.internal.example') return ['127.0.0.163'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

const cli = (args: string[]) => runCli(args, { resolver });
const oneLine = (s: string) => s.trimEnd().split('\n').length === 1 && !/\n\s+at /.test(s);

beforeAll(async () => {
  tarpit = await startRaw('127.0.0.161', { kind: 'silent' });
  closed = await closedPort('127.0.0.162');
  const closed2 = await closedPort('127.0.0.163');
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      `  - host: 127.0.0.162`,
      `    services: {redis: [${closed}]}`,
      `  - host: cache.internal.example`,
      `    services: {redis: [${closed2}]}`,
      'defaults: {timeout: 300ms, connectTimeout: 200ms}',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await tarpit.close();
});

describe('selections that match nothing are exit 2 with "did you mean"', () => {
  it('--service reddis', async () => {
    const r = await cli([inventory, '--service', 'reddis', '--no-state']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('exposure-audit: EA_USAGE: --service reddis: no such service (did you mean "redis"?)\n');
  });

  it('--service of a known service that no target declares', async () => {
    const r = await cli([inventory, '--service', 'clickhouse', '--no-state']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^exposure-audit: EA_USAGE: --service clickhouse selects no endpoint: no target of .* declares it/);
  });

  it('--target with a typo', async () => {
    const r = await cli([inventory, '--target', '127.0.0.126', '--no-state']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--target 127\.0\.0\.126 matches no target of .*\(did you mean "127\.0\.0\.162"\?\)\n$/);
    const ok = await cli([inventory, '--target', '127.0.0.162', '--no-state', '-f', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).summary.endpoints).toBe(1);
  });

  it('`services: {}` is an inventory problem, not "0 endpoints"', async () => {
    const f = path.join(dir, 'empty-services.yaml');
    writeFileSync(f, 'targets:\n  - host: 127.0.0.162\n    services: {}\n');
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^.*empty-services\.yaml:3:15: services is empty/);
  });
});

describe('per-target resilience', () => {
  it('a name that does not resolve: that target is error / EA_DNS, the rest is audited; --strict fails fast', async () => {
    const f = path.join(dir, 'dns.yaml');
    writeFileSync(
      f,
      `targets:\n  - host: nowhere.invalid\n    services: {redis: [6379]}\n  - host: 127.0.0.162\n    services: {redis: [${closed}]}\n`,
    );
    const r = await cli([f, '-f', 'json', '--no-state']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const byHost = Object.fromEntries(report.endpoints.map((e: { host: string; status: string; error?: { code: string } }) => [e.host, e]));
    expect(byHost['nowhere.invalid']).toMatchObject({ status: 'error', error: { code: 'EA_DNS' } });
    expect(byHost['127.0.0.162']).toMatchObject({ status: 'closed' });
    // …and it counts as not tested.
    expect((await cli([f, '--no-state', '-q', '--fail-on-untested'])).code).toBe(3);
    const strict = await cli([f, '--no-state', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toBe(`${f}:2:11: nowhere.invalid did not resolve (ENOTFOUND)\n`);
  });

  it('validate reports duplicates, CIDR sizes and names in one pass, one line each', async () => {
    const f = path.join(dir, 'many.yaml');
    writeFileSync(f, 'targets:\n  - host: 127.0.0.2\n  - host: 127.0.0.2\n  - host: 127.0.0.0/8\n  - host: nowhere.invalid\n');
    const r = await cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `${f}:3:11: duplicate target: 127.0.0.2 is already declared at line 2`,
      expect.stringMatching(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:11: 127\\.0\\.0\\.0/8 is 16777216 addresses`)),
      `${f}:5:11: nowhere.invalid did not resolve (ENOTFOUND)`,
    ]);
  });
});

describe('--fail-on-untested: a run that could not test its endpoints fails', () => {
  it('closed counts as tested; a timeout does not; thresholds as a count or a percentage', async () => {
    const f = path.join(dir, 'untested.yaml');
    writeFileSync(
      f,
      `targets:\n  - host: 127.0.0.161\n    services: {redis: [${tarpit.port}]}\n  - host: 127.0.0.162\n    services: {redis: [${closed}]}\ndefaults: {timeout: 300ms, connectTimeout: 200ms}\n`,
    );
    expect((await cli([f, '--no-state', '-q'])).code).toBe(0); // the old green night
    const r = await cli(['--fail-on-untested', f, '--no-state', '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('exposure-audit: 1 of 2 endpoints could not be tested (timeout 1, error 0), over --fail-on-untested 0\n');
    expect((await cli([f, '--no-state', '-q', '--fail-on-untested', '50%'])).code).toBe(0);
    expect((await cli([f, '--no-state', '-q', '--fail-on-untested', '49%'])).code).toBe(3);
    expect((await cli([f, '--no-state', '-q', '--fail-on-untested', '1'])).code).toBe(0);
    expect((await cli([f, '--no-state', '-q', '--fail-on-untested', '--service', 'redis', '--target', '127.0.0.162'])).code).toBe(0);
  });
});

describe('inputs: every failure one line, before probing', () => {
  it('a FIFO as inventory, state, baseline or suppressions: exit 2 at once, one line', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const args of [
      [fifo],
      [inventory, '--state', fifo],
      [inventory, '--no-state', '--baseline', fifo],
      [inventory, '--no-state', '--suppressions', fifo],
      ['merge', fifo],
    ]) {
      const t0 = Date.now();
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/FIFO/);
      expect(oneLine(r.stderr)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(3000);
    }
  });

  it('a bad --out (missing folder, a directory) or --state (a directory) is exit 2 before a single connection', async () => {
    const before = tarpit.connections!();
    const f = path.join(dir, 'tarpit.yaml');
    writeFileSync(f, `targets:\n  - host: 127.0.0.161\n    services: {redis: [${tarpit.port}]}\n`);
    const missing = await cli([f, '--no-state', '--out', path.join(dir, 'no', 'such', 'r.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^exposure-audit: EA_OUTPUT: --out .*r\.json: the folder .*such does not exist\n$/);
    const adir = path.join(dir, 'adir.json');
    mkdirSync(adir);
    expect((await cli([f, '--no-state', '--out', adir])).stderr).toMatch(/is a directory, not a file\n$/);
    expect((await cli([f, '--state', dir])).code).toBe(2);
    expect(tarpit.connections!()).toBe(before);
  });

  it('the endpoint bound: refused with the numbers, nothing expanded', async () => {
    const f = path.join(dir, 'huge.yaml');
    const ports = Array.from({ length: 260 }, (_, i) => 10_000 + i).join(', ');
    writeFileSync(f, `targets:\n  - host: 127.0.0.0/16\n    services: {http: [${ports}]}\n`);
    const r = await cli([f, '--no-state']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${f}:1:1: the inventory makes 17,039,360 endpoints (65,536 addresses × their services' ports; the largest, 127.0.0.0/16, makes 17,039,360), over the cap of 1,048,576: split it, select with --service/--target/--shard, or raise --max-endpoints\n`,
    );
  });

  it('durations: --timeout 40000m and 0.4ms are refused; --timeout 3000 is 3 s like YAML', async () => {
    for (const t of ['40000m', '0.4ms']) {
      const r = await cli([inventory, '--no-state', '--timeout', t]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/expected a duration from 1ms/);
    }
    expect((await cli([inventory, '--no-state', '-q', '--timeout', '3000'])).code).toBe(0);
  });

  it('a merge input nested 20,000 levels deep: exit 2, one line', async () => {
    const f = path.join(dir, 'deep.json');
    writeFileSync(f, `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    const r = await cli(['merge', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`exposure-audit: EA_USAGE: merge: ${f}: nested deeper than 64 levels: not an exposure-audit file\n`);
  });

  it('no temp files are left beside the outputs', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
