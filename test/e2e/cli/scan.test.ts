import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';
import { type Report } from '../../../src/report/schema.js';
import { parseReport } from '../../../src/report/compact.js';
import { outOfDate } from '../../../scripts/gen-outputs.js';
import { reportJsonSchema } from '../../../scripts/gen-schema.js';
import { seedRedis, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';

// Real Redis and ClickHouse on 127.0.0.131–133; a tarpit, an HTTP server and a closed port on 127.0.0.134–136.
const dir = mkdtempSync(path.join(tmpdir(), 'ea-cli-'));
let redisOpen: ServerInstance, redisSecured: ServerInstance, ch: ServerInstance;
let tarpit: FakeServer, web: FakeServer;
let closed = 0;
let inventory = '';

beforeAll(async () => {
  [redisOpen, redisSecured, ch] = await Promise.all([
    startServer({ kind: 'redis', variant: 'open', host: '127.0.0.131' }),
    startServer({ kind: 'redis', variant: 'protected', host: '127.0.0.132' }),
    startServer({ kind: 'clickhouse', variant: 'open', host: '127.0.0.133' }),
  ]);
  await seedRedis(redisOpen, { 'session:1': 'a', 'session:2': 'b' });
  tarpit = await startRaw('127.0.0.134', { kind: 'silent' });
  web = await startHttp('127.0.0.135', (_q, r) => r.end('<html>hi</html>'));
  closed = await closedPort('127.0.0.136');
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      `  - host: 127.0.0.131`,
      '    name: sessions-cache',
      `    services: {redis: [${redisOpen.ports.redis}]}`,
      '    labels: {exposure: internal, owner: web-team}',
      `  - host: 127.0.0.132`,
      `    services: {redis: [${redisSecured.ports.redis}]}`,
      `  - host: 127.0.0.133`,
      '    name: analytics-replica',
      `    services: {clickhouse: [${ch.ports.http}, ${ch.ports.native}]}`,
      `  - host: 127.0.0.134`,
      `    services: {redis: [${tarpit.port}]}`,
      `  - host: 127.0.0.135`,
      `    services: {redis: [${web.port}]}`,
      `  - host: 127.0.0.136`,
      `    services: {redis: [${closed}]}`,
      // The product's default deadlines: the real Redis and ClickHouse must answer within them on a loaded machine
      // (at 800 ms, Redis INFO and ClickHouse's reply to HTTP on its native port timed out at load average 20). The
      // tarpit still ends in `timeout`, one deadline per run.
      'defaults: {timeout: 3s, connectTimeout: 2s}',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([tarpit.close(), web.close()]);
  await stopAll();
});

describe('exposure-audit scan', () => {
  let report: Report;

  it('audits the inventory: exposed, auth-required, timeout, not-detected, closed — and exits 1', async () => {
    const out = path.join(dir, 'report.json');
    const r = await cli([inventory, '--format', 'json', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    report = parseReport(JSON.parse(r.stdout));
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(r.stdout));
    const status = Object.fromEntries(report.endpoints.map((e) => [`${e.host}:${e.port}`, e.status]));
    expect(status).toEqual({
      [`127.0.0.131:${redisOpen.ports.redis}`]: 'exposed',
      [`127.0.0.132:${redisSecured.ports.redis}`]: 'auth-required',
      [`127.0.0.133:${ch.ports.http}`]: 'exposed',
      [`127.0.0.133:${ch.ports.native}`]: 'exposed',
      [`127.0.0.134:${tarpit.port}`]: 'timeout',
      [`127.0.0.135:${web.port}`]: 'not-detected',
      [`127.0.0.136:${closed}`]: 'closed',
    });
    expect(report.summary).toMatchObject({
      endpoints: 7,
      notTested: 1,
      byStatus: { exposed: 3, 'auth-required': 1, timeout: 1, closed: 1, 'not-detected': 1 },
    });
    expect(report.run.complete).toBe(true);
  });

  it('findings carry severity, a one-line reason, the inventory line, and a stable fingerprint', async () => {
    const redis = report.findings.find((f) => f.service === 'redis')!;
    expect(redis).toMatchObject({ severity: 'critical', asset: 'sessions-cache', source: { line: 2, column: 11 } });
    expect(redis.reason).toMatch(/^critical: unauthenticated read\/write of 2 keys/);
    expect(redis.reason).toMatch(/sensitive names: session:/);
    const again = parseReport(JSON.parse((await cli([inventory, '--format', 'json'])).stdout));
    expect(again.findings.map((f) => f.fingerprint).sort()).toEqual(report.findings.map((f) => f.fingerprint).sort());
  });

  it('--fail-on critical still fails; a run with only lower findings passes', async () => {
    expect((await cli([inventory, '--format', 'json', '--fail-on', 'critical'])).code).toBe(1);
    const onlyCh = path.join(dir, 'ch.yaml');
    writeFileSync(onlyCh, `targets:\n  - host: 127.0.0.133\n    services: {clickhouse: [${ch.ports.http}]}\n`);
    // An empty ClickHouse (no user tables) is medium: below the default fail-on of high.
    const r = await cli([onlyCh, '--format', 'json']);
    expect(parseReport(JSON.parse(r.stdout)).findings.map((f) => f.severity)).toEqual(['medium']);
    expect(r.code).toBe(0);
  });

  it('the table ends with a status summary that counts what was not tested', async () => {
    const r = await cli([inventory]);
    expect(r.stdout).toMatch(
      /7 endpoints: 3 exposed, 1 auth-required, 1 not-detected, 1 closed, 1 timeout — 1 not tested \(timeout or error\)/,
    );
    // eslint-disable-next-line no-control-regex -- an ANSI escape is what must be absent
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('NO_COLOR wins over a TTY', async () => {
    // eslint-disable-next-line no-control-regex -- an ANSI escape is what must be absent
    expect((await cli([inventory, '--quiet'], { isTty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
  });

  it('-q: the summary line, then one line per critical or high finding, worst first (issue 23 part 5)', async () => {
    const r = await cli([inventory, '-q', '--no-state']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^7 endpoints: 3 exposed/);
    const serious = report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
    expect(serious.length).toBeGreaterThan(0);
    expect(lines.slice(1)).toEqual(
      serious.map((f) => expect.stringMatching(new RegExp(`^${f.severity} +\\S*.*${f.host}:${f.port} ${f.service}: `))),
    );
    expect(r.stdout).toContain(`sessions-cache 127.0.0.131:${redisOpen.ports.redis} redis: `);
  });

  it('scan is also available as an explicit subcommand', async () => {
    expect((await cli(['scan', inventory, '--quiet'])).stdout).toMatch(/^7 endpoints:/);
  });
});

describe('errors and other commands', () => {
  it('a bad inventory: exit 2, one line with file:line:column, no stack, nothing written', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'targets:\n  - host: 127.0.0.2\n    services: {redis: [99999]}\n');
    const out = path.join(dir, 'never.json');
    const r = await cli([bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${bad}:3:24: targets.0.services.redis.0: ports run from 1 to 65535\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing inventory: exit 2', async () => {
    const r = await cli([path.join(dir, 'nope.yaml')]);
    expect([r.code, r.stderr]).toEqual([2, `${path.join(dir, 'nope.yaml')}:1:1: no such file\n`]);
  });

  it('bad usage: exit 2', async () => {
    expect((await cli([inventory, '--fail-on', 'severe'])).code).toBe(2);
    expect((await cli([inventory, '--out', path.join(dir, 'r.pdf')])).code).toBe(2);
  });

  it('--source-address that is not ours: exit 2 before probing', async () => {
    const r = await cli([inventory, '--source-address', '::2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/EA_USAGE: --source-address ::2 is not an address of this machine/);
  });

  it('validate: ok line and exit 0', async () => {
    const r = await cli(['validate', inventory]);
    expect([r.code, r.stdout]).toEqual([0, `${inventory}: ok, 6 targets, 7 endpoints\n`]);
  });

  it('probes: lists every probe with what it sends', async () => {
    const r = await cli(['probes', '--json']);
    const list = JSON.parse(r.stdout) as Array<{ id: string; sends: string[] }>;
    expect(list.map((p) => p.id)).toEqual(expect.arrayContaining(['redis', 'clickhouse-http', 'clickhouse-native']));
    expect((await cli(['probes'])).stdout).toMatch(/INFO/);
  });

  it('--out leaves no temporary files behind', async () => {
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the committed JSON Schema matches the report model', () => {
    expect(
      readFileSync(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8'),
      outOfDate('schema/report.schema.json'),
    ).toBe(reportJsonSchema());
  });
});
