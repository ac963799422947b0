// Issue 21 part 3, end to end: an exposure the state file (or the --baseline) remembers is re-checked with the full
// timeout before its verdict can move it to "not re-checked". Real Redis behind a proxy that swallows connections while
// stalled: silent through the main pass and the first re-check attempt, it answers the second — the run still reports
// it exposed (unchanged, not "not re-checked"), and the report row says it was re-checked. The proxy is switched when
// the CLI says the re-check starts, never after a wait.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { startStallProxy, type StallProxy } from '../../support/stall-proxy.js';
import { cli, parseReport, tempDir } from '../../support/continuous.js';

describe('a remembered exposure that stalls once is re-checked, not moved to "not re-checked"', () => {
  let redis: ServerInstance | undefined;
  let proxy: StallProxy;
  const dir = tempDir('recheck');
  const state = path.join(dir, 'state.json');
  const inventory = path.join(dir, 'targets.yaml');
  const first = path.join(dir, 'first.json');
  const report = path.join(dir, 'report.json');
  const common = ['--timeout', '1s', '--connect-timeout', '1s', '--no-progress'];

  /** A scan whose main pass gets nothing: the proxy stalls until the CLI says the re-check starts, then swallows one more. */
  async function stalledOnce(args: string[]) {
    proxy.stall();
    let stderr = '';
    const r = await cli(['scan', inventory, '--out', report, ...common, ...args], {
      stderr: (s) => {
        stderr += s;
        if (s.includes('note: re-checking 1 known exposure')) proxy.stallNext(1);
      },
    });
    return { ...r, stderr, report: parseReport(readFileSync(report, 'utf8')) };
  }

  beforeAll(async () => {
    redis = await startServer({ kind: 'redis', variant: 'open', host: '127.0.21.41' });
    proxy = await startStallProxy('127.0.21.42', '127.0.21.41', redis.ports.redis!);
    writeFileSync(inventory, `targets:\n  - host: 127.0.21.42\n    services: {redis: [${proxy.port}]}\n`);
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await stopAll();
  });

  it('from the state file: exposed and unchanged, the row says re-checked; the state keeps it as seen', async () => {
    const seen = await cli(['scan', inventory, '--cron', '--state', state, '--out', first, ...common]);
    expect(seen.code, seen.stderr).toBe(1);

    const again = await stalledOnce(['--state', state]);
    expect(again.code, again.stderr).toBe(1); // the critical finding is still open, and known
    expect(again.stderr).toMatch(/note: re-checking 1 known exposure that got no verdict, with the full timeout/);
    const row = again.report.endpoints[0]!;
    expect(row.status).toBe('exposed');
    expect(row.evidence.notes?.[0]).toMatch(
      /^known exposure re-checked 2× with the full timeout \(1000 ms\) after the main pass's timeout/,
    );
    expect(again.report.findings.map((f) => f.change)).toEqual(['unchanged']);
    expect(again.report.diff!.notRetested).toEqual([]);
    const kept = JSON.parse(readFileSync(state, 'utf8')) as { findings: Record<string, { lastSeen: string; firstSeen: string }> };
    const f = Object.values(kept.findings);
    expect(f.length).toBe(1);
    expect(f[0]!.lastSeen > f[0]!.firstSeen).toBe(true);
  }, 120_000);

  it('from --baseline (no state file): the same', async () => {
    const again = await stalledOnce(['--no-state', '--baseline', first]);
    expect(again.code, again.stderr).toBe(1);
    expect(again.report.endpoints[0]!.status).toBe('exposed');
    expect(again.report.endpoints[0]!.evidence.notes?.[0]).toMatch(/^known exposure re-checked 2× with the full timeout/);
    expect(again.report.findings.map((f) => f.change)).toEqual(['unchanged']);
  }, 120_000);

  it('nothing remembered: nothing re-checked, the stalled Redis is reported as the main pass left it', async () => {
    proxy.stall();
    const r = await cli(['scan', inventory, '--out', report, ...common, '--no-state']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/re-checking/);
    const row = parseReport(readFileSync(report, 'utf8')).endpoints[0]!;
    expect(row.status).toBe('timeout');
    expect(row.evidence.notes?.join(' ')).not.toMatch(/re-checked/);
  }, 120_000);
});
