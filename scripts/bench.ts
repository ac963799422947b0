// `npm run bench`: a benchmark, not a test. Everything runs on loopback (127.0.0.0/8, IP literals only).
//
//   1. A mixed inventory (default 16,384 endpoints on 127.1.0.0/20 × 4 ports): real Redis (open, password,
//      ACL-limited) on the standard port 6379 of distinct addresses, real ClickHouse (open, password) on 8123/9000,
//      a few tarpits, and refused ports everywhere else. Audited three ways, side by side:
//      exposure-audit (the CLI, as users run it), nmap -n -Pn --script redis-info, and a bare connect-and-close loop
//      (the machine's ceiling) with the same concurrency.
//   2. The tarpit property: T = 3×C silent servers cost ceil(T / C) × D, not T × D.
//   3. Peak RSS at 10,240 vs 102,400 endpoints (refused ports, so it is fast): the streamed report path (JSON only,
//      what cron runs), the in-memory path (a Markdown report too), and the ceiling.
//   4. The real network (scripts/bench/real-network.ts), in a private namespace of its own (`unshare -n`) where
//      nftables drops SYNs: a firewalled fleet (exposure-audit defaults, the bare connect sweep, nmap -T4), 65,536
//      refused endpoints, and peak RSS at 10,240 vs 1,048,576 endpoints. Skipped (said so) without root or nft.
//   5. A lossy link (scripts/bench/lossy.ts), in a namespace of its own: 254 password-protected Redis-like endpoints
//      under 0, 2, 5 and 10 % random packet loss; misreported verdicts and the cost against the 0 % run.
//   6. The web farm (scripts/bench/web-farm.ts), in a namespace of its own: 254 hosts × ports 80 and 8080 of nginx
//      declared `http:`, against a one-GET-per-endpoint sweep, idle and beside two CPU hogs. Skipped without root.
//   7. The Elasticsearch fleet (scripts/bench/es-fleet.ts): 64 replays answering 1 MiB `_cat/indices` at once, the CLI
//      with its defaults, idle and beside two CPU hogs: all 64 must be `exposed`.
//
// Options: --quick (small sizes, for development), --out FILE (also write the results as Markdown),
//          --concurrency N (default 64, the CLI default), --real-network-only (parts 4 and 5 alone),
//          --lossy-only (part 5 alone), --web-farm-only (part 6 alone), --es-fleet-only (part 7 alone),
//          --memory-only (part 4's memory curve alone: peak RSS and JSON size at 10,240 vs 1,048,576 refused endpoints),
//          --startup (the cold start alone), --interrupt (Ctrl-C at fleet size alone, scripts/bench/interrupt.ts).
//          `npm run bench --startup` works too: npm passes an unknown flag as npm_config_startup.
// Every server, tarpit and child process started here is stopped by pid / handle, also on failure or Ctrl-C.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandTargets } from '../src/inventory/expand.js';
import { loadInventoryFile } from '../src/inventory/load.js';
import { probeMetas, services } from '../src/cli/registry.js';
import { interruptLatency } from './bench/interrupt.js';
import { esFleetSection } from './bench/es-fleet.js';
import { killChildren, measure, mib } from './bench/measure.js';
import { nmapVersion, runNmap, type NmapRun } from './bench/nmap.js';
import { startTarpits, type Tarpits } from './bench/tarpit.js';
import { serverAvailable, startServer, stopAll, type StartOptions } from '../test/support/servers/index.js';
import { installedCli } from './bench/installed-cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = installedCli;
const CEILING = path.join(here, 'bench/ceiling.js');

const argv = process.argv.slice(2);
/** `--name`, or `npm run bench --name` (npm sets npm_config_name for a flag it does not know). */
const flag = (name: string) => argv.includes(`--${name}`) || process.env[`npm_config_${name.replace(/-/g, '_')}`] === 'true';
/** The CLI as installed (bench/installed-cli.ts). */
const BIN = installedCli;
const QUICK = flag('quick');
const MEMORY_ONLY = argv.includes('--memory-only');
const REAL_ONLY = MEMORY_ONLY || argv.includes('--real-network-only');
const REAL_NETWORK = path.join(here, 'bench/real-network.js');
const LOSSY = path.join(here, 'bench/lossy.js');
const LOSSY_ONLY = argv.includes('--lossy-only');
const WEB_FARM = path.join(here, 'bench/web-farm.js');
const OUT = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
const C = argv.includes('--concurrency') ? Number(argv[argv.indexOf('--concurrency') + 1]) : 64;
if (!Number.isInteger(C) || C < 1 || C > 4096) throw new Error('--concurrency: 1 to 4096');

const PORTS = { redis: [6379, 6380], clickhouse: [8123, 9000] } as const;
const ALL_PORTS = [...PORTS.redis, ...PORTS.clickhouse];
const SERVICES_YAML = `{redis: [${PORTS.redis.join(', ')}], clickhouse: [${PORTS.clickhouse.join(', ')}]}`;
/** The product's defaults: what a user gets without options. */
const TIMEOUT_MS = 3000;
const CONNECT_TIMEOUT_MS = 2000;
const MAIN_CIDR = QUICK ? '127.1.0.0/24' : '127.1.0.0/20';
const MAIN_TARPITS = ['127.1.0.30', '127.1.0.31', '127.1.0.32', '127.1.0.33'];
/** Refused ports only: 2,560 and 25,600 hosts × 4 ports. */
const SCALE_SMALL = QUICK ? ['127.4.0.0/24'] : ['127.4.0.0/21', '127.4.8.0/23'];
const SCALE_LARGE = QUICK ? ['127.4.0.0/22', '127.4.4.0/22', '127.4.8.0/23'] : ['127.4.0.0/18', '127.4.64.0/19', '127.4.96.0/22'];
const TARPIT_CASES = QUICK
  ? [{ c: 4, t: 12, d: 500 }]
  : [
      { c: 16, t: 48, d: 1000 },
      { c: 64, t: 192, d: 1000 },
    ];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-bench-'));
const tarpitSets: Tarpits[] = [];
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

let cleaned: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    killChildren();
    await Promise.allSettled(tarpitSets.map((t) => t.close()));
    await stopAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaned;
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    interrupted = true;
    log(`${sig}: stopping everything this bench started`);
    void cleanup().finally(() => process.exit(130));
  });
}
// The whole bench is bounded: past 30 minutes something is wrong (the 1,048,576-endpoint run of part 4 takes a few
// minutes on a loaded 2-core machine); stop everything and fail.
const watchdog = setTimeout(() => {
  log('watchdog: over 30 minutes, giving up');
  void cleanup().finally(() => process.exit(1));
}, 30 * 60_000);
watchdog.unref();

// ---------------------------------------------------------------------------------------------------------------

interface Yaml {
  host: string;
  name?: string;
  services?: string;
}

function inventoryYaml(targets: Yaml[], concurrency: number): string {
  const lines = ['# Generated by npm run bench: every host is a loopback address on this machine.', 'targets:'];
  for (const t of targets) {
    lines.push(`  - host: ${t.host}`);
    if (t.name) lines.push(`    name: ${t.name}`);
    lines.push(`    services: ${t.services ?? SERVICES_YAML}`);
  }
  lines.push(`defaults: {concurrency: ${concurrency}}`, '');
  return lines.join('\n');
}

/** Writes the inventory, expands it with the product's own loader, and writes `host port` lines for the ceiling. */
async function prepare(name: string, targets: Yaml[], concurrency: number) {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, inventoryYaml(targets, concurrency));
  const endpoints = await expandTargets(await loadInventoryFile(file, services), { probes: probeMetas, maxCidrAddresses: 65_536 });
  const list = path.join(tmp, `${name}.endpoints`);
  fs.writeFileSync(list, endpoints.map((e) => `${e.host} ${e.port}\n`).join(''));
  return { file, list, endpoints };
}

interface ReportSummary {
  endpoints: number;
  byStatus: Record<string, number>;
  durationMs: number;
  statusOf: Map<string, string>;
  versionOf: Map<string, string>;
}

function readReport(file: string, keepStatuses: boolean): ReportSummary {
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    summary: { endpoints: number; byStatus: Record<string, number> };
    run: { durationMs: number };
    endpoints: { host: string; port: number; status: string; evidence?: { version?: string } }[];
  };
  const statusOf = new Map<string, string>();
  const versionOf = new Map<string, string>();
  if (keepStatuses) {
    for (const e of r.endpoints) {
      if (e.status !== 'closed') statusOf.set(`${e.host}:${e.port}`, e.status);
      // Compact rows (closed, filtered: schema 1.4.0) have no evidence.
      if (e.evidence?.version) versionOf.set(`${e.host}:${e.port}`, e.evidence.version);
    }
  }
  return { endpoints: r.summary.endpoints, byStatus: r.summary.byStatus, durationMs: r.run.durationMs, statusOf, versionOf };
}

async function audit(label: string, inventory: string, extra: string[], timeoutS: number) {
  const out = path.join(tmp, `${label.replace(/\W+/g, '-')}.json`);
  // -q: summary line on stdout; --out: the JSON report, as a nightly cron job would run it.
  // The state file beside the report, in the bench's temp folder (the default is the user's state directory).
  const state = path.join(tmp, `${label.replace(/\W+/g, '-')}.state.json`);
  const m = await measure(process.execPath, [CLI, 'scan', inventory, '-q', '--out', out, '--state', state, ...extra], { label, timeoutS });
  if (m.code !== 0 && m.code !== 1)
    throw new Error(`${label}: exposure-audit exited ${m.code}${m.timedOut ? ' (timed out)' : ''}: ${m.stderr.slice(-2000)}`);
  return { m, out };
}

interface CeilingCounts {
  endpoints: number;
  connected: number;
  refused: number;
  timeout: number;
  other: number;
  ms: number;
}

async function ceiling(label: string, list: string, concurrency: number, timeoutS: number) {
  const m = await measure(process.execPath, [CEILING, list, String(concurrency), String(CONNECT_TIMEOUT_MS)], { label, timeoutS });
  if (m.code !== 0) throw new Error(`${label}: ceiling exited ${m.code}: ${m.stderr.slice(-2000)}`);
  return { m, counts: JSON.parse(m.stdout.trim().split('\n').pop()!) as CeilingCounts };
}

const sec = (ms: number) => (ms / 1000).toFixed(2);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

function programVersion(cmd: string, args: string[], re: RegExp): string {
  try {
    return re.exec(execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] }))?.[1] ?? '?';
  } catch {
    return 'not installed';
  }
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Cold start: the median wall time of N fresh processes of the installed entry (package.json's bin,
 * dist/src/cli/bin.cjs) with `--help` (and `--version`) against a bare `node -e 0`, as a ratio: the CLI loads no
 * probe, renderer or parser until a command runs, and no ES module at all for these two.
 */
/** `--help` and `--version` may take at most this many times a bare `node -e 0` (issue 23 part 11). */
const STARTUP_CEILING = 1.5;

function coldStart(n = QUICK ? 9 : 21): string {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const once = (args: string[]) => {
    const t = performance.now();
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    return performance.now() - t;
  };
  const cases = [
    ['node -e 0', ['-e', '0']],
    ['exposure-audit --help', [BIN, '--help']],
    ['exposure-audit --version', [BIN, '--version']],
  ] as const;
  // Interleaved, so a change of load on the machine touches every case alike.
  const times = new Map<string, number[]>(cases.map(([label]) => [label, []]));
  for (let i = 0; i < n; i++) for (const [label, args] of cases) times.get(label)!.push(once([...args]));
  const base = median(times.get('node -e 0')!);
  const rows = cases.map(([label]) => {
    const m = median(times.get(label)!);
    const ratio = m / base;
    const verdict = label === 'node -e 0' ? '' : ratio <= STARTUP_CEILING ? 'within' : 'OVER';
    return [label, m.toFixed(0), ratio.toFixed(2), (m - base).toFixed(0), verdict];
  });
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `### Cold start (median of ${n} processes each; ceiling ${STARTUP_CEILING}× node -e 0, measured in the same run; load average ${load})\n\n${table(['command', 'median ms', 'ratio to node -e 0', 'ms over node', `≤ ${STARTUP_CEILING}×`], rows)}`;
}

/** Part 4: the real-network bench, in a namespace of its own (it refuses to run anywhere else). */
async function realNetwork(): Promise<string> {
  if (process.getuid?.() !== 0) return '## Real network\n\nSkipped: needs root for `unshare -n`.\n';
  if (!programVersion('nft', ['--version'], /v(\S+)/).match(/\d/))
    return '## Real network\n\nSkipped: nft is not installed (scripts/install-bench-deps.sh).\n';
  log('real network: unshare -n … (own namespace, nftables) …');
  const m = await measure(
    'unshare',
    ['-n', process.execPath, REAL_NETWORK, ...(QUICK ? ['--quick'] : []), ...(MEMORY_ONLY ? ['--memory-only'] : [])],
    {
      label: 'real-network',
      timeoutS: 25 * 60,
    },
  );
  process.stderr.write(m.stderr);
  if (m.code !== 0) throw new Error(`real-network bench exited ${m.code}${m.timedOut ? ' (timed out)' : ''}`);
  return m.stdout;
}

/** Part 5: the lossy link, in a namespace of its own (scripts/bench/lossy.ts). */
async function lossy(): Promise<string> {
  if (process.getuid?.() !== 0) return '## Lossy link\n\nSkipped: needs root for `unshare -n`.\n';
  if (!programVersion('nft', ['--version'], /v(\S+)/).match(/\d/)) return '## Lossy link\n\nSkipped: nft is not installed.\n';
  log('lossy link: unshare -n … (own namespace, nftables numgen random) …');
  const m = await measure('unshare', ['-n', process.execPath, LOSSY, ...(QUICK ? ['--quick'] : [])], { label: 'lossy', timeoutS: 15 * 60 });
  process.stderr.write(m.stderr);
  if (m.code !== 0) throw new Error(`lossy bench exited ${m.code}${m.timedOut ? ' (timed out)' : ''}`);
  return m.stdout;
}

/** Part 6: the web farm (scripts/bench/web-farm.ts), in a namespace of its own: 508 nginx endpoints declared `http:`. */
async function webFarm(): Promise<string> {
  if (process.getuid?.() !== 0) return '## Web farm\n\nSkipped: needs root for `unshare -n` (ports 80 and 8080).\n';
  if (!fs.existsSync('/usr/sbin/nginx')) return '## Web farm\n\nSkipped: nginx is not installed (scripts/install-test-deps.sh).\n';
  log('web farm: unshare -n … (own namespace, nginx on 254 hosts × 80/8080) …');
  const m = await measure('unshare', ['-n', process.execPath, WEB_FARM, ...(QUICK ? ['--quick'] : [])], {
    label: 'web-farm',
    timeoutS: 15 * 60,
  });
  process.stderr.write(m.stderr);
  if (m.code !== 0) throw new Error(`web-farm bench exited ${m.code}${m.timedOut ? ' (timed out)' : ''}`);
  return m.stdout;
}

async function bench(): Promise<string> {
  if (LOSSY_ONLY) return lossy();
  if (MEMORY_ONLY) return realNetwork();
  if (REAL_ONLY) return `${await realNetwork()}\n${await lossy()}`;
  if (argv.includes('--web-farm-only')) return webFarm();
  if (argv.includes('--es-fleet-only')) return esFleetSection(QUICK, log);
  const t0 = performance.now();
  const load = os.loadavg();
  const sections: string[] = [coldStart(), await interruptSection()];
  const nmapV = nmapVersion();
  if (!nmapV) throw new Error('nmap is not installed: run bash scripts/install-bench-deps.sh (npm run bench does)');
  if (!serverAvailable('redis')) throw new Error('redis-server is not installed: run bash scripts/install-bench-deps.sh');
  const withClickhouse = serverAvailable('clickhouse');

  // 1. Servers on their standard ports, on distinct addresses inside the scanned range.
  log('starting real servers and tarpits on loopback …');
  const specs: (StartOptions & { name: string; expect: Record<number, string> })[] = [
    { name: 'cache-open', kind: 'redis', variant: 'open', host: '127.1.0.10', ports: { redis: 6379 }, expect: { 6379: 'exposed' } },
    {
      name: 'cache-password',
      kind: 'redis',
      variant: 'protected',
      host: '127.1.0.11',
      ports: { redis: 6379 },
      expect: { 6379: 'auth-required' },
    },
    {
      name: 'cache-acl-limited',
      kind: 'redis',
      variant: 'limited',
      host: '127.1.0.12',
      ports: { redis: 6379 },
      expect: { 6379: 'exposed' },
    },
  ];
  if (withClickhouse) {
    specs.push(
      {
        name: 'warehouse-open',
        kind: 'clickhouse',
        variant: 'open',
        host: '127.1.0.20',
        ports: { http: 8123, native: 9000 },
        expect: { 8123: 'exposed', 9000: 'exposed' },
      },
      {
        name: 'warehouse-password',
        kind: 'clickhouse',
        variant: 'protected',
        host: '127.1.0.21',
        ports: { http: 8123, native: 9000 },
        expect: { 8123: 'auth-required', 9000: 'auth-required' },
      },
    );
  }
  await Promise.all(specs.map(({ name: _n, expect: _e, ...opts }) => startServer(opts)));
  const mainTarpits = await startTarpits(MAIN_TARPITS, 6379);
  tarpitSets.push(mainTarpits);
  const expected = new Map<string, string>();
  for (const s of specs) for (const [port, status] of Object.entries(s.expect)) expected.set(`${s.host}:${port}`, status);
  for (const h of MAIN_TARPITS) expected.set(`${h}:6379`, 'timeout');

  const main = await prepare(
    'main',
    [
      ...specs.map((s) => ({ host: s.host, name: s.name })),
      ...MAIN_TARPITS.map((h, i) => ({ host: h, name: `tarpit-${i}` })),
      { host: MAIN_CIDR, name: 'fleet' },
    ],
    C,
  );
  const n = main.endpoints.length;
  log(`main inventory: ${n} endpoints on ${MAIN_CIDR} × ports ${ALL_PORTS.join(',')} (concurrency ${C})`);

  // 2. Side by side, same endpoints. Order: ours, nmap, ceiling.
  log('exposure-audit …');
  const ours = await audit('exposure-audit', main.file, [], 240);
  const report = readReport(ours.out, true);
  log('nmap (its defaults) …');
  const nmapDefault = await runNmap([MAIN_CIDR], ALL_PORTS, [], path.join(tmp, 'nmap-default.xml'), 180);
  log(`nmap --script-timeout ${TIMEOUT_MS / 1000}s (our deadline) …`);
  const nmapMatched = await runNmap(
    [MAIN_CIDR],
    ALL_PORTS,
    ['--script-timeout', `${TIMEOUT_MS / 1000}s`],
    path.join(tmp, 'nmap-matched.xml'),
    180,
  );
  log('ceiling (connect-and-close) …');
  const ceil = await ceiling('ceiling', main.list, C, 120);

  // What each found.
  const wrong: string[] = [];
  for (const [k, want] of expected)
    if ((report.statusOf.get(k) ?? 'closed') !== want) wrong.push(`${k}: expected ${want}, got ${report.statusOf.get(k) ?? 'closed'}`);
  for (const [k, got] of report.statusOf) if (!expected.has(k)) wrong.push(`${k}: expected closed, got ${got}`);
  const interesting = [
    ...specs.flatMap((s) => Object.keys(s.expect).map((p) => ({ key: `${s.host}:${p}`, port: Number(p), what: `${s.kind} ${s.variant}` }))),
    ...MAIN_TARPITS.map((h) => ({ key: `${h}:6379`, port: 6379, what: 'tarpit (silent)' })),
  ];
  const nmapLines = interesting.map(({ key, port, what }) => {
    const np = nmapDefault.ports.find((p) => `${p.host}:${p.port}` === key);
    const script = np?.script
      ? np.script
          .trim()
          .split('\n')
          .slice(0, 2)
          .map((l) => l.trim())
          .join('; ')
          .slice(0, 70)
      : '(nothing)';
    return [
      key,
      what,
      report.statusOf.get(key) ?? 'closed',
      np?.state ?? 'not listed',
      port === 6379 ? script : '(no NSE script for this port)',
    ];
  });
  const nmapNote = (r: NmapRun) =>
    `${r.timedOut ? 'TIMED OUT; ' : ''}exit ${r.code}; ${r.hosts} hosts, ${r.ports.filter((p) => p.state === 'open').length} open ports, redis-info output on ${r.ports.filter((p) => p.script).length}`;

  const rows = [
    [
      'exposure-audit (CLI)',
      sec(ours.m.wallMs),
      rate(n, ours.m.wallMs),
      mib(ours.m.maxRssKb),
      `${report.durationMs} ms in the engine; ${Object.entries(report.byStatus)
        .filter(([, v]) => v)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}`,
    ],
    ['nmap, defaults', sec(nmapDefault.wallMs), rate(n, nmapDefault.wallMs), mib(nmapDefault.maxRssKb), nmapNote(nmapDefault)],
    [
      `nmap --script-timeout ${TIMEOUT_MS / 1000}s`,
      sec(nmapMatched.wallMs),
      rate(n, nmapMatched.wallMs),
      mib(nmapMatched.maxRssKb),
      nmapNote(nmapMatched),
    ],
    [
      'ceiling: connect-and-close',
      sec(ceil.m.wallMs),
      rate(n, ceil.m.wallMs),
      mib(ceil.m.maxRssKb),
      `${ceil.counts.ms} ms in the loop; ${ceil.counts.connected} connected, ${ceil.counts.refused} refused, ${ceil.counts.timeout} timeout, ${ceil.counts.other} other`,
    ],
  ];
  const shown = (r: NmapRun) => ['nmap', ...r.args.slice(0, -1).filter((a) => !a.endsWith('.xml') && a !== '-oX'), MAIN_CIDR].join(' ');
  sections.push(
    `### 1. Side by side: ${n.toLocaleString('en-US')} endpoints, concurrency ${C}, timeout ${TIMEOUT_MS} ms (CLI defaults)\n\n` +
      `Hosts ${MAIN_CIDR} × ports ${ALL_PORTS.join(', ')}; ${specs.length} real servers, ${MAIN_TARPITS.length} tarpits, the rest refused. ` +
      `nmap runs as \`${shown(nmapDefault)}\` (${process.getuid?.() === 0 ? 'as root: SYN scan' : 'not root: connect scan'}), then with \`--script-timeout ${TIMEOUT_MS / 1000}s\`.\n\n` +
      table(['tool', 'wall s', 'endpoints/s', 'peak RSS MiB', 'notes'], rows) +
      `\n\nRatios (wall): ours/nmap defaults **${ratio(ours.m.wallMs, nmapDefault.wallMs)}**, ours/nmap with our timeout **${ratio(ours.m.wallMs, nmapMatched.wallMs)}**, ` +
      `ours/ceiling **${ratio(ours.m.wallMs, ceil.m.wallMs)}**. Peak RSS: ours/nmap ${ratio(ours.m.maxRssKb, nmapDefault.maxRssKb)}, ours/ceiling ${ratio(ours.m.maxRssKb, ceil.m.maxRssKb)}. ` +
      `Every tool that waits for a reply has a floor of one timeout here (the tarpits answer nothing; the ceiling only connects): ` +
      `ours minus its ${TIMEOUT_MS} ms floor is ${sec(Math.max(ours.m.wallMs - TIMEOUT_MS, 0))} s; see section 3 for a floor-free ratio.\n\n` +
      `Verdicts checked against what was started: ${wrong.length ? `**${wrong.length} WRONG**: ${wrong.slice(0, 10).join('; ')}` : `all ${n.toLocaleString('en-US')} as expected`}.\n\n` +
      table(['endpoint', 'server', 'exposure-audit', 'nmap port', 'nmap redis-info says (defaults run)'], nmapLines),
  );
  await mainTarpits.close();
  await stopAll();

  // 3. Tarpits: T = 3×C silent servers on distinct hosts cost ceil(T / C) × D.
  const tarpitRows: string[][] = [];
  for (const tc of TARPIT_CASES) {
    const hosts = Array.from({ length: tc.t }, (_, i) => `127.3.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}`);
    log(`tarpits: T=${tc.t}, C=${tc.c}, D=${tc.d} ms …`);
    const tp = await startTarpits(hosts, 6379);
    tarpitSets.push(tp);
    const inv = await prepare(
      `tarpit-${tc.t}`,
      hosts.map((h) => ({ host: h, services: '{redis: [6379]}' })),
      tc.c,
    );
    const { m, out } = await audit(`tarpits-${tc.t}`, inv.file, ['--timeout', `${tc.d}ms`, '-c', String(tc.c)], 120);
    const r = readReport(out, false);
    const expect = Math.ceil(tc.t / tc.c) * tc.d;
    tarpitRows.push([
      String(tc.t),
      String(tc.c),
      String(tc.d),
      String(expect),
      String(r.durationMs),
      sec(m.wallMs),
      ratio(r.durationMs, expect),
      `${r.byStatus.timeout ?? 0}/${tc.t} timeout; ${tp.accepted()} connections accepted`,
    ]);
    await tp.close();
  }
  sections.push(
    `### 2. Tarpits: total time ≈ ceil(T / C) × D\n\n` +
      table(['T', 'C', 'D ms', 'expected ms', 'measured ms (engine)', 'wall s (CLI)', 'measured/expected', 'notes'], tarpitRows) +
      `\n\nT tarpits on T distinct addresses (so the per-host limit of 8 does not bind); each costs exactly one timeout.`,
  );

  // 4. Peak RSS at 10× the endpoints (refused ports only): the streamed path (what cron runs: -q --out report.json),
  //    the in-memory path (the same plus a Markdown report, which needs the whole model), and the ceiling.
  const scaleRows: string[][] = [];
  const scale: { count: number; streamed: number; inMemory: number; ceiling: number }[] = [];
  // Clocks aside, and the state file's name (each run keeps its own state file, so `run.baseline` names it).
  const untimed = (json: string) =>
    json
      .replace(/"(startedAt|finishedAt)": "[^"]*"/g, '"$1": ""')
      .replace(/"baseline": "state:[^"]*"/, '"baseline": "state:"')
      .replace(/"durationMs":( ?)\d+/g, (_m, space: string) => `"durationMs":${space}0`); // compact rows: no space
  for (const [label, cidrs] of [
    ['small', SCALE_SMALL],
    ['large', SCALE_LARGE],
  ] as const) {
    const inv = await prepare(
      `scale-${label}`,
      cidrs.map((h) => ({ host: h })),
      C,
    );
    const count = inv.endpoints.length;
    inv.endpoints.length = 0;
    log(`scale: ${count} endpoints, streamed …`);
    const streamed = await audit(`scale-${label}`, inv.file, [], 240);
    const r = readReport(streamed.out, false);
    const json = untimed(fs.readFileSync(streamed.out, 'utf8'));
    const size = (fs.statSync(streamed.out).size / 2 ** 20).toFixed(1);
    fs.rmSync(streamed.out, { force: true });
    log(`scale: ${count} endpoints, in memory (with --out report.md) …`);
    const md = path.join(tmp, `scale-${label}.md`);
    const inMemory = await audit(`scale-${label}-in-memory`, inv.file, ['--out', md], 240);
    const same = untimed(fs.readFileSync(inMemory.out, 'utf8')) === json;
    fs.rmSync(inMemory.out, { force: true });
    fs.rmSync(md, { force: true });
    const cl = await ceiling(`ceiling-${label}`, inv.list, C, 120);
    scale.push({ count, streamed: streamed.m.maxRssKb ?? 0, inMemory: inMemory.m.maxRssKb ?? 0, ceiling: cl.m.maxRssKb ?? 0 });
    const n = count.toLocaleString('en-US');
    scaleRows.push(
      [
        n,
        'exposure-audit, streamed: `-q --out report.json`',
        sec(streamed.m.wallMs),
        rate(count, streamed.m.wallMs),
        mib(streamed.m.maxRssKb),
        ratio(streamed.m.wallMs, cl.m.wallMs),
        `${r.byStatus.closed ?? 0} closed; JSON report ${size} MiB`,
      ],
      [
        n,
        'exposure-audit, in memory: the same `--out report.md`',
        sec(inMemory.m.wallMs),
        rate(count, inMemory.m.wallMs),
        mib(inMemory.m.maxRssKb),
        ratio(inMemory.m.wallMs, cl.m.wallMs),
        `JSON report ${same ? 'identical to the streamed one (clocks aside)' : '**DIFFERS from the streamed one**'}`,
      ],
      [
        n,
        'ceiling: connect-and-close',
        sec(cl.m.wallMs),
        rate(count, cl.m.wallMs),
        mib(cl.m.maxRssKb),
        '1.00×',
        `${cl.counts.refused} refused`,
      ],
    );
  }
  const [small, large] = scale;
  const marginal = (pick: (s: (typeof scale)[number]) => number) =>
    small && large ? ((pick(large) - pick(small)) / (large.count - small.count)).toFixed(2) : '?';
  sections.push(
    `### 3. Scale: peak RSS at 10× the endpoints (refused ports, concurrency ${C})\n\n` +
      table(['endpoints', 'run', 'wall s', 'endpoints/s', 'peak RSS MiB', 'wall / ceiling', 'notes'], scaleRows) +
      `\n\nPeak RSS large/small for 10× the endpoints: streamed **${ratio(large?.streamed ?? null, small?.streamed ?? null)}** ` +
      `(${marginal((s) => s.streamed)} KiB per extra endpoint), in memory **${ratio(large?.inMemory ?? null, small?.inMemory ?? null)}** ` +
      `(${marginal((s) => s.inMemory)} KiB), ceiling ${ratio(large?.ceiling ?? null, small?.ceiling ?? null)} (${marginal((s) => s.ceiling)} KiB).`,
  );

  const cpu = os.cpus();
  const header =
    `## Results: ${new Date().toISOString()}${QUICK ? ' (--quick)' : ''}\n\n` +
    `Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}; ` +
    `node ${process.version}, nmap ${nmapV}, redis-server ${programVersion('redis-server', ['--version'], /v=(\S+)/)}, ` +
    `clickhouse-server ${withClickhouse ? (report.versionOf.get('127.1.0.20:8123') ?? '?') : 'not installed (skipped)'}; ` +
    `load average at the start ${load.map((l) => l.toFixed(2)).join(' ')}. Bench total ${sec(performance.now() - t0)} s.`;
  await stopAll();
  const real = await realNetwork();
  const farm = await webFarm();
  const esFleet = await esFleetSection(QUICK, log);
  return `${header}\n\n${sections.join('\n\n')}\n\n${real}\n${await lossy()}\n\n${farm}\n\n${esFleet}`;
}

/** Ctrl-C at fleet size (scripts/bench/interrupt.ts): the median of 5 runs (3 with --quick). */
function interruptSection(): Promise<string> {
  return interruptLatency(BIN, { runs: QUICK ? 3 : 5, delayMs: 3000, log });
}

let exitCode = 0;
try {
  // `--startup`, `--interrupt`: only those measurements (no servers, no nmap).
  const only = [flag('startup') ? `${coldStart()}\n` : '', flag('interrupt') ? await interruptSection() : ''].join('\n').trim();
  const md = only ? `${only}\n` : await bench();
  process.stdout.write(`\n${md}`);
  if (OUT) fs.writeFileSync(OUT, md);
} catch (err) {
  if (!interrupted) log(`failed: ${(err as Error)?.stack ?? String(err)}`);
  exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exitCode = exitCode;
