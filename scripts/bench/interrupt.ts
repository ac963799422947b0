// `npm run bench -- --interrupt` (and part of the full run): Ctrl-C at fleet size (issue 23 part 1). The CLI as
// installed (package.json's bin) audits a /16 × 3 ports of loopback addresses where nothing listens — every connect
// is refused at once, so the sweep runs flat out — with the table on stdout and HTML, metrics and JSON files, as the
// issue measured it. Three silent listeners on the range's second address tell when the sweep has begun; SIGINT goes
// DELAY_MS later, and the time from the signal to the process's exit is measured, N times. Loopback only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTarpits, type Tarpits } from './tarpit.js';

/** The target: exit 130 within this many ms of the signal (issue 23 part 1). */
export const INTERRUPT_CEILING_MS = 500;
/** The fleet: 65,536 addresses; the ports are picked free on its first address. */
const FLEET = '127.9.0.0/16';
const FIRST = '127.9.0.1';
/** stdout must stay under this (it was 42 MB of `error … interrupted` rows). */
const STDOUT_LIMIT = 1024 * 1024;

export interface InterruptRun {
  exitMs: number;
  code: number | null;
  stdoutBytes: number;
  stderr: string;
  /** The report files written: `fleet.html`, `fleet.prom`, `fleet.json` in the run's folder. */
  files: { html: string; metrics: string; json: string };
  /** Whether the sweep was seen to begin before the signal. */
  started: boolean;
  tested: number | undefined;
  interruptedLines: number;
  load1: number;
}

/** A port nothing listens on at `host` (bound by the kernel, then closed). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One interrupted run (also test/cli/interrupt.test.ts's): `bin` audits `inventory` with the table on stdout and the
 * HTML, metrics and JSON reports in `dir`; SIGINT goes `delayMs` after `accepted()` (connections to the listeners on
 * the range's second address) first grows, and the time from the signal to the child's exit is measured.
 */
export async function interruptOnce(
  bin: string,
  dir: string,
  inventory: string,
  accepted: () => number,
  delayMs: number,
): Promise<InterruptRun> {
  const files = { html: path.join(dir, 'fleet.html'), metrics: path.join(dir, 'fleet.prom'), json: path.join(dir, 'fleet.json') };
  const child = spawn(process.execPath, [bin, inventory, '--no-state', '-o', files.html, '-o', files.metrics, '-o', files.json], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdoutBytes += d.length));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: performance.now() })),
  );
  const before = accepted();
  // Bounded: 60 s for the CLI to start and reach the range's second address.
  for (let i = 0; i < 2400 && accepted() === before && child.exitCode === null; i++) await sleep(25);
  const started = accepted() > before;
  await sleep(delayMs);
  const signalledAt = performance.now();
  child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const { code, at } = await exited;
  clearTimeout(killer);
  const tested = /interrupted: writing the report of ([\d,]+) tested endpoint/.exec(stderr)?.[1];
  return {
    exitMs: at - signalledAt,
    code,
    stdoutBytes,
    stderr,
    files,
    started,
    tested: tested === undefined ? undefined : Number(tested.replace(/,/g, '')),
    interruptedLines: stderr.match(/^interrupted:/gm)?.length ?? 0,
    load1: os.loadavg()[0]!,
  };
}

/** The section of the bench's Markdown: every run, the median against the ceiling, and the load average. */
export async function interruptLatency(bin: string, opts: { runs: number; delayMs: number; log: (s: string) => void }): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-bench-interrupt-'));
  const ports = [await freePort(FIRST), await freePort(FIRST), await freePort(FIRST)];
  const tarpits: Tarpits[] = [];
  try {
    for (const port of ports) tarpits.push(await startTarpits([FIRST], port));
    const accepted = () => tarpits.reduce((n, t) => n + t.accepted(), 0);
    const inventory = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(inventory, `targets:\n  - host: ${FLEET}\n    services: {redis: [${ports.join(', ')}]}\n`);
    const load = os.loadavg();
    const runs: InterruptRun[] = [];
    for (let i = 0; i < opts.runs; i++) {
      opts.log(`interrupt: run ${i + 1} of ${opts.runs} (${FLEET} × 3 ports, SIGINT ${opts.delayMs} ms into the sweep) …`);
      runs.push(await interruptOnce(bin, dir, inventory, accepted, opts.delayMs));
    }
    const sorted = runs.map((r) => r.exitMs).sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1]!;
    const ok = (r: InterruptRun) => r.started && r.code === 130 && r.interruptedLines === 1 && r.stdoutBytes < STDOUT_LIMIT;
    const rows = runs.map((r, i) =>
      [
        i + 1,
        r.exitMs.toFixed(0),
        String(r.code),
        r.tested?.toLocaleString('en-US') ?? '?',
        r.stdoutBytes.toLocaleString('en-US'),
        r.load1.toFixed(2),
        ok(r) ? 'yes' : 'NO',
      ].join(' | '),
    );
    return (
      `### Interrupt at fleet size (${FLEET} × 3 refused ports = 196,608 endpoints; table on stdout, HTML + metrics + JSON files; ` +
      `SIGINT ${opts.delayMs} ms after the sweep began; target exit 130 within ${INTERRUPT_CEILING_MS} ms)\n\n` +
      `| run | signal → exit ms | exit code | tested endpoints | stdout bytes | load average (1 min) at the end | exit 130, one line, stdout < 1 MB |\n` +
      `|---|---|---|---|---|---|---|\n` +
      rows.map((r) => `| ${r} |`).join('\n') +
      `\n\nMedian of ${runs.length}: **${median.toFixed(0)} ms** — ${median <= INTERRUPT_CEILING_MS ? 'within' : 'OVER'} the ${INTERRUPT_CEILING_MS} ms target; ` +
      `load average at the start ${load.map((l) => l.toFixed(2)).join(' ')}.\n`
    );
  } finally {
    await Promise.allSettled(tarpits.map((t) => t.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
