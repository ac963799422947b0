import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStatePath, updateState, type State } from '../../../src/continuous/state.js';
import { testStateHome } from '../../support/cli.js';
import type { Report } from '../../../src/report/schema.js';
import { startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { cli, clock, parseReport, tempDir } from '../../support/continuous.js';

// Real open Redis on 127.0.0.202 and 127.0.0.203.
let a: ServerInstance, b: ServerInstance;
let inventoryText = '';

beforeAll(async () => {
  [a, b] = await Promise.all([
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.202' }),
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.203' }),
  ]);
  inventoryText = [
    'targets:',
    '  - host: 127.0.0.202',
    '    name: cache-a',
    `    services: {redis: [${a.ports.redis}]}`,
    '  - host: 127.0.0.203',
    '    name: cache-b',
    `    services: {redis: [${b.ports.redis}]}`,
    'defaults: {timeout: 2s, connectTimeout: 1s}',
  ].join('\n');
}, 60_000);

afterAll(() => stopAll());

function fleet(): { dir: string; inventory: string; state: string } {
  const dir = tempDir('state');
  const inventory = path.join(dir, 'targets.yaml');
  writeFileSync(inventory, inventoryText);
  // The default state file: the user's state directory (here the test's XDG_STATE_HOME), keyed by the inventory's path.
  return { dir, inventory, state: defaultStatePath(inventory, { XDG_STATE_HOME: testStateHome }) };
}

describe('the state file: first seen, last seen, age', () => {
  it('two clocks 51 days apart: "open since 2026-10-02, 51 days"', async () => {
    const { dir, inventory, state } = fleet();
    const r1 = await cli([inventory, '--format', 'json'], { now: clock('2026-10-02T06:00:00Z') });
    expect(r1.stderr).toBe('');
    const first = parseReport(r1.stdout);
    expect(first.findings.map((f) => [f.asset, f.firstSeen, f.ageDays, f.change])).toEqual([
      ['cache-a', '2026-10-02T06:00:00.000Z', 0, 'new'],
      ['cache-b', '2026-10-02T06:00:00.000Z', 0, 'new'],
    ]);
    expect(first.diff).toMatchObject({ baseline: `state:${state}`, new: 2 });
    // Written by default under the user's state directory, not beside the inventory, atomically (no temporary file left behind).
    expect(state.startsWith(path.join(testStateHome, 'exposure-audit', 'targets-'))).toBe(true);
    expect(existsSync(path.join(dir, '.exposure-audit'))).toBe(false);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as State;
    expect(Object.values(saved.findings).map((e) => [e.asset, e.firstSeen, e.lastSeen])).toEqual(
      expect.arrayContaining([
        ['cache-a', '2026-10-02T06:00:00.000Z', '2026-10-02T06:00:00.000Z'],
        ['cache-b', '2026-10-02T06:00:00.000Z', '2026-10-02T06:00:00.000Z'],
      ]),
    );
    // Beside it, the fingerprint key (issue 15: secret fingerprints are HMACs under a per-installation key).
    expect(readdirSync(path.dirname(state)).sort()).toEqual(['.exposure-audit-key', 'state.json']);

    const later = clock('2026-11-22T06:00:00Z');
    const r2 = await cli([inventory, '--format', 'json'], { now: later });
    const second = parseReport(r2.stdout);
    expect(second.findings.map((f) => [f.firstSeen, f.ageDays, f.change])).toEqual([
      ['2026-10-02T06:00:00.000Z', 51, 'unchanged'],
      ['2026-10-02T06:00:00.000Z', 51, 'unchanged'],
    ]);
    const e = Object.values((JSON.parse(readFileSync(state, 'utf8')) as State).findings)[0]!;
    expect([e.firstSeen, e.lastSeen]).toEqual(['2026-10-02T06:00:00.000Z', '2026-11-22T06:00:00.000Z']);
    const table = await cli([inventory], { now: later });
    expect(table.stdout).toContain('open since 2026-10-02, 51 days');
  });

  it('--state FILE is used instead; --no-state writes nothing; --shard disables it', async () => {
    const { dir, inventory, state } = fleet();
    // Its folder must exist, as --out's must.
    mkdirSync(path.join(dir, 'elsewhere'));
    const custom = path.join(dir, 'elsewhere', 'audit-state.json');
    await cli([inventory, '--quiet', '--state', custom], { now: clock('2026-10-02T00:00:00Z') });
    expect(existsSync(custom)).toBe(true);
    expect(existsSync(state)).toBe(false);
    const r = await cli([inventory, '--format', 'json', '--state', custom], { now: clock('2026-10-05T00:00:00Z') });
    expect(parseReport(r.stdout).findings.map((f) => f.ageDays)).toEqual([3, 3]);
    await cli([inventory, '--quiet', '--no-state']);
    await cli([inventory, '--quiet', '--shard', '1/2']);
    expect(existsSync(state)).toBe(false);
    const noState = parseReport((await cli([inventory, '--format', 'json', '--no-state'], { now: clock('2026-10-05T00:00:00Z') })).stdout);
    expect(noState.findings.map((f) => [f.firstSeen, f.ageDays, f.change])).toEqual([
      ['2026-10-05T00:00:00.000Z', 0, undefined],
      ['2026-10-05T00:00:00.000Z', 0, undefined],
    ]);
    expect(noState.diff).toBeUndefined();
    const both = await cli([inventory, '--shard', '1/2', '--state', custom]);
    expect([both.code, both.stderr]).toEqual([
      2,
      expect.stringMatching(/^exposure-audit: EA_USAGE: --state cannot be combined with --shard/),
    ]);
  });

  it('a corrupt state file: exit 2 before probing, never silently reset', async () => {
    const { inventory, dir } = fleet();
    const bad = path.join(dir, 'bad-state.json');
    writeFileSync(bad, '{"tool":"exposure-audit","stateVersion":1,"findings":[]}');
    const r = await cli([inventory, '--state', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^exposure-audit: EA_USAGE: the state file .*bad-state\.json is not an exposure-audit state \(updatedAt: .*\): fix or delete it, or pass --no-state\n$/,
    );
    writeFileSync(bad, 'not json');
    expect((await cli([inventory, '--state', bad])).stderr).toMatch(/is not JSON/);
    expect(readFileSync(bad, 'utf8')).toBe('not json');
    // Checked as an output path before probing (issue 16).
    expect((await cli([inventory, '--state', dir])).stderr).toBe(`exposure-audit: EA_OUTPUT: --state ${dir}: is a directory, not a file\n`);
  });

  it('--state and --out treat a missing folder alike: exit 2 before probing, the same words', async () => {
    const { inventory, dir } = fleet();
    const missing = path.join(dir, 'nosuchdir');
    const s = await cli([inventory, '--state', path.join(missing, 's.json')]);
    const o = await cli([inventory, '--no-state', '-o', path.join(missing, 'r.json')]);
    expect([s.code, o.code]).toEqual([2, 2]);
    expect(s.stderr).toBe(`exposure-audit: EA_OUTPUT: --state ${path.join(missing, 's.json')}: the folder ${missing} does not exist\n`);
    expect(o.stderr).toBe(`exposure-audit: EA_OUTPUT: --out ${path.join(missing, 'r.json')}: the folder ${missing} does not exist\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it('the default state: one folder per inventory under XDG_STATE_HOME; a read-only one is one warning, the run goes on', async () => {
    const { inventory, dir } = fleet();
    const home = path.join(dir, 'xdg');
    const r = await cli([inventory, '-q'], { env: { XDG_STATE_HOME: home } });
    expect(r.stderr).toBe('');
    expect(existsSync(defaultStatePath(inventory, { XDG_STATE_HOME: home }))).toBe(true);
    // Two inventories of the same name in two folders: two state folders.
    const other = path.join(dir, 'other');
    mkdirSync(other);
    writeFileSync(path.join(other, 'targets.yaml'), readFileSync(inventory));
    expect(defaultStatePath(path.join(other, 'targets.yaml'), { XDG_STATE_HOME: home })).not.toBe(
      defaultStatePath(inventory, { XDG_STATE_HOME: home }),
    );
    // A relative XDG_STATE_HOME is ignored (the XDG spec): HOME's ~/.local/state instead.
    expect(defaultStatePath(inventory, { XDG_STATE_HOME: 'rel', HOME: dir })).toMatch(new RegExp(`^${dir}/\\.local/state/exposure-audit/`));
    // Unwritable (a file where the folder would be: unwritable even for root): one warning line, no state, the
    // exit code is the run's.
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    const w = await cli([inventory, '-q'], { env: { XDG_STATE_HOME: blocked } });
    expect(w.stderr.match(/warning/g)).toHaveLength(1);
    expect(w.stderr).toMatch(
      /^exposure-audit: warning: no state this run: the default state file .*state\.json: cannot use it \(ENOTDIR\) \(pass --state FILE or --no-state\)\n$/,
    );
    expect(w.code).toBe(r.code);
  });
});

describe('updateState (in memory)', () => {
  const finding = (fp: string, host: string): Report['findings'][number] =>
    ({
      fingerprint: fp,
      severity: 'high',
      title: 't',
      check: 'redis:unauthenticated',
      asset: host,
      host,
      port: 6379,
      service: 'redis',
    }) as Report['findings'][number];
  const endpoint = (host: string, status: Report['endpoints'][number]['status']) =>
    ({ host, port: 6379, service: 'redis', status }) as Report['endpoints'][number];
  const entry = (host: string, lastSeen: string) => ({
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen,
    severity: 'high' as const,
    title: 't',
    check: 'c',
    asset: host,
    host,
    port: 6379,
    service: 'redis',
  });

  it('resolved entries go, untested ones stay (until 90 days unseen), open ones keep their first sighting', () => {
    const prev: State = {
      tool: 'exposure-audit',
      stateVersion: 1,
      updatedAt: '2026-03-01T00:00:00.000Z',
      findings: {
        open: entry('127.0.0.1', '2026-03-01T00:00:00.000Z'),
        fixed: entry('127.0.0.2', '2026-03-01T00:00:00.000Z'),
        silent: entry('127.0.0.3', '2026-03-01T00:00:00.000Z'),
        otherShard: entry('127.0.0.4', '2026-03-01T00:00:00.000Z'),
        forgotten: entry('127.0.0.5', '2025-11-01T00:00:00.000Z'),
      },
    };
    const report = {
      endpoints: [endpoint('127.0.0.1', 'exposed'), endpoint('127.0.0.2', 'closed'), endpoint('127.0.0.3', 'timeout')],
      findings: [finding('open', '127.0.0.1'), finding('brand-new', '127.0.0.6')],
    } as Report;
    const next = updateState(prev, report, new Date('2026-03-02T00:00:00Z'));
    expect(Object.keys(next.findings).sort()).toEqual(['brand-new', 'open', 'otherShard', 'silent']);
    expect(next.findings.open).toMatchObject({ firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-03-02T00:00:00.000Z' });
    expect(next.findings['brand-new']).toMatchObject({ firstSeen: '2026-03-02T00:00:00.000Z' });
    expect(next.findings.silent).toEqual(prev.findings.silent);
  });
});
