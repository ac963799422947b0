// Issue 22 part 3's "done": long-tail products on a host declared WITHOUT `services:` are found through the default
// expansion. Replayed servers (each signature's recorded `exposed` case) on their DEFAULT ports of 127.0.7.40:
// Jaeger 16686, Meilisearch 7700, Livy 8998, Dask 8787, WebHDFS 9870, audited by the CLI (inventory → expandTargets
// → runAudit → classify → report). Code-running products come out critical whatever they leak.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dask from '../../../signatures/dask.replies.js';
import jaeger from '../../../signatures/jaeger.replies.js';
import livy from '../../../signatures/livy.replies.js';
import meilisearch from '../../../signatures/meilisearch.replies.js';
import webhdfs from '../../../signatures/webhdfs.replies.js';
import { parseReport } from '../../../src/report/compact.js';
import { cli } from '../../support/cli.js';
import { startReplayServer, type ReplayServer } from '../../support/replay-server.js';

const HOST = '127.0.7.40';
const products = [
  { service: 'jaeger', port: 16686, replies: jaeger },
  { service: 'meilisearch', port: 7700, replies: meilisearch },
  { service: 'livy', port: 8998, replies: livy },
  { service: 'dask', port: 8787, replies: dask },
  { service: 'webhdfs', port: 9870, replies: webhdfs },
];
const dir = mkdtempSync(path.join(tmpdir(), 'ea-long-tail-default-'));
const servers: ReplayServer[] = [];
let inventory = '';

beforeAll(async () => {
  for (const p of products) servers.push(await startReplayServer(HOST, p.port, p.replies.cases['exposed']!));
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(inventory, [`targets:`, `  - host: ${HOST}`, `    name: data-box`, `defaults: {timeout: 10s}`, ''].join('\n'));
});

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('long-tail products on their default ports, host declared without services', () => {
  it('are audited by default, each exposed under its own service with what it leaks; code runners are critical', async () => {
    const { code, stdout, stderr } = await cli([inventory, '--format', 'json', '--no-state']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = parseReport(JSON.parse(stdout));
    const exposed = report.endpoints.filter((e) => e.status === 'exposed');
    expect(exposed.map((e) => `${e.service}:${e.port}`).sort()).toEqual(products.map((p) => `${p.service}:${p.port}`).sort());
    for (const e of exposed) expect(e.data?.items.length, e.service).toBeGreaterThan(0);
    const severity = new Map(report.findings.map((f) => [f.check.split(':')[0], f.severity]));
    for (const s of ['livy', 'dask', 'webhdfs']) expect(severity.get(s), s).toBe('critical');
    // The others are findings too; the risk model then weighs what was seen (Meilisearch's documents raise it).
    for (const s of ['jaeger', 'meilisearch']) expect(['critical', 'high', 'medium'], s).toContain(severity.get(s));
    // Identified from the replies, never from the port, and with nothing but GET.
    for (const s of servers) for (const r of s.requests) expect(r).toMatch(/^GET \//);
  }, 180_000);
});
