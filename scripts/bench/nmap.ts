// nmap as the benchmark's peer: same hosts, same ports, redis-info NSE script, bounded in time.
// Always `-n -Pn`: no DNS (a reverse lookup of 127.x left the machine on the test host), no ping.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { measure, type Measured } from './measure.js';

export interface NmapPort {
  host: string;
  port: number;
  state: string;
  /** redis-info output, when the script printed anything for this port. */
  script?: string;
}

export interface NmapRun extends Measured {
  args: string[];
  ports: NmapPort[];
  hosts: number;
}

export function nmapVersion(): string | null {
  try {
    return /Nmap version (\S+)/.exec(execFileSync('nmap', ['--version'], { encoding: 'utf8', timeout: 10_000 }))?.[1] ?? null;
  } catch {
    return null;
  }
}

const unescape = (s: string): string =>
  s
    .replace(/&#xa;/g, '\n')
    .replace(/&#xd;/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#45;/g, '-')
    .replace(/&amp;/g, '&');

/** Ports nmap listed, per host, with the redis-info output if any (closed ports folded into extraports are not listed). */
export function parseNmapXml(xml: string): { ports: NmapPort[]; hosts: number } {
  const ports: NmapPort[] = [];
  let hosts = 0;
  for (const block of xml.split('<host ').slice(1)) {
    hosts++;
    const host = /<address addr="([^"]+)"/.exec(block)?.[1] ?? '?';
    for (const p of block.split('<port ').slice(1)) {
      const port = Number(/portid="(\d+)"/.exec(p)?.[1]);
      const state = /<state state="([^"]+)"/.exec(p)?.[1] ?? '?';
      const script = /<script id="redis-info" output="([^"]*)"/.exec(p)?.[1];
      ports.push({ host, port, state, ...(script !== undefined ? { script: unescape(script) } : {}) });
    }
  }
  return { ports, hosts };
}

/** `extra`: more nmap options (e.g. `--script-timeout 3s`); targets must be 127.x literals or CIDRs. */
export async function runNmap(targets: string[], ports: number[], extra: string[], xmlFile: string, timeoutS: number): Promise<NmapRun> {
  for (const t of targets) if (!/^127\.\d+\.\d+\.\d+(\/\d+)?$/.test(t)) throw new Error(`nmap: refusing non-loopback target ${t}`);
  const args = ['-n', '-Pn', '-p', ports.join(','), '--script', 'redis-info', ...extra, '-oX', xmlFile, ...targets];
  const m = await measure('nmap', args, { label: 'nmap', timeoutS });
  let parsed = { ports: [] as NmapPort[], hosts: 0 };
  try {
    parsed = parseNmapXml(fs.readFileSync(xmlFile, 'utf8'));
  } catch {
    // no XML (timed out before writing, or nmap missing): reported as such
  }
  return { ...m, args, ...parsed };
}
