// The lossy-link part of `npm run bench` (issue 21 part 2, issue 24 part 3). Run by scripts/bench.ts as
//
//   unshare -n node dist/scripts/bench/lossy.js [--quick]
//
// inside a private network namespace of its own (only `lo`; nothing outside it can be reached or reach in). 254
// password-protected Redis-like endpoints (127.0.8.1–254:6379, a loopback server in this process that answers every
// command with -NOAUTH, as a Redis with `requirepass` does) are audited by the CLI with its defaults while nftables
// drops 0 %, 2 %, 5 % and 10 % of their packets at random, both directions, SYNs included:
//
//   nft add rule inet loss out ip daddr 127.0.8.0/24 meta l4proto tcp numgen random mod 100 lt N drop   (and ip saddr)
//
// Every endpoint is open: any verdict other than auth-required is a misreport (it must be 0). The cost of each loss
// level is its CLI wall time and engine time (report run.durationMs) against the 0 % run measured in the same
// process (target <= 2×). Prints Markdown on stdout.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseReport } from '../../src/report/compact.js';
import { killChildren, measure } from './measure.js';
import { enterPrivateNamespace, sh } from './namespace.js';
import { installedCli } from './installed-cli.js';

const CLI = installedCli;
const QUICK = process.argv.includes('--quick');
const NET = '127.0.8';
const PORT = 6379;
const HOSTS = Array.from({ length: 254 }, (_, i) => `${NET}.${i + 1}`);
const LOSSES = [0, 2, 5, 10];
const RUNS = QUICK ? 1 : 3;

const log = (s: string) => process.stderr.write(`bench (lossy): ${s}\n`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-lossy-'));
const sec = (ms: number) => (ms / 1000).toFixed(2);
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function setUpNamespace(): void {
  enterPrivateNamespace('table inet loss {\n  chain out {\n    type filter hook output priority 0;\n  }\n}\n');
}

/** Drops `percent` % of the fleet's packets at random, in both directions. */
function setLoss(percent: number): void {
  sh('nft', ['flush', 'chain', 'inet', 'loss', 'out']);
  if (!percent) return;
  for (const dir of ['daddr', 'saddr'])
    sh('nft', [
      'add',
      'rule',
      'inet',
      'loss',
      'out',
      'ip',
      dir,
      `${NET}.0/24`,
      'meta',
      'l4proto',
      'tcp',
      'numgen',
      'random',
      'mod',
      '100',
      'lt',
      String(percent),
      'drop',
    ]);
}

/** A Redis with requirepass, as the probe sees it: every command line is answered `-NOAUTH Authentication required.` */
async function startNoauthFleet(): Promise<() => Promise<void>> {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  for (const host of HOSTS) {
    const srv = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
      let pending = '';
      s.on('data', (chunk) => {
        pending += chunk.toString('latin1');
        let i: number;
        while ((i = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, i).trim();
          pending = pending.slice(i + 1);
          if (/^QUIT\b/i.test(line)) s.end('+OK\r\n');
          else if (line) s.write('-NOAUTH Authentication required.\r\n');
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ host, port: PORT, backlog: 511 }, () => resolve());
    });
    servers.push(srv);
  }
  return async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
  };
}

interface Run {
  loss: number;
  wallMs: number;
  engineMs: number;
  byStatus: Record<string, number>;
  misreported: string[];
}

async function scan(inventory: string, loss: number, k: number): Promise<Run> {
  const out = path.join(tmp, `loss-${loss}-${k}.json`);
  const m = await measure(process.execPath, [CLI, 'scan', inventory, '-q', '--no-state', '--out', out], {
    label: `loss ${loss}%`,
    timeoutS: 120,
  });
  if (m.code !== 0 && m.code !== 1) throw new Error(`loss ${loss}%: exposure-audit exited ${m.code}: ${m.stderr.slice(-2000)}`);
  const report = parseReport(JSON.parse(fs.readFileSync(out, 'utf8')));
  const misreported = report.endpoints
    .filter((e) => e.status !== 'auth-required')
    .map((e) => `${e.host} ${e.status} (${[e.error?.code, ...(e.evidence.notes ?? [])].filter(Boolean).join(', ').slice(0, 160)})`);
  return { loss, wallMs: m.wallMs, engineMs: report.run.durationMs, byStatus: report.summary.byStatus, misreported };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(): Promise<string> {
  setUpNamespace();
  const loadStart = loadavg();
  const stop = await startNoauthFleet();
  try {
    const inventory = path.join(tmp, 'fleet.yaml');
    fs.writeFileSync(
      inventory,
      ['# Generated by npm run bench (lossy): loopback addresses inside a private namespace.', 'targets:']
        .concat(HOSTS.map((h) => `  - {host: ${h}, name: protected, services: {redis: [${PORT}]}}`))
        .join('\n') + '\n',
    );
    const runs: Run[] = [];
    // Interleaved (0, 2, 5, 10, 0, 2, …): a change of load on this shared machine hits every level alike.
    for (let k = 0; k < RUNS; k++)
      for (const loss of LOSSES) {
        setLoss(loss);
        log(`run ${k + 1}/${RUNS}, ${loss} % loss …`);
        runs.push(await scan(inventory, loss, k));
      }
    setLoss(0);
    const base = runs.filter((r) => r.loss === 0);
    const baseWall = median(base.map((r) => r.wallMs));
    const baseEngine = median(base.map((r) => r.engineMs));
    const rows = LOSSES.map((loss) => {
      const mine = runs.filter((r) => r.loss === loss);
      const wall = median(mine.map((r) => r.wallMs));
      const engine = median(mine.map((r) => r.engineMs));
      const wrong = mine.flatMap((r) => r.misreported);
      return `| ${loss} % | ${mine.length} | ${mine.map((r) => r.misreported.length).join(', ')} | ${sec(wall)} | ${(wall / baseWall).toFixed(2)}× | ${sec(engine)} | ${(engine / baseEngine).toFixed(2)}× | ${wrong.slice(0, 4).join('; ') || '—'} |`;
    });
    const total = runs.reduce((n, r) => n + r.misreported.length, 0);
    return (
      `## Lossy link (private namespace, nftables numgen random): ${new Date().toISOString()}${QUICK ? ' (--quick)' : ''}\n\n` +
      `254 password-protected Redis-like endpoints (${NET}.1–254:${PORT}, each answers -NOAUTH), exposure-audit defaults, ` +
      `${RUNS} run${RUNS === 1 ? '' : 's'} per loss level, interleaved. Every endpoint is open and protected: any verdict but ` +
      `auth-required is a misreport. Ceiling: the 0 % run of the same fleet in the same process (median); target <= 2×. ` +
      `Load average ${loadStart} at the start, ${loadavg()} at the end, ${os.cpus().length} cores.\n\n` +
      `| loss | runs | misreported per run | wall s (median) | wall / 0 % | engine s (median) | engine / 0 % | misreports |\n` +
      `|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n` +
      `Misreported in all: **${total}** of ${runs.length * HOSTS.length} verdicts (target 0).\n`
    );
  } finally {
    await stop();
  }
}

let code = 0;
try {
  process.stdout.write(await run());
} catch (err) {
  log(`failed: ${(err as Error)?.stack ?? String(err)}`);
  code = 1;
} finally {
  killChildren();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = code;
