// Nightly operation (issue 14): `--cron` prints nothing on a night with nothing new, and one line — counts and the
// report path — on a night with something new; the state file keeps a bounded history of run summaries, which
// the HTML report draws as a trend (inline SVG, one point per run) and metrics.prom turns into gauges.
// Loopback only: an open Elasticsearch replay on 127.0.0.174, closed ports on 127.0.0.177.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { maxHistory } from '../../../src/report/trend.js';
import { startStub, type StubServer } from '../../fixtures/elasticsearch-stub.js';
import { closedPort } from '../../support/fake-servers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ea-cron-'));
const state = path.join(dir, 'state.json');
const html = path.join(dir, 'report.html');
const prom = path.join(dir, 'metrics.prom');
let es: StubServer;
let closed = 0;
let inventory = '';
const day = (n: number) => new Date(Date.UTC(2026, 4, 1 + n, 3, 0, 0));

async function night(n: number, extra: string[] = []) {
  let stdout = '';
  let stderr = '';
  const args = [inventory, '--cron', '--state', state, '-o', html, '-o', prom, ...extra];
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, now: () => day(n) });
  return { code, stdout, stderr };
}

function writeInventory(withEs: boolean) {
  writeFileSync(
    inventory,
    [
      'targets:',
      '  - host: 127.0.0.177',
      `    services: {redis: [${closed}]}`,
      ...(withEs ? ['  - host: 127.0.0.174', `    services: {elasticsearch: [${es.port}]}`] : []),
      'defaults: {timeout: 2s, connectTimeout: 1s}',
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  es = await startStub('es7-open', '127.0.0.174');
  closed = await closedPort('127.0.0.177');
  inventory = path.join(dir, 'targets.yaml');
});
afterAll(async () => {
  await es?.close();
});

describe('--cron', () => {
  it('prints nothing on a night with nothing found', async () => {
    writeInventory(false);
    const r = await night(0);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints one line when something is new: the counts and the report path', async () => {
    writeInventory(true);
    const r = await night(1);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // an open Elasticsearch is at or above --fail-on high
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^exposure-audit: 1 new \(1 (critical|high)\); open: 1 (critical|high); report: /);
    expect(lines[0]!.endsWith(`report: ${html}`)).toBe(true);
  });

  it('prints nothing the next night, when the same finding is still open and nothing is new', async () => {
    const r = await night(2);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1); // still failing: silence is about cron mail, not the exit code
  });

  it('keeps one run summary per night in the state file, and draws them in the HTML trend', async () => {
    await es.close(); // the exposure is fixed (the port now refuses): tested again and gone, resolved on night 3
    expect((await night(3)).stdout).toBe('');
    const s = JSON.parse(readFileSync(state, 'utf8')) as {
      history: Array<{ at: string; open: Record<string, number>; new: number; resolved: number; fixDays?: number[] }>;
    };
    expect(s.history.map((h) => h.at)).toEqual([0, 1, 2, 3].map((n) => day(n).toISOString()));
    expect(s.history.map((h) => h.new)).toEqual([0, 1, 0, 0]);
    expect(s.history[3]!.resolved).toBe(1);
    expect(s.history[3]!.fixDays).toEqual([2]); // first seen night 1, resolved night 3
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('data-testid="trend"');
    for (const sev of ['critical', 'high', 'medium', 'low', 'info'])
      expect(page).toContain(`data-testid="trend-open-${sev}" data-points="4"`);
    expect(page).toContain('data-testid="trend-oldest-days" data-points="4"');
    expect(page).toContain('data-testid="trend-fix-days" data-points="1"'); // one night resolved something
    expect(page).not.toMatch(/(src|href)=["']?https?:/); // self-contained
    const metrics = readFileSync(prom, 'utf8');
    expect(metrics).toMatch(/^exposure_audit_history_runs\{[^}]*\} 4$/m);
    expect(metrics).toMatch(/^exposure_audit_time_to_fix_seconds\{[^}]*\} 172800$/m);
    expect(metrics).toMatch(/^exposure_audit_oldest_open_finding_seconds\{[^}]*\} 0$/m);
  });

  it('keeps at most the last 90 run summaries', async () => {
    const s = JSON.parse(readFileSync(state, 'utf8')) as { history: Array<{ at: string }> };
    const old = Array.from({ length: 120 }, (_, i) => ({ ...s.history[0]!, at: new Date(Date.UTC(2025, 0, 1 + i)).toISOString() }));
    writeFileSync(state, JSON.stringify({ ...s, history: [...old, ...s.history] }));
    expect((await night(4)).stdout).toBe('');
    const after = JSON.parse(readFileSync(state, 'utf8')) as { history: Array<{ at: string }> };
    expect(after.history).toHaveLength(maxHistory);
    expect(after.history[after.history.length - 1]!.at).toBe(day(4).toISOString());
    expect(readFileSync(html, 'utf8')).toContain(`data-testid="trend-open-critical" data-points="${maxHistory}"`);
  });
});
