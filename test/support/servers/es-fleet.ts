// A fleet of prompt, well-formed Elasticsearch replays, each answering a large `_cat/indices` listing (issue 21
// part 7): 8 loopback hosts from 127.0.0.180 × 8 ports (0: the kernel picks), 64 endpoints. The replays run in a
// child process of their own, so the auditor's event loop is the auditor's alone, as against real servers; shared
// by test/integration/hostile/es-fleet.test.ts and `npm run bench` (scripts/bench/es-fleet.ts). Stopped by pid.
// The replies follow Elasticsearch 8.13's shapes (GET / with X-elastic-product, _cat/indices?format=json rows of
// index/health/status/docs.count/store.size: https://www.elastic.co/guide/en/elasticsearch/reference/current/cat-indices.html).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** 9,000 rows of about 140 bytes: 1.26 MB, past the default 1 MiB byte cap (the listing is cut, as in the issue). */
export const fullListingRows = 9_000;

const replay = `
const http = require('node:http');
const rows = Number(process.argv[2]);
const hosts = Number(process.argv[3]);
const ports = Number(process.argv[4]);
const names = ['users_v', 'logs-app-', 'sessions_', 'metrics-', 'chat_messages_', 'orders-'];
const cat = JSON.stringify(Array.from({ length: rows }, (_, i) => ({ index: names[i % 6] + i + '-' + 'x'.repeat(40), health: 'green', status: 'open', 'docs.count': String(10 + i), 'store.size': '4096' })));
const root = JSON.stringify({ name: 'n1', cluster_name: 'c', cluster_uuid: 'u1', version: { number: '8.13.0', build_flavor: 'default' }, tagline: 'You Know, for Search' });
const handler = (req, res) => {
  const url = new URL(req.url, 'http://replay.invalid');
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-elastic-product': 'Elasticsearch' });
  if (url.pathname === '/') return res.end(root);
  if (url.pathname === '/_cat/indices') return res.end(cat);
  if (url.pathname === '/_cluster/health') return res.end('{"status":"green","number_of_nodes":1}');
  const m = /^\\/([^/]+)\\/_mapping$/.exec(url.pathname);
  if (m) return res.end(JSON.stringify({ [decodeURIComponent(m[1])]: { mappings: { properties: { msg: { type: 'keyword' } } } } }));
  res.end('{}');
};
const out = [];
let pending = hosts * ports;
for (let h = 0; h < hosts; h++) for (let p = 0; p < ports; p++) {
  const host = '127.0.0.' + (180 + h);
  const s = http.createServer(handler);
  s.listen(0, host, () => { out.push({ host, port: s.address().port }); if (--pending === 0) console.log(JSON.stringify({ servers: out, listingBytes: Buffer.byteLength(cat) })); });
}
`;

export interface EsFleet {
  servers: Array<{ host: string; port: number }>;
  /** Listing size in bytes (one `_cat/indices` body). */
  listingBytes: number;
  stop(): void;
}

/** Starts `hosts` × `ports` replays listing `rows` indices each; resolves once every one listens. */
export async function startEsFleet(rows: number, hosts = 8, ports = 8): Promise<EsFleet> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ea-es-fleet-'));
  const file = path.join(dir, 'replay.cjs');
  writeFileSync(file, replay);
  const child: ChildProcess = spawn(process.execPath, [file, String(rows), String(hosts), String(ports)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = await new Promise<Omit<EsFleet, 'stop'>>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(JSON.parse(buf) as Omit<EsFleet, 'stop'>);
      });
      child.once('exit', (code) => reject(new Error(`the ES fleet replay exited ${code}`)));
    });
    return { ...started, stop };
  } catch (err) {
    stop();
    throw err;
  }
}
