// The AI catalog's verdict facts through each product's own service probe, on its recorded replies: typed severity
// with its reason (remote code execution critical; readable embeddings and free GPU/model control high), advisories
// named by CVE for the version seen, unclaimed setups and what still leaks. Address 127.0.0.125, port 0.
import { afterAll, describe, expect, it } from 'vitest';
import { signatures } from '../../../signatures/index.js';
import { signatureProbes } from '../../../src/http-catalog/index.js';
import type { Observation } from '../../../src/types.js';
import { createHarness } from '../../support/probe-harness.js';
import { startReplayServer } from '../../support/replay-server.js';
import { repliesFor } from '../../support/replies.js';
import { aiSignatures } from '../../../scripts/gen-product-tables.js';

const harness = createHarness({ timeoutMs: 10_000 });
afterAll(() => harness.close());
const probes = new Map(signatureProbes(signatures).map((p) => [p.meta.id, p]));

async function observe(id: string, caseName: string): Promise<Observation> {
  const c = repliesFor(id)?.cases[caseName];
  if (!c) throw new Error(`${id} has no case ${caseName}`);
  const s = await startReplayServer('127.0.0.125', 0, c);
  try {
    return (await harness.probe(id, s.host, s.port, { probes: [probes.get(id)!] })).observation;
  } finally {
    await s.close();
  }
}

// [product, case, severity, reason pattern]
const assessed: Array<[string, string, string, RegExp]> = [
  ['ray', 'exposed', 'critical', /remote code execution/],
  ['comfyui', 'exposed', 'critical', /remote code execution/],
  ['flowise', 'exposed', 'critical', /remote code execution/],
  ['langflow', 'exposed', 'critical', /remote code execution/],
  ['kubeflow-pipelines', 'exposed', 'critical', /remote code execution/],
  ['n8n', 'exposed', 'critical', /remote code execution/],
  ['n8n', 'unclaimed', 'critical', /unclaimed setup/],
  ['dify', 'exposed', 'critical', /unclaimed setup/],
  ['open-webui', 'unclaimed', 'critical', /unclaimed setup/],
  ['open-webui', 'exposed', 'critical', /authentication disabled/],
  ['litellm', 'exposed', 'critical', /provider keys/],
  ['qdrant', 'exposed', 'high', /readable embeddings and payloads \(49587 points\)/],
  ['chroma', 'exposed', 'high', /readable embeddings/],
  ['weaviate', 'exposed', 'high', /readable embeddings/],
  ['milvus', 'exposed', 'high', /readable embeddings/],
  ['ollama', 'exposed', 'high', /free GPU inference and model control.*1 model\(s\) loaded/],
  ['openai-compatible', 'exposed', 'high', /free GPU inference: vLLM/],
  ['openai-compatible', 'exposed-llamacpp', 'high', /free GPU inference: llama\.cpp/],
  ['tgi', 'exposed', 'high', /free GPU inference/],
  ['triton', 'exposed', 'high', /free GPU inference/],
  ['mlflow', 'exposed', 'high', /model theft/],
  ['tensorboard', 'exposed', 'medium', /training logs/],
  ['gradio', 'exposed', 'medium', /API endpoint/],
];

describe('AI catalog verdicts (service probes, recorded replies)', () => {
  it.each(assessed)('%s %s: %s with a one-line reason', async (id, name, severity, reason) => {
    const o = await observe(id, name);
    expect(o.status).toBe('exposed');
    expect(o.assessment?.severity).toBe(severity);
    expect(o.assessment?.reason).toMatch(reason);
  });

  it('known-vulnerable versions name the CVE; fixed versions do not', async () => {
    expect((await observe('ollama', 'exposed')).advisories?.map((a) => a.id)).toEqual(['CVE-2026-7482']);
    expect((await observe('ollama', 'exposed-empty')).advisories ?? []).toEqual([]);
    expect((await observe('langflow', 'exposed')).advisories?.map((a) => a.id)).toEqual(['CVE-2025-34291']);
    expect((await observe('flowise', 'exposed')).advisories?.map((a) => a.id)).toEqual(['CVE-2026-40933', 'CVE-2026-56274']);
    expect((await observe('flowise', 'secured')).advisories?.map((a) => a.id)).toEqual(['CVE-2026-40933', 'CVE-2026-56274']);
  });

  it('unclaimed setups say who becomes admin', async () => {
    expect((await observe('open-webui', 'unclaimed')).unclaimed).toMatch(/first visitor/);
    expect((await observe('n8n', 'unclaimed')).unclaimed).toMatch(/first visitor becomes the n8n owner/);
    expect((await observe('dify', 'exposed')).unclaimed).toMatch(/first visitor creates the Dify admin/);
    expect((await observe('dify', 'secured')).unclaimed).toBeUndefined();
  });

  it('secured but leaking: what the public routes still reveal', async () => {
    const vllm = await observe('openai-compatible', 'leaking');
    expect(vllm.status).toBe('auth-required');
    expect(vllm.leaks).toEqual([expect.objectContaining({ request: 'GET /metrics', shows: expect.stringMatching(/model/) })]);
    expect((await observe('tgi', 'secured')).leaks?.map((l) => l.request)).toEqual(['GET /info']);
    expect((await observe('qdrant', 'secured')).leaks?.map((l) => l.request)).toEqual(['GET /']);
    expect((await observe('ollama', 'leaking')).leaks?.map((l) => l.request).sort()).toEqual(['GET /', 'GET /api/version']);
    expect((await observe('ollama', 'secured')).leaks).toBeUndefined();
  });

  it('measurements count what is readable: Qdrant points per collection, Ollama model bytes, ComfyUI VRAM', async () => {
    const q = await observe('qdrant', 'exposed');
    expect(q.data?.items.map((i) => [i.kind, i.name, i.rows])).toEqual([
      ['collection', 'support_tickets', 48210],
      ['collection', 'contracts', 1377],
    ]);
    const ollama = await observe('ollama', 'exposed');
    expect(ollama.data?.items.map((i) => [i.kind, i.name, i.bytes])).toEqual([
      ['model', 'llama3.2:latest', 2019393189],
      ['model', 'qwen2.5:14b', 8988124069],
    ]);
    const comfy = await observe('comfyui', 'exposed');
    expect(comfy.data?.items[0]).toMatchObject({ kind: 'node', bytes: 25386352640 });
  });

  // Shapes an empty install answers ([] for jobs, collections, chatflows, flows; {"models":[]}; a setup state):
  // served on every path, the random one too, they prove nothing.
  const emptyShapes: Array<[string, string]> = [
    ['empty array', '[]'],
    ['empty model list', '{"models":[]}'],
    ['setup not started', '{"step":"not_started"}'],
    ['n8n settings', '{"data":{"userManagement":{"showSetupOnFirstLoad":true}}}'],
    ['Qdrant collections', '{"result":{"collections":[]},"status":"ok","time":0.1}'],
  ];
  it.each(emptyShapes)('a catch-all answering %s on every path lights no AI product', async (_name, body) => {
    const s = await startReplayServer('127.0.0.125', 0, () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body,
      source: 'catch-all',
    }));
    try {
      for (const { sig } of aiSignatures) {
        const { observation: o } = await harness.probe(sig.id, s.host, s.port, { probes: [probes.get(sig.id)!] });
        expect({ id: sig.id, status: o.status, unclaimed: o.unclaimed, leaks: o.leaks, items: o.data?.items.length ?? 0 }).toEqual({
          id: sig.id,
          status: 'not-detected',
          unclaimed: undefined,
          leaks: undefined,
          items: 0,
        });
      }
    } finally {
      await s.close();
    }
  });
});
