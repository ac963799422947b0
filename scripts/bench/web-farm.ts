// The web-farm part of `npm run bench` (issue 24 parts 1, 4, 6). Run by scripts/bench.ts as
//
//   unshare -n node dist/scripts/bench/web-farm.js [--quick]
//
// inside a private network namespace of its own (only `lo`; ports 80 and 8080 need root, which unshare has).
// One real nginx (Debian's, one worker) listens on 254 hosts × ports 80 and 8080 of 127.0.5.0/24: `/` answers a
// welcome page, everything else nginx's 404 — web servers that run none of the catalog's products. The inventory
// declares them `http: [80, 8080]`. Side by side in the same run, at the same concurrency (the CLI default, 64):
//   - three interleaved pairs of a one-GET-per-endpoint sweep (get-sweep.js, the ceiling: one attempt per endpoint,
//     same concurrency) and exposure-audit with its defaults: wall times, each pair's ratio and the ratio of the
//     medians (target ≤ 3×), requests per endpoint from nginx's access log (target ≤ 8), `timeout` count (0);
//   - the same three pairs beside two CPU-bound processes (`node -e 'for(;;);'` ×2, stopped by pid): no verdict
//     may differ from the first run's.
// The load average is printed before and after. Everything started here is stopped by pid.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseReport } from '../../src/report/compact.js';
import { startHogs, stopProcesses as stop } from './hogs.js';
import { killChildren, measure, type Measured } from './measure.js';
import { installedCli } from './installed-cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = installedCli;
const SWEEP = path.join(here, 'get-sweep.js');
const QUICK = process.argv.includes('--quick');
const HOSTS = QUICK ? 32 : 254;
const PORTS = [80, 8080];
const CONCURRENCY = 64;
/** Interleaved (sweep, exposure-audit) pairs per condition. */
const PAIRS = QUICK ? 1 : 3;
const NGINX = '/usr/sbin/nginx';

const log = (s: string) => process.stderr.write(`bench (web farm): ${s}\n`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-webfarm-'));
const sec = (ms: number) => (ms / 1000).toFixed(2);
const hosts = Array.from({ length: HOSTS }, (_, i) => `127.0.5.${i + 1}`);
const started: ChildProcess[] = [];
let nginx: ChildProcess | undefined;

function setUpNamespace(): void {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.split(':')[1]?.trim());
  if (links.length !== 1 || links[0] !== 'lo')
    throw new Error(`not in a private network namespace (links: ${links.join(', ')}): run as \`unshare -n node ${process.argv[1]}\``);
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
}

async function listening(host: string, port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port }, () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Debian's nginx, one worker, every farm address:port, an access log of request lines (one per request). */
async function startFarm(): Promise<{ accessLog: string; version: string }> {
  const www = path.join(tmp, 'www');
  fs.mkdirSync(www);
  fs.chmodSync(tmp, 0o755);
  fs.writeFileSync(
    path.join(www, 'index.html'),
    '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n',
  );
  const accessLog = path.join(tmp, 'access.log');
  const listens = hosts.flatMap((h) => PORTS.map((p) => `    listen ${h}:${p};`)).join('\n');
  const conf = path.join(tmp, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 1;\npid ${tmp}/nginx.pid;\nerror_log ${tmp}/error.log;\nevents { worker_connections 8192; }\n` +
      `http {\n  log_format line '$request';\n  access_log ${accessLog} line;\n  client_body_temp_path ${tmp}/body;\n` +
      `  proxy_temp_path ${tmp}/proxy;\n  fastcgi_temp_path ${tmp}/fastcgi;\n  uwsgi_temp_path ${tmp}/uwsgi;\n  scgi_temp_path ${tmp}/scgi;\n` +
      `  keepalive_requests 1000;\n  server {\n${listens}\n    root ${www};\n    index index.html;\n    location / { try_files $uri $uri/ =404; }\n  }\n}\n`,
  );
  nginx = spawn(NGINX, ['-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (!(await listening(hosts[0]!, 80, 10_000)) || !(await listening(hosts.at(-1)!, 8080, 10_000)))
    throw new Error(
      `nginx did not start: ${fs.existsSync(`${tmp}/error.log`) ? fs.readFileSync(`${tmp}/error.log`, 'utf8').slice(-2000) : ''}`,
    );
  return { accessLog, version: programVersion() };
}

function programVersion(): string {
  // `nginx -v` prints to stderr.
  const r = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\S+)/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`)?.[1] ?? '?';
}

function requestsLogged(accessLog: string): number {
  return fs.existsSync(accessLog) ? fs.readFileSync(accessLog, 'utf8').split('\n').filter(Boolean).length : 0;
}

async function sweep(label: string, list: string): Promise<{ m: Measured; ok: number; failed: number }> {
  const m = await measure(process.execPath, [SWEEP, list, String(CONCURRENCY), '3000'], { label, timeoutS: 120 });
  if (m.code !== 0) throw new Error(`${label}: sweep exited ${m.code}: ${m.stderr.slice(-2000)}`);
  const c = JSON.parse(m.stdout.trim().split('\n').pop()!) as { ok: number; failed: number };
  return { m, ...c };
}

async function ours(label: string, inventory: string, accessLog: string) {
  const before = requestsLogged(accessLog);
  const out = path.join(tmp, `${label}.json`);
  const m = await measure(process.execPath, [CLI, 'scan', inventory, '-q', '--no-state', '--out', out], { label, timeoutS: 300 });
  if (m.code !== 0 && m.code !== 1) throw new Error(`${label}: exposure-audit exited ${m.code}: ${m.stderr.slice(-2000)}`);
  const report = parseReport(JSON.parse(fs.readFileSync(out, 'utf8')));
  const verdicts = new Map(report.endpoints.map((e) => [`${e.host}:${e.port}`, e.status]));
  const by: Record<string, number> = {};
  for (const s of verdicts.values()) by[s] = (by[s] ?? 0) + 1;
  const slow = report.endpoints.find((e) => e.status === 'timeout');
  if (slow) log(`${label}: first timeout ${slow.host}:${slow.port}: ${JSON.stringify({ evidence: slow.evidence, error: slow.error })}`);
  return { m, verdicts, by, requests: requestsLogged(accessLog) - before };
}

function hogs(): ChildProcess[] {
  const two = startHogs();
  started.push(...two);
  return two;
}

/** nginx's master stops its worker on SIGTERM (a SIGKILL would leave the worker behind): wait for it, then insist. */
async function stopNginx(): Promise<void> {
  const c = nginx;
  if (!c?.pid || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  process.kill(c.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  stop([c]);
}

const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<string> {
  setUpNamespace();
  const loadBefore = loadavg();
  const { accessLog, version } = await startFarm();
  const inventory = path.join(tmp, 'farm.yaml');
  fs.writeFileSync(
    inventory,
    `# Generated by npm run bench (web farm): loopback addresses inside a private namespace.\ntargets:\n` +
      hosts.map((h) => `  - host: ${h}\n    name: farm\n    services: { http: [${PORTS.join(', ')}] }\n`).join(''),
  );
  const list = path.join(tmp, 'farm.endpoints');
  fs.writeFileSync(list, hosts.flatMap((h) => PORTS.map((p) => `${h} ${p}\n`)).join(''));
  const n = hosts.length * PORTS.length;

  // Three interleaved pairs per condition (sweep, then exposure-audit): a 2 s run on a shared machine varies by ±10%
  // from one start to the next; the ratio of medians is the figure, every pair is printed.
  type Ours = Awaited<ReturnType<typeof ours>>;
  type Sweep = Awaited<ReturnType<typeof sweep>>;
  const pairs = async (label: string): Promise<Array<{ s: Sweep; a: Ours }>> => {
    const out: Array<{ s: Sweep; a: Ours }> = [];
    for (let i = 1; i <= PAIRS; i++) {
      const s = await sweep(`${label}sweep-${i}`, list);
      out.push({ s, a: await ours(`${label}ours-${i}`, inventory, accessLog) });
    }
    return out;
  };
  log(`${n} endpoints: ${PAIRS} × (one-GET sweep, then exposure-audit) …`);
  const idle = await pairs('');
  log(`the same beside two CPU hogs …`);
  const pair = hogs();
  let loaded: Array<{ s: Sweep; a: Ours }>;
  try {
    loaded = await pairs('hogs-');
  } finally {
    stop(pair);
  }
  const reference = idle[0]!.a.verdicts;
  const changed = [...idle.slice(1), ...loaded]
    .flatMap(({ a }) => [...reference].filter(([k, v]) => a.verdicts.get(k) !== v).map(([k, v]) => `${k} ${v} → ${a.verdicts.get(k)}`))
    .filter((x, i, all) => all.indexOf(x) === i);
  const fmt = (by: Record<string, number>) =>
    Object.entries(by)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const rowsOf = (ps: Array<{ s: Sweep; a: Ours }>, hogged: string) => [
    ...ps.flatMap(({ s, a }, i) => [
      [
        `${i + 1}. one GET per endpoint (ceiling)${hogged}`,
        sec(s.m.wallMs),
        '1.00×',
        (1).toFixed(2),
        `${s.ok} answered, ${s.failed} failed`,
      ],
      [
        `${i + 1}. exposure-audit (defaults)${hogged}`,
        sec(a.m.wallMs),
        `${(a.m.wallMs / s.m.wallMs).toFixed(2)}×`,
        (a.requests / n).toFixed(2),
        fmt(a.by),
      ],
    ]),
    [
      `median of ${ps.length}${hogged}`,
      `${sec(median(ps.map((p) => p.s.m.wallMs)))} / ${sec(median(ps.map((p) => p.a.m.wallMs)))}`,
      `**${(median(ps.map((p) => p.a.m.wallMs)) / median(ps.map((p) => p.s.m.wallMs))).toFixed(2)}×**`,
      (median(ps.map((p) => p.a.requests)) / n).toFixed(2),
      '',
    ],
  ];
  const rows = [...rowsOf(idle, ''), ...rowsOf(loaded, ', 2 CPU hogs')];
  const head = ['run', 'wall s', 'wall / sweep', 'requests per endpoint', 'verdicts'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
  const timeouts = [...idle, ...loaded].reduce((t, { a }) => t + (a.by.timeout ?? 0), 0);
  return (
    `### Web farm: ${HOSTS} hosts × ports ${PORTS.join(' and ')} of nginx ${version} (welcome page on /, 404 elsewhere), declared \`http:\`\n\n` +
    `Concurrency ${CONCURRENCY} for both (the CLI default); requests counted in nginx's access log; ${PAIRS} interleaved pairs per condition, the ratio of the medians is the figure. Load average ${loadBefore} ` +
    `at the start, ${loadavg()} at the end (${os.cpus().length} cores).\n\n${table}\n\n` +
    `Targets: ≤ 3× the sweep, ≤ 8 requests per endpoint, 0 \`timeout\`: ${timeouts} timeout in ${2 * PAIRS} runs; ` +
    `${changed.length ? `${changed.length} verdict(s) differ from the first run: ${changed.slice(0, 5).join(', ')}` : `all ${2 * PAIRS} runs gave the same verdicts, beside the CPU hogs too`}.\n`
  );
}

let code = 0;
try {
  process.stdout.write(await main());
} catch (err) {
  log(`failed: ${(err as Error)?.stack ?? String(err)}`);
  code = 1;
} finally {
  stop(started);
  await stopNginx();
  killChildren();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = code;
