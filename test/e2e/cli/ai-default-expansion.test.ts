// Issue 12's "done": a host declared WITHOUT `services:` that runs an AI product open is reported exposed through the
// default expansion. A replayed Ollama (signatures/ollama.replies.ts, case `exposed`: the current version's
// /api/version and /api/tags) on its DEFAULT port 11434 of 127.0.7.20, audited by the CLI: inventory → expandTargets →
// runAudit → classify → report. Every other default port of that address is closed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ollamaReplies from '../../../signatures/ollama.replies.js';
import { parseReport } from '../../../src/report/compact.js';
import { cli } from '../../support/cli.js';
import { startReplayServer, type ReplayServer } from '../../support/replay-server.js';

const HOST = '127.0.7.20';
const dir = mkdtempSync(path.join(tmpdir(), 'ea-ai-default-'));
let ollama: ReplayServer;
let inventory = '';

beforeAll(async () => {
  ollama = await startReplayServer(HOST, 11434, ollamaReplies.cases['exposed']!);
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(inventory, [`targets:`, `  - host: ${HOST}`, `    name: gpu-box`, `defaults: {timeout: 10s}`, ''].join('\n'));
});

afterAll(() => ollama.close());

describe('an AI product on its default port, host declared without services', () => {
  it('is audited by default and reported exposed with its models; nothing else on the host lights up', async () => {
    const { code, stdout, stderr } = await cli([inventory, '--format', 'json', '--no-state']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = parseReport(JSON.parse(stdout));
    // The default expansion covered the host's ports, the AI services included.
    expect(report.endpoints.length).toBeGreaterThan(20);
    const answered = report.endpoints.filter((e) => e.status !== 'closed');
    expect(answered.map((e) => `${e.service}:${e.port}:${e.status}`)).toEqual(['ollama:11434:exposed']);
    expect(answered[0]!.evidence.product).toBe('Ollama');
    expect(answered[0]!.data?.items.length).toBeGreaterThan(0);
    expect(report.findings.map((f) => `${f.check}@${f.asset}`)).toEqual(['ollama:unauthenticated@gpu-box']);
    // The product was identified from its replies, not the port: its API was asked.
    expect(ollama.requests.some((r) => r.startsWith('GET /api/tags'))).toBe(true);
  }, 120_000);
});
