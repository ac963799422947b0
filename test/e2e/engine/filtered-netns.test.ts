// filtered vs closed vs timeout, on a network that drops SYNs: a private network namespace (`unshare -n`, only its
// own loopback; nothing in it reaches or is reached from anything else) where nftables drops SYNs to 127.0.6.0/26,
// as a cloud security group does. The built CLI runs inside it with a silent server (accepts, never answers) and a
// refused port. Needs root, unshare and nft: skipped with the reason otherwise. No timing is tight: the only bound
// is that N filtered endpoints cost about one connect timeout, not N / concurrency of them (< 3 × the timeout).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../../src/report/compact.js';
import type { Report } from '../../../src/report/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const CONNECT_TIMEOUT_MS = 2000;
const FILTERED = '127.0.6.0/26';

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (unshare -n)';
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return '`unshare -n` is not permitted here';
  if (spawnSync('unshare', ['-n', 'nft', 'list', 'ruleset']).status !== 0)
    return 'nft is missing (scripts/install-bench-deps.sh installs nftables)';
  return undefined;
}
const skipReason = unavailable();
if (skipReason) console.warn(`filtered-netns: skipped: ${skipReason}`);

const dir = mkdtempSync(path.join(tmpdir(), 'ea-netns-'));
let report: Report;
let wallMs = 0;

beforeAll(async () => {
  if (skipReason) return;
  const t0 = Date.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  if (!existsSync(cli) || statSync(cli).mtimeMs < t0 - 1000)
    throw new Error(`npm run build did not produce ${cli}:\n${build.stdout}\n${build.stderr}`);
  const inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [
      'targets:',
      `  - host: ${FILTERED}`,
      '    name: firewalled',
      '    services: {redis: [6379]}',
      '  - host: 127.0.7.1',
      '    name: silent',
      '    services: {redis: [7001]}',
      '  - host: 127.0.7.2',
      '    name: nothing-listens',
      '    services: {redis: [6379, 6380, 6381, 6382]}',
      '',
    ].join('\n'),
  );
  // Inside the namespace: loopback up, the SYN drop, a silent listener (accepts, never writes), then the CLI.
  const script = [
    'set -e',
    'ip link set lo up',
    `printf 'table inet t {\\n chain input {\\n  type filter hook input priority 0;\\n  ip daddr ${FILTERED} tcp flags syn drop\\n }\\n}\\n' | nft -f -`,
    `${JSON.stringify(process.execPath)} -e 'const s=require("net").createServer((c)=>c.on("error",()=>{})).listen(7001,"127.0.7.1",()=>console.log("up"));setTimeout(()=>s.close(),60000).unref()' > ${dir}/silent.out &`,
    'SILENT=$!',
    `for i in $(seq 1 100); do grep -q up ${dir}/silent.out 2>/dev/null && break; sleep 0.05; done`,
    `start=$(date +%s%N)`,
    `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} scan ${inventory} --format json --no-state --connect-timeout ${CONNECT_TIMEOUT_MS}ms --timeout 1s > ${dir}/report.json || true`,
    `echo $(( ($(date +%s%N) - start) / 1000000 )) > ${dir}/wall.ms`,
    'kill $SILENT',
  ].join('\n');
  const r = spawnSync('unshare', ['-n', 'bash', '-c', script], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`namespace run failed (${r.status}): ${r.stderr}`);
  report = parseReport(JSON.parse(spawnSync('cat', [`${dir}/report.json`], { encoding: 'utf8' }).stdout));
  wallMs = Number(spawnSync('cat', [`${dir}/wall.ms`], { encoding: 'utf8' }).stdout.trim());
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skipReason !== undefined)('a firewalled network, in a private namespace', () => {
  it('a dropped SYN is filtered; a refused port closed; an accepting, silent one timeout', () => {
    const status = (host: string, port: number) => report.endpoints.find((e) => e.host === host && e.port === port)?.status;
    const filtered = report.endpoints.filter((e) => e.asset === 'firewalled');
    expect(filtered).toHaveLength(64);
    expect(new Set(filtered.map((e) => e.status))).toEqual(new Set(['filtered']));
    expect(filtered[0]!.evidence.notes?.[0]).toMatch(
      /^no answer to [1-5] connect attempts? in \d+ ms, across the kernel.s SYN retransmission/,
    );
    expect(status('127.0.7.2', 6379)).toBe('closed');
    expect(status('127.0.7.1', 7001)).toBe('timeout');
    expect(report.summary.byStatus).toMatchObject({ filtered: 64, closed: 4, timeout: 1 });
    // filtered and closed are tested (no service), not "not tested": only the timeout is.
    expect(report.summary.notTested).toBe(1);
  });

  it('64 filtered endpoints cost about one connect timeout, not 64 / concurrency of them', () => {
    console.log(`filtered-netns: engine ${report.run.durationMs} ms, CLI wall ${wallMs} ms, connect timeout ${CONNECT_TIMEOUT_MS} ms`);
    expect(report.run.durationMs).toBeLessThan(3 * CONNECT_TIMEOUT_MS);
  });
});
