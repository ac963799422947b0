// Renders the "AI infrastructure" product table of README.md from the AI signatures in signatures/ (a test checks
// that the README holds this output). Run after `npm run build`:   node dist/scripts/gen-ai-table.js
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import chroma from '../signatures/chroma.js';
import comfyui from '../signatures/comfyui.js';
import dify from '../signatures/dify.js';
import flowise from '../signatures/flowise.js';
import gradio from '../signatures/gradio.js';
import kubeflowPipelines from '../signatures/kubeflow-pipelines.js';
import langflow from '../signatures/langflow.js';
import langfuse from '../signatures/langfuse.js';
import litellm from '../signatures/litellm.js';
import milvus from '../signatures/milvus.js';
import mlflow from '../signatures/mlflow.js';
import n8n from '../signatures/n8n.js';
import ollama from '../signatures/ollama.js';
import openaiCompatible from '../signatures/openai-compatible.js';
import openWebui from '../signatures/open-webui.js';
import qdrant from '../signatures/qdrant.js';
import ray from '../signatures/ray.js';
import tensorboard from '../signatures/tensorboard.js';
import tgi from '../signatures/tgi.js';
import triton from '../signatures/triton.js';
import weaviate from '../signatures/weaviate.js';
import type { Signature } from '../src/http-catalog/signature.js';
import { replaceSection } from './lib/readme-section.js';

/** The AI signatures, grouped as the README presents them. */
export const aiSignatures: ReadonlyArray<{ group: string; sig: Signature }> = [
  ...[ollama, openaiCompatible, tgi, triton, litellm].map((sig) => ({ group: 'model server', sig })),
  ...[qdrant, chroma, weaviate, milvus].map((sig) => ({ group: 'vector database', sig })),
  ...[ray, mlflow, kubeflowPipelines, tensorboard].map((sig) => ({ group: 'ML platform', sig })),
  ...[openWebui, gradio, comfyui, langfuse, flowise, langflow, n8n, dify].map((sig) => ({ group: 'app / agent builder', sig })),
];

/** What each check never sends, beyond the catalog-wide forbidden routes (src/http-catalog/forbidden.ts). */
export const neverSends: Readonly<Record<string, string>> = {
  ollama: '/api/generate, /api/chat, /api/embed(dings), /api/pull, /api/push, /api/create, /api/copy, /api/delete, /api/blobs',
  'openai-compatible': '/v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses, /generate, /tokenize',
  tgi: 'POST /, /generate, /generate_stream, /v1/chat/completions, /v1/completions, /invocations, /vertex (POST /tokenize only with an empty object, rejected before tokenizing)',
  triton: '…/infer, …/generate, repository load/unload, shared-memory register',
  litellm: '/health (calls every upstream model), completions, embeddings, /key/generate, /user/new',
  qdrant: 'point search/scroll/upsert/delete, collection changes, snapshot downloads',
  chroma: 'add/upsert/update/delete, queries, POST …/get',
  weaviate: 'GraphQL (may call vectorizer modules), object and batch writes, schema changes',
  milvus: 'search, query, insert, upsert, delete, drop, user and role management',
  ray: 'POST /api/jobs/ (submission), job stop/delete, /api/v0/logs/file (CVE-2023-6021), /log_proxy (SSRF)',
  mlflow: 'create/update/delete/log-* calls, artifact downloads, path-traversal CVE requests',
  'kubeflow-pipelines': 'run and recurring-run creation, pipeline upload, archive/delete',
  tensorboard: 'plugin data downloads, debugger plugins',
  'open-webui': 'sign-up, sign-in, chat completions, token-authenticated /api/v1/*',
  gradio: '/run, /call, /queue/join, predictions, /file=, /proxy=, uploads',
  comfyui: '/prompt (any method), POST /queue, /interrupt, /free, /history, uploads, ComfyUI-Manager routes',
  langfuse: 'ingestion, /api/auth/* (sign-up, sign-in), tRPC mutations',
  flowise: '/api/v1/prediction/*, node load methods, custom MCP tests, imports, any POST',
  langflow: '/api/v1/auto_login (mints a superuser token), /api/v1/validate/code (CVE-2025-3248), /api/v1/run, /api/v1/build',
  n8n: '/rest/owner/setup, /rest/login, webhooks, form endpoints, guessed API keys',
  dify: 'POST /console/api/setup, /console/api/init, login, app runs, guessed app keys',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

function row(group: string, s: Signature): string {
  const sends = s.requests.map((r) => code(`${r.method} ${r.path}${r.body !== undefined ? ` ${r.body}` : ''}`));
  const measured = (s.measure ?? []).map(
    (m) => `${m.kind}s (${code(`${m.request.method} ${m.request.path}`)}${m.each ? `, then ${code(`GET ${m.each.path}`)}` : ''})`,
  );
  const states = [
    ...(s.unclaimed?.length ? ['unclaimed setup'] : []),
    ...(s.leaks?.length
      ? [
          `still leaks: ${s.leaks.map((l) => code(`GET ${s.requests.find((r) => r.id === (Array.isArray(l.on) ? l.on[0] : l.on))?.path ?? '?'}`)).join(', ')}`,
        ]
      : []),
    ...(s.advisories?.length ? [`advisories: ${s.advisories.map((a) => `${a.id} (< ${a.fixedIn})`).join(', ')}`] : []),
    ...(s.defaultCredentials?.length ? [`opt-in default credential: ${s.defaultCredentials.map((c) => c.user).join(', ')}`] : []),
  ];
  return [
    s.product,
    group,
    code(s.id),
    s.defaultPorts.join(', '),
    sends.join('<br>'),
    measured.join('<br>') || '—',
    states.join('; ') || '—',
    s.severity,
    neverSends[s.id] ?? '—',
  ]
    .map(cell)
    .join(' | ');
}

export function renderAiTable(): string {
  return [
    '| product | kind | id (service key) | default ports | proof requests | measured when exposed | other verdict facts | severity when exposed | never sends |',
    '|---|---|---|---|---|---|---|---|---|',
    ...aiSignatures.map(({ group, sig }) => `| ${row(group, sig)} |`),
  ].join('\n');
}

export const aiMarkers = ['<!-- ai-catalog:start (generated by scripts/gen-ai-table.ts) -->', '<!-- ai-catalog:end -->'] as const;

export function updateReadmeAi(readme: string): string {
  return replaceSection(readme, aiMarkers, renderAiTable());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync('README.md', updateReadmeAi(readFileSync('README.md', 'utf8')));
  console.log(`wrote the AI infrastructure table in README.md (${aiSignatures.length} products)`);
}
