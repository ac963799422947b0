import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/** `owned_by` in /v1/models names the server: each project's ModelCard / list handler sets it. */
const servers: Record<string, string> = { vllm: 'vLLM', sglang: 'SGLang', llamacpp: 'llama.cpp', organization_owner: 'LM Studio' };
const ownedBy = /^(vllm|sglang|llamacpp|organization_owner)$/;

/**
 * vLLM and the OpenAI-compatible servers that name themselves in `owned_by` (SGLang, llama.cpp, LM Studio).
 * Ollama (`owned_by` = model namespace), LiteLLM (`openai`) and TGI (the model id) have their own signatures, so an
 * unknown `owned_by` is no proof here. vLLM `--api-key` guards /v1 only: /version and /metrics stay public, and
 * /metrics names the served model — that is the "still leaks" finding, never an exposure.
 * Never sent: /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses, /generate, /tokenize.
 */
export default defineSignature({
  id: 'openai-compatible',
  product: 'OpenAI-compatible model server (vLLM, SGLang, llama.cpp, LM Studio)',
  category: 'model server',
  neverSends: '/v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses, /generate, /tokenize',
  defaultPorts: [8000, 30000, 1234],
  requests: [
    { id: 'models', method: 'GET', path: '/v1/models' },
    { id: 'version', method: 'GET', path: '/version' },
    { id: 'metrics', method: 'GET', path: '/metrics', maxBytes: 32 * 1024 },
  ],
  positive: [
    {
      on: 'models',
      status: [200],
      contentType: /json/i,
      json: [
        { path: 'object', equals: 'list' },
        { path: 'data.0.object', equals: 'model' },
        'data.0.id',
        { path: 'data.0.owned_by', match: ownedBy },
      ],
      shows: 'the served model list without an API key: anyone can run inference on these GPUs',
    },
  ],
  auth: [
    {
      on: 'models',
      status: [401],
      contentType: /json/i,
      body: [/^\s*\{\s*"error"\s*:\s*"Unauthorized"\s*\}\s*$/],
      shows: '401 {"error":"Unauthorized"} (vLLM / SGLang --api-key middleware)',
    },
    {
      on: 'models',
      status: [401],
      contentType: /json/i,
      json: [
        { path: 'error.type', equals: 'authentication_error' },
        { path: 'error.code', equals: 401 },
      ],
      shows: '401 {"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}} (llama.cpp --api-key)',
      identifies: true,
    },
  ],
  leaks: [
    {
      on: 'metrics',
      status: [200],
      body: [/^vllm:[a-z_]+\{[^}]*model_name="/m],
      shows: 'GET /metrics is public and names the served model (vllm:* series with model_name)',
    },
  ],
  measure: [{ id: 'models', kind: 'model', request: { method: 'GET', path: '/v1/models' }, list: 'data', name: 'id' }],
  assess(r) {
    const server = servers[str(r.models?.json(), 'data.0.owned_by') ?? ''] ?? 'the server';
    return {
      severity: 'high',
      reason: `free GPU inference: ${server} serves its models to anyone without an API key (cost, model and path disclosure)`,
    };
  },
  severity: 'high',
  exposure: 'anyone can run inference on the served models (GPU cost) and read model ids and local model paths (`root`)',
  remediation:
    'Start the server with an API key (vLLM --api-key / VLLM_API_KEY, SGLang --api-key, llama-server --api-key), bind it to a private interface, and keep /metrics behind the same proxy or firewall.',
  references: [
    'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
    'https://github.com/vllm-project/vllm/blob/main/vllm/entrypoints/openai/protocol.py',
    'https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md',
    'https://github.com/projectdiscovery/nuclei-templates/pull/16471',
  ],
  extract(r) {
    const b = r.models?.status === 200 ? r.models.json() : undefined;
    const data = jsonAt(b, 'data');
    const metricsModel = /model_name="([^"]{1,120})"/.exec(r.metrics?.status === 200 ? r.metrics.text : '')?.[1];
    return compact({
      server: servers[str(b, 'data.0.owned_by') ?? ''] ?? (metricsModel ? 'vLLM' : undefined),
      version: str(r.version?.status === 200 ? r.version.json() : undefined, 'version'),
      models: Array.isArray(data)
        ? data
            .map((m) => str(m, 'id', 120))
            .filter(Boolean)
            .slice(0, 50)
        : undefined,
      root: str(b, 'data.0.root', 160),
      maxModelLen: str(b, 'data.0.max_model_len'),
      metricsModel,
    });
  },
  summarize(reply) {
    const d = jsonAt(reply.json(), 'data');
    if (reply.requestId === 'models' && Array.isArray(d))
      return `${reply.status} ${d.length} models (owned_by ${str(d[0], 'owned_by') ?? '?'}): ${d
        .slice(0, 8)
        .map((m) => str(m, 'id') ?? '?')
        .join(', ')}`;
    return undefined;
  },
});
