import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Hugging Face Text Generation Inference (router/src/server.rs). With --api-key only the "base routes" are guarded
 * (POST /, /generate, /generate_stream, /v1/chat/completions, /v1/completions, /vertex, /invocations, /tokenize) and
 * answer 401 with an empty body; GET /info, /health, /metrics and /v1/models stay public, so /info 200 proves TGI,
 * never an exposure. The proof is POST /tokenize with an empty JSON object: the auth layer answers first (401 when
 * secured); open, axum rejects the body (422 "missing field `inputs`") before anything is tokenized or generated.
 * Never sent: POST /, /generate, /generate_stream, /v1/chat/completions, /v1/completions, /invocations, /vertex.
 */
export default defineSignature({
  id: 'tgi',
  product: 'Hugging Face Text Generation Inference',
  category: 'model server',
  neverSends:
    'POST /, /generate, /generate_stream, /v1/chat/completions, /v1/completions, /invocations, /vertex (POST /tokenize only with an empty object, rejected before tokenizing)',
  defaultPorts: [3000, 8080, 80],
  requests: [
    { id: 'info', method: 'GET', path: '/info' },
    {
      id: 'tokenize',
      method: 'POST',
      path: '/tokenize',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      justification:
        'an empty object lacks the required `inputs` field: rejected by body validation (422) or by the API-key layer (401); nothing is tokenized or generated',
    },
  ],
  positive: [
    {
      on: 'tokenize',
      status: [422],
      body: ['missing field `inputs`'],
      shows: 'a guarded route reaches body validation without an API key: generation is open to anyone',
    },
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'router', equals: 'text-generation-router' }, 'model_id', 'version'],
      shows: 'model id and router version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [{ on: 'tokenize', status: [401], shows: '401 with an empty body from the --api-key layer' }],
  leaks: [
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'router', equals: 'text-generation-router' }, 'model_id'],
      shows: 'GET /info stays public with --api-key: model id, revision, limits and router version',
    },
  ],
  measure: [{ id: 'models', kind: 'model', request: { method: 'GET', path: '/v1/models' }, list: 'data', name: 'id' }],
  assess(r) {
    return {
      severity: 'high',
      reason: `free GPU inference: ${str(r.info?.json(), 'model_id') ?? 'the model'} generates for anyone without an API key`,
    };
  },
  // The router (axum) serves POST / only: GET / is 405; unknown paths are an empty 404; the API replies are JSON.
  identify: { landing: [{ status: [405] }, { status: [404], body: [/^$/] }, { contentType: /json/i }] },
  severity: 'high',
  exposure: 'anyone can run generation on the served model (GPU cost) and read its id, revision and limits',
  remediation:
    'Start text-generation-launcher with --api-key (or put an authenticating proxy in front), bind it to a private interface; /info and /metrics stay public either way, so firewall them too.',
  references: [
    'https://huggingface.co/docs/text-generation-inference/en/reference/launcher',
    'https://github.com/huggingface/text-generation-inference/blob/main/router/src/server.rs',
  ],
  extract(r) {
    const i = r.info?.json();
    return compact({
      version: str(i, 'version'),
      model: str(i, 'model_id', 120),
      modelSha: str(i, 'model_sha'),
      maxTotalTokens: str(i, 'max_total_tokens'),
      dockerLabel: str(i, 'docker_label'),
    });
  },
  summarize(reply) {
    if (reply.requestId === 'tokenize') return `${reply.status} ${reply.text.slice(0, 120)}`;
    return `${reply.status} model_id=${str(reply.json(), 'model_id') ?? '?'} version=${str(reply.json(), 'version') ?? '?'}`;
  },
});
