import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../../src/report/compact.js';
import { interruptOnce } from '../../../scripts/bench/interrupt.js';
import { startRaw, type FakeServer } from '../../support/fake-servers.js';

/**
 * SIGINT / SIGTERM against the built CLI (`npm run build`, then node dist/src/cli/main.js) auditing 40 tarpit
 * endpoints on 127.0.0.180–181 with a 10 s deadline and 4 in flight, over an existing report file. The first signal
 * must say so on stderr, stop scheduling, end the in-flight probes, write a report flagged `run.complete: false`
 * (the probes caught in flight are rows with error/EA_ABORTED; the endpoints never started are one count,
 * `run.notStarted`) atomically over the old one, and exit 130 promptly. A second signal exits 130 at once; the
 * report file is then the old one or the complete new one, never a truncated mix. Then the same at fleet size: a
 * /16 × 3 ports (196,608 endpoints), interrupted once the sweep has begun.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'dist/src/cli/main.js');
/** The installed entry (package.json's bin), for the fleet-size run as users start it. */
const installed = path.join(
  root,
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['exposure-audit']!,
);
const dir = mkdtempSync(path.join(tmpdir(), 'ea-interrupt-'));
const HOSTS = ['127.0.0.180', '127.0.0.181'];
const PORTS_PER_HOST = 20;
const CONCURRENCY = 4;
// A hang guard, not a speed bound: the in-flight probes wait 10 s, so an exit well before that proves they were ended.
// How fast the exit is belongs to `npm run bench --interrupt` (a loaded runner took 3.4 s here beside stress-ng).
const EXIT_BOUND_MS = 8000;
const tarpits: FakeServer[] = [];
let inventory = '';
const oldReport = JSON.stringify({ old: true, note: 'the report from the previous run' });

beforeAll(async () => {
  // Build the CLI as shipped. Other work in progress may make tsc report errors while it still emits; what matters
  // is a fresh dist/src/cli/main.js.
  const t0 = Date.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  if (!existsSync(cli) || statSync(cli).mtimeMs < t0 - 1000)
    throw new Error(`npm run build did not produce ${cli}:\n${build.stdout}\n${build.stderr}`);
  for (const host of HOSTS) for (let i = 0; i < PORTS_PER_HOST; i++) tarpits.push(await startRaw(host, { kind: 'silent' }));
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      ...HOSTS.flatMap((h) => [
        `  - host: ${h}`,
        `    services: {redis: [${tarpits
          .filter((t) => t.host === h)
          .map((t) => t.port)
          .join(', ')}]}`,
      ]),
      'defaults: {timeout: 10s, connectTimeout: 2s}',
      '',
    ].join('\n'),
  );
}, 180_000);

afterAll(async () => {
  await Promise.all(tarpits.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

const connections = () => tarpits.reduce((n, t) => n + (t.connections?.() ?? 0), 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function interrupted(signals: NodeJS.Signals[], gapMs = 0) {
  const out = path.join(dir, `report-${signals.join('-')}.json`);
  writeFileSync(out, oldReport);
  const before = connections();
  const child = spawn(
    process.execPath,
    [cli, inventory, '--format', 'json', '--out', out, '--concurrency', String(CONCURRENCY), '--per-host-concurrency', '2'],
    {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: path.join(dir, 'state-home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const started = Date.now();
  // ~300 ms, and at least until probing has begun (the signal handlers are installed before any probe connects);
  // a loaded runner may take many seconds to start the CLI: bounded at 60 s.
  for (let i = 0; i < 2400 && (Date.now() - started < 300 || connections() === before); i++) await sleep(25);
  expect(connections(), 'the CLI started probing').toBeGreaterThan(before);
  const signalledAt = Date.now();
  for (const [i, s] of signals.entries()) {
    if (i > 0) await sleep(gapMs);
    child.kill(s);
  }
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const { code, signal } = await exited;
  clearTimeout(killer);
  const exitMs = Date.now() - signalledAt;
  const atExit = connections() - before;
  await sleep(300);
  return { out, code, signal, exitMs, stdout, stderr, attempted: atExit, attemptedLater: connections() - before };
}

describe('interrupting the built CLI', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: stops scheduling, writes an incomplete report atomically, exits 130',
    async (sig) => {
      const r = await interrupted([sig]);
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(130);
      expect(r.exitMs).toBeLessThan(EXIT_BOUND_MS);
      console.log(`interrupt: ${sig} → exit 130 after ${r.exitMs} ms; ${r.attempted} endpoints had been attempted`);

      // Stopped scheduling: nothing after the exit. Connections counted: the connect phase's (one per endpoint at
      // most, closed at once) and the probes in flight (at most CONCURRENCY).
      expect(r.attempted).toBeLessThanOrEqual(HOSTS.length * PORTS_PER_HOST + CONCURRENCY);
      expect(r.attemptedLater).toBe(r.attempted);

      expect(r.stderr).toMatch(/^interrupted: writing the report of \d+ tested endpoints?; press Ctrl-C again to quit now$/m);
      const report = parseReport(JSON.parse(readFileSync(r.out, 'utf8')));
      expect(report.run.complete).toBe(false);
      // Only the probes in flight are rows (each ended as error / EA_ABORTED); every other endpoint was never
      // started, and is one count, not a row.
      expect(report.endpoints.length).toBeLessThanOrEqual(CONCURRENCY);
      for (const e of report.endpoints) {
        expect(e.status).toBe('error');
        expect(e.error?.code).toBe('EA_ABORTED');
        expect(e.probe).not.toBe('-');
      }
      expect(report.endpoints.length + (report.run.notStarted ?? 0)).toBe(HOSTS.length * PORTS_PER_HOST);
      expect(report.summary.notTested).toBe(report.endpoints.length);
      // stdout carries the same report.
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(r.out, 'utf8')));
      // No temp file and no spool (--format json --out *.json streams results through one) left beside the report.
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.spool'))).toEqual([]);
    },
    30_000,
  );

  it('a second signal exits 130 at once; the report file is the old one or the complete new one', async () => {
    const r = await interrupted(['SIGINT', 'SIGINT'], 5);
    expect(r.code).toBe(130);
    expect(r.exitMs).toBeLessThan(EXIT_BOUND_MS);
    const text = readFileSync(r.out, 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (text === oldReport) expect(parsed).toEqual(JSON.parse(oldReport));
    else expect(parseReport(parsed).run.complete).toBe(false);
    // process.exit runs no `finally`: the exit hook removes the spool and any temp file.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.spool'))).toEqual([]);
  }, 120_000);
});

/**
 * Fleet size (issue 23 part 1): a /16 of loopback addresses × 3 ports, the table on stdout plus HTML and metrics
 * files — the run that took 13.5 s to exit and printed 375,175 `error … interrupted` rows. Three tarpits on the
 * range's second address tell when the sweep has begun; every other address refuses at once. Asserted: exit 130,
 * the one line on stderr, stdout under 1 MB, the never-started endpoints one count. The time from signal to exit
 * is printed and bounded generously only (a loaded machine delays the signal itself); `npm run bench` measures it.
 */
describe('interrupting a /16 × 3-port scan', () => {
  const FLEET = '127.77.0.0/16';
  const fleetTarpits: FakeServer[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) fleetTarpits.push(await startRaw('127.77.0.1', { kind: 'silent' }));
  });
  afterAll(async () => {
    await Promise.all(fleetTarpits.map((t) => t.close()));
  });

  it('exits 130 with one line on stderr, a small stdout, and one count for the endpoints never started', async () => {
    const fleetInventory = path.join(dir, 'fleet.yaml');
    writeFileSync(fleetInventory, `targets:\n  - host: ${FLEET}\n    services: {redis: [${fleetTarpits.map((t) => t.port).join(', ')}]}\n`);
    const connected = () => fleetTarpits.reduce((n, t) => n + (t.connections?.() ?? 0), 0);
    // The sweep has begun (the tarpits on the second address were connected to), plus a moment of it.
    const r = await interruptOnce(installed, dir, fleetInventory, connected, 500);
    const { code, stderr, stdoutBytes, exitMs } = r;
    const { html, json } = r.files;
    console.log(`interrupt at fleet size: SIGINT → exit ${code} after ${exitMs.toFixed(0)} ms (stdout ${stdoutBytes} bytes)`);

    expect(r.started, 'the scan started').toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/^interrupted: writing the report of \d+ tested endpoints?; press Ctrl-C again to quit now$/m);
    expect(stderr.match(/interrupted:/g)).toHaveLength(1);
    expect(stdoutBytes).toBeLessThan(1024 * 1024);
    expect(exitMs).toBeLessThan(20_000);
    const report = parseReport(JSON.parse(readFileSync(json, 'utf8')));
    expect(report.run.complete).toBe(false);
    expect(report.run.notStarted).toBeGreaterThan(0);
    expect(report.endpoints.length + report.run.notStarted!).toBe(65_536 * 3);
    expect(report.endpoints.filter((e) => e.probe === '-')).toEqual([]);
    expect(statSync(html).size).toBeLessThan(report.endpoints.length * 2048 + 1024 * 1024);
  }, 180_000);
});
