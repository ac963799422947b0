import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startRaw, type FakeServer } from '../../support/fake-servers.js';

// Issue 16, the shipped entry point (package.json's bin: dist/src/cli/bin.cjs) as a process: EPIPE on stdout, a signal
// during start-up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = path.join(root, pkg.bin['exposure-audit']!);
const dir = mkdtempSync(path.join(tmpdir(), 'ea-nightly-proc-'));
let tarpit: FakeServer;
let inventory = '';

beforeAll(async () => {
  const t0 = Date.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  if (!existsSync(bin) || statSync(bin).mtimeMs < t0 - 1000)
    throw new Error(`npm run build did not produce ${bin}:\n${build.stdout}\n${build.stderr}`);
  tarpit = await startRaw('127.0.0.171', { kind: 'silent' });
  const ports = [await closedPort('127.0.0.172'), await closedPort('127.0.0.172')];
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    `targets:\n  - host: 127.0.0.172\n    services: {redis: [${ports.join(', ')}]}\n  - host: 127.0.0.171\n    services: {redis: [${tarpit.port}]}\ndefaults: {timeout: 2s, connectTimeout: 1s}\n`,
  );
}, 200_000);

afterAll(async () => {
  await tarpit?.close();
});

function run(
  args: string[],
  opts: { closeStdoutAfter?: number; signalWhenReady?: boolean } = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const env = opts.signalWhenReady ? { ...process.env, EXPOSURE_AUDIT_SIGNAL_READY: '1' } : process.env;
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stderr = '';
    let seen = 0;
    child.stderr.on('data', (d) => {
      stderr += d;
      // Signal the moment the handlers exist: the CLI's modules are still loading (about 300 ms on an idle machine).
      if (opts.signalWhenReady && stderr.includes('signal handlers installed') && !child.killed) child.kill('SIGINT');
    });
    child.stdout.on('data', (d: Buffer) => {
      seen += d.length;
      // `| head -c N`: the reader goes away after N bytes.
      if (opts.closeStdoutAfter !== undefined && seen >= opts.closeStdoutAfter) child.stdout.destroy();
    });
    if (opts.closeStdoutAfter === 0) child.stdout.destroy();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('the CLI process', () => {
  it("stdout closed early (| head): no stack trace, the run's exit code, the state written", async () => {
    const state = path.join(dir, 'state-epipe.json');
    const r = await run([inventory, '-f', 'json', '--state', state], { closeStdoutAfter: 0 });
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(r.code).toBe(0); // nothing found: closed and a timeout
    expect(JSON.parse(readFileSync(state, 'utf8')).tool).toBe('exposure-audit');
  }, 40_000);

  it('a SIGINT during start-up (before the CLI modules load) is an interrupted run with its report, exit 130 (signalled as soon as the handlers exist, while the CLI modules load)', async () => {
    const out = path.join(dir, 'early.json');
    const r = await run([inventory, '-f', 'json', '--no-state', '--out', out], { signalWhenReady: true });
    expect(r.code).toBe(130);
    expect(JSON.parse(readFileSync(out, 'utf8')).run.complete).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 40_000);
});
