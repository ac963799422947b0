import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isExpired, matchesFinding, parseSuppressions } from '../../../src/continuous/suppressions.js';
import { services } from '../../../src/cli/registry.js';
import { InventoryError } from '../../../src/inventory/load.js';
import type { Report } from '../../../src/report/schema.js';
import { startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { cli, clock, parseReport, tempDir } from '../../support/continuous.js';

// Real open Redis on 127.0.0.208; 127.0.0.209 is named only by a stale suppression (nothing is probed there).
const dir = tempDir('supp');
const inventory = path.join(dir, 'targets.yaml');
let redis: ServerInstance;

const before = clock('2026-12-31T23:59:00Z'); // the last day of the suppression
const after = clock('2027-01-01T00:00:00Z'); // the day after

beforeAll(async () => {
  redis = await startServer({ kind: 'redis', variant: 'open', host: '127.0.0.208' });
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.0.208',
      '    name: legacy-cache',
      `    services: {redis: [${redis.ports.redis}]}`,
      'defaults: {timeout: 2s, connectTimeout: 1s}',
      'suppressions:',
      '  - host: 127.0.0.208',
      '    service: redis',
      '    reason: isolated VLAN, decommissioned in Q4',
      '    owner: data-team',
      '    expires: 2026-12-31',
      '  - host: 127.0.0.209',
      '    reason: old replica',
      '    owner: web-team',
      '    expires: 2027-06-30',
    ].join('\n'),
  );
}, 60_000);

afterAll(() => stopAll());

describe('suppressions in the inventory, judged by the injected clock', () => {
  it('before expiry: the finding stays in the report, suppressed, and exit 0', async () => {
    const r = await cli([inventory, '--format', 'json', '--no-state'], { now: before });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = parseReport(r.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      severity: 'critical',
      suppressed: {
        reason: 'isolated VLAN, decommissioned in Q4',
        owner: 'data-team',
        expires: '2026-12-31',
        source: { file: inventory, line: 7, column: 5 },
      },
    });
    expect(report.findings[0]!.suppressionExpired).toBeUndefined();
    expect(report.summary).toMatchObject({ findings: 1, suppressed: 1, bySeverity: { critical: 1 } });
    const table = await cli([inventory, '--no-state'], { now: before });
    expect(table.stdout).toMatch(/critical\s+│[^\n]*\n│ SUPPRESSED/);
    expect(table.stdout).toMatch(/suppressed until 2026-12-31 by data-team:/);
    expect(table.stdout).toMatch(/1 finding: 1 critical \(1 suppressed\)/);
  });

  it('after expiry: raised again with a note, and exit 1', async () => {
    const r = await cli([inventory, '--format', 'json', '--no-state'], { now: after });
    expect(r.code).toBe(1);
    const f = parseReport(r.stdout).findings[0]!;
    expect(f.suppressed).toBeUndefined();
    expect(f.suppressionExpired).toMatchObject({ owner: 'data-team', expires: '2026-12-31' });
    expect(f.reason).toMatch(/^critical: .*; suppression by data-team expired on 2026-12-31 \(was: isolated VLAN, decommissioned in Q4\)$/);
    expect(parseReport(r.stdout).summary.suppressed).toBe(0);
    const table = await cli([inventory, '--no-state'], { now: after });
    expect(table.stdout).toMatch(/│ EXPIRED/);
  });

  it('a suppression that matches nothing is reported as stale, with where it is declared', async () => {
    const report = parseReport((await cli([inventory, '--format', 'json', '--no-state'], { now: before })).stdout);
    expect(report.suppressions).toEqual({
      declared: 2,
      applied: 1,
      expired: 0,
      stale: [
        {
          host: '127.0.0.209',
          reason: 'old replica',
          owner: 'web-team',
          expires: '2027-06-30',
          expired: false,
          source: { file: inventory, line: 12, column: 5 },
        },
      ],
    });
    expect(parseReport((await cli([inventory, '--format', 'json', '--no-state'], { now: after })).stdout).suppressions).toMatchObject({
      applied: 0,
      expired: 1,
    });
    const table = await cli([inventory, '--no-state'], { now: before });
    expect(table.stdout).toContain(
      `STALE SUPPRESSIONS (1) — matched no finding; remove them:\n  ${inventory}:12:5: host 127.0.0.209 (owner web-team, expires 2027-06-30)`,
    );
  });

  it('--fail-on-new counts a finding whose suppression expired', async () => {
    const baseline = path.join(dir, 'before.json');
    await cli([inventory, '--format', 'json', '--no-state', '--out', baseline], { now: before });
    expect((await cli([inventory, '--quiet', '--no-state', '--baseline', baseline, '--fail-on-new'], { now: before })).code).toBe(0);
    expect((await cli([inventory, '--quiet', '--no-state', '--baseline', baseline, '--fail-on-new'], { now: after })).code).toBe(1);
  });
});

describe('--suppressions FILE', () => {
  const plain = path.join(dir, 'plain.yaml');
  beforeAll(() =>
    writeFileSync(plain, `targets:\n  - host: 127.0.0.208\n    name: legacy-cache\n    services: {redis: [${redis.ports.redis}]}\n`),
  );

  it('the same shape as the inventory: matches by asset and check', async () => {
    const file = path.join(dir, 'accepted.yaml');
    writeFileSync(
      file,
      'suppressions:\n  - asset: legacy-cache\n    check: unauthenticated\n    reason: read-only demo data\n    owner: alice\n    expires: 2027-03-01\n',
    );
    const r = await cli([plain, '--format', 'json', '--no-state', '--suppressions', file], { now: before });
    expect(r.code).toBe(0);
    expect(parseReport(r.stdout).findings[0]!.suppressed).toMatchObject({ owner: 'alice', source: { file, line: 2, column: 5 } });
  });

  it('invalid entries: exit 2, every problem as file:line:column, nothing written', async () => {
    const file = path.join(dir, 'bad-suppressions.yaml');
    writeFileSync(
      file,
      [
        'suppressions:',
        '  - host: 127.0.0.208', // line 2: owner and expires missing
        '    reason: x',
        '  - asset: a', // line 4: bad date
        '    reason: x',
        '    owner: y',
        '    expires: 2026-02-30',
        '  - service: redis', // line 8: neither host nor asset
        '    reason: x',
        '    owner: y',
        '    expires: 2027-01-01',
        '    colour: red', // line 12: unknown key
      ].join('\n'),
    );
    const out = path.join(dir, 'never.json');
    const r = await cli([plain, '--out', out, '--suppressions', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual(
      [
        `${file}:2:5: suppressions.0.owner: required`,
        `${file}:2:5: suppressions.0.expires: required`,
        `${file}:7:14: suppressions.1.expires: "2026-02-30" is not a date YYYY-MM-DD`,
        `${file}:8:5: suppressions.2: a suppression needs \`host\` or \`asset\` (or both)`,
        `${file}:12:5: suppressions.2: unknown key "colour"`,
      ].sort(),
    );
    expect(existsSync(out)).toBe(false);
    // One problem alone: neither host nor asset.
    writeFileSync(file, 'suppressions:\n  - service: redis\n    reason: x\n    owner: y\n    expires: 2027-01-01\n');
    expect((await cli([plain, '--suppressions', file])).stderr).toBe(
      `${file}:2:5: suppressions.0: a suppression needs \`host\` or \`asset\` (or both)\n`,
    );
    expect((await cli([plain, '--suppressions', path.join(dir, 'none.yaml')])).stderr).toBe(
      `${path.join(dir, 'none.yaml')}:1:1: no such file\n`,
    );
    // A device is refused before a byte is read: never a hang.
    expect((await cli([plain, '--suppressions', '/dev/zero'])).stderr).toBe('/dev/zero:1:1: is a character device, not a regular file\n');
    expect((await cli([plain, '--suppressions', dir])).stderr).toBe(`${dir}:1:1: is a directory\n`);
  });

  it('in the inventory, the same validation and positions', async () => {
    const bad = path.join(dir, 'bad-inventory.yaml');
    writeFileSync(
      bad,
      'targets:\n  - host: 127.0.0.208\nsuppressions:\n  - host: 127.0.0.208\n    reason: x\n    owner: y\n    expires: tomorrow\n    port: 70000\n',
    );
    const r = await cli([bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual(
      [
        `${bad}:7:14: suppressions.0.expires: "tomorrow" is not a date YYYY-MM-DD`,
        `${bad}:8:11: suppressions.0.port: ports run from 1 to 65535`,
      ].sort(),
    );
  });
});

describe('matching rules (in memory)', () => {
  const f = {
    host: '127.0.0.208',
    port: 6379,
    service: 'redis',
    asset: 'legacy-cache',
    check: 'redis:unauthenticated',
  } as Report['findings'][number];
  const ep = { declaredHost: 'cache.internal.example', hostname: 'cache.internal.example' } as Report['endpoints'][number];
  const s = { reason: 'r', owner: 'o', expires: '2027-01-01' };

  it('host by address, CIDR or declared name; asset; service, port and check narrow', () => {
    expect(matchesFinding({ ...s, host: '127.0.0.208' }, f)).toBe(true);
    expect(matchesFinding({ ...s, host: '127.0.0.0/24' }, f)).toBe(true);
    expect(matchesFinding({ ...s, host: '127.0.1.0/24' }, f)).toBe(false);
    expect(matchesFinding({ ...s, host: 'cache.internal.example' }, f, ep)).toBe(true);
    expect(matchesFinding({ ...s, host: '::1' }, f)).toBe(false);
    expect(matchesFinding({ ...s, asset: 'legacy-cache' }, f)).toBe(true);
    expect(matchesFinding({ ...s, asset: 'legacy-cache', host: '127.0.0.9' }, f)).toBe(false); // both must match
    expect(matchesFinding({ ...s, asset: 'legacy-cache', port: 6380 }, f)).toBe(false);
    expect(matchesFinding({ ...s, asset: 'legacy-cache', service: 'clickhouse' }, f)).toBe(false);
    expect(matchesFinding({ ...s, asset: 'legacy-cache', check: 'redis:unauthenticated' }, f)).toBe(true);
    expect(matchesFinding({ ...s, asset: 'legacy-cache', check: 'unauthenticated' }, f)).toBe(true);
    expect(matchesFinding({ ...s, asset: 'legacy-cache', check: 'no-password' }, f)).toBe(false);
  });

  it('expires is the last day in force (UTC)', () => {
    expect(isExpired({ expires: '2026-12-31' }, new Date('2026-12-31T23:59:59.999Z'))).toBe(false);
    expect(isExpired({ expires: '2026-12-31' }, new Date('2027-01-01T00:00:00Z'))).toBe(true);
  });

  it('a suppressions file must be a mapping with a list', () => {
    expect(() => parseSuppressions('- host: 127.0.0.1\n', 's.yaml', services)).toThrow(InventoryError);
    expect(() => parseSuppressions('suppressions: {}\n', 's.yaml', services)).toThrow(
      /s\.yaml:1:15: suppressions: suppressions must be a list/,
    );
    expect(readFileSync(inventory, 'utf8')).toMatch(/suppressions:/);
  });
});

describe('suppressions file: the same YAML front end as the inventory', () => {
  it('an alias bomb is one file:line:column line, not a crash', async () => {
    const { parseSuppressions } = await import('../../../src/continuous/suppressions.js');
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
      'suppressions: *h',
      '',
    ].join('\n');
    let message = '';
    try {
      parseSuppressions(bomb, 'supp.yaml', services);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^supp\.yaml:\d+:\d+: YAML: /);
  });
});
