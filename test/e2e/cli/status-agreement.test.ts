// The real CLI on loopback (127.0.9.21–23): one run with a closed port, a silent tarpit (timeout), a name that does
// not resolve (error / EA_DNS) and an HTTP server on a Redis port (not-detected). The "not tested" count on stdout
// (summary line), stderr (--fail-on-untested), and in the JSON, metrics, JUnit, Markdown and HTML files is one number.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/main.js';
import { parseReport } from '../../../src/report/compact.js';
import { cli as runCli } from '../../support/cli.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ea-status-agree-'));
const servers: FakeServer[] = [];
let inventory = '';
const resolver: CliIo['resolver'] = async (name) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

beforeAll(async () => {
  const tarpit = await startRaw('127.0.9.21', { kind: 'silent' });
  const web = await startHttp('127.0.9.23', (_req, res) => res.end('hello'));
  servers.push(tarpit, web);
  const closed = await closedPort('127.0.9.22');
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.9.21',
      `    services: {redis: [${tarpit.port}]}`,
      '  - host: 127.0.9.22',
      `    services: {redis: [${closed}]}`,
      '  - host: gone.invalid',
      '    services: {redis: [6379]}',
      '  - host: 127.0.9.23',
      `    services: {redis: [${web.port}]}`,
      'defaults: {timeout: 400ms, connectTimeout: 2s}',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stdout, stderr and every report file count the same endpoints as not tested', () => {
  it('2 of 4 (the timeout and the unresolved name); closed and not-detected were tested', async () => {
    const file = (ext: string) => path.join(dir, `r.${ext}`);
    const exts = ['json', 'prom', 'xml', 'md', 'html'];
    const r = await runCli([inventory, '--no-state', '--fail-on-untested', '0', ...exts.flatMap((x) => ['--out', file(x)])], { resolver });
    const report = parseReport(JSON.parse(readFileSync(file('json'), 'utf8')));
    expect(report.summary.byStatus).toMatchObject({ closed: 1, timeout: 1, error: 1, 'not-detected': 1 });
    const n = report.summary.notTested;
    expect(n).toBe(2);

    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`^4 endpoints: .* — ${n} not tested \\(timeout or error\\)$`, 'm'));
    expect(r.stderr).toBe(`exposure-audit: ${n} of 4 endpoints could not be tested (timeout 1, error 1), over --fail-on-untested 0\n`);
    expect(readFileSync(file('prom'), 'utf8')).toMatch(new RegExp(`^exposure_audit_endpoints_not_tested(\\{[^}]*\\})? ${n}$`, 'm'));
    expect(/<testsuites [^>]*skipped="(\d+)"/.exec(readFileSync(file('xml'), 'utf8'))?.[1]).toBe(String(n));
    const md = readFileSync(file('md'), 'utf8');
    expect(md).toContain(`**${n} endpoints were not tested**`);
    expect(md).toContain(`| **not tested** | **${n}** |`);
    const html = readFileSync(file('html'), 'utf8');
    expect(html).toContain(`data-testid="summary-not-tested">${n}<`);
    expect(html).toContain(`<strong>${n} endpoints were not tested</strong>`);
  });
});
