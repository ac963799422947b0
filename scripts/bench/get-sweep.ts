// The web farm's ceiling: one `GET /` per endpoint with the same concurrency, nothing else (no baseline, no
// catalog, no report). Its own process, measured like exposure-audit's.
//
//   node dist/scripts/bench/get-sweep.js ENDPOINTS_FILE CONCURRENCY TIMEOUT_MS
//
// ENDPOINTS_FILE holds one `host port` per line (loopback literals only). Prints one JSON line of counts.
import fs from 'node:fs';
import net from 'node:net';
import pLimit from 'p-limit';
import { Agent } from 'undici';

async function main(): Promise<void> {
  const [file, c, t] = process.argv.slice(2);
  if (!file || !c || !t) throw new Error('usage: get-sweep ENDPOINTS_FILE CONCURRENCY TIMEOUT_MS');
  const endpoints = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [host, port] = line.split(' ');
      if (!host || !net.isIPv4(host) || !host.startsWith('127.')) throw new Error(`refusing non-loopback endpoint ${JSON.stringify(line)}`);
      return { host, port: Number(port) };
    });
  const agent = new Agent({ connections: 1, connect: { timeout: Number(t) } });
  const counts = { endpoints: endpoints.length, ok: 0, failed: 0, ms: 0 };
  const t0 = performance.now();
  const limit = pLimit(Number(c));
  await limit.map(endpoints, async ({ host, port }) => {
    try {
      const res = await agent.request({
        origin: `http://${host}:${port}`,
        path: '/',
        method: 'GET',
        signal: AbortSignal.timeout(Number(t)),
      });
      await res.body.text();
      counts.ok++;
    } catch {
      counts.failed++;
    }
  });
  counts.ms = Math.round(performance.now() - t0);
  await agent.close();
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

await main();
