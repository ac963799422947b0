import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * NVIDIA Triton Inference Server, KServe v2 HTTP API (src/http_server.cc). Triton has no authentication; the only
 * control is --http-restricted-api=<apis>:<header>=<value>, which answers 403 {"error":"This API is restricted,
 * expecting header '<h>'"} without that header. Other KServe v2 servers answer /v2 with another `name`: require
 * "triton". Never sent: .../infer, .../generate*, POST /v2/repository/models/<m>/load|unload, shared-memory register.
 */
export default defineSignature({
  id: 'triton',
  product: 'NVIDIA Triton Inference Server',
  category: 'model server',
  neverSends: '…/infer, …/generate, repository load/unload, shared-memory register',
  defaultPorts: [8000],
  requests: [
    { id: 'metadata', method: 'GET', path: '/v2' },
    { id: 'stats', method: 'GET', path: '/v2/models/stats' },
  ],
  positive: [
    {
      on: 'stats',
      status: [200],
      contentType: /json/i,
      body: [/^\s*\{\s*"model_stats"\s*:\s*\[/],
      shows: 'per-model statistics without credentials: every loaded model accepts inference from anyone',
    },
    {
      on: 'metadata',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'name', equals: 'triton' }, 'version', 'extensions.0'],
      shows: 'server metadata without credentials (Triton has no authentication; no restricted-API header demanded)',
    },
  ],
  auth: [
    {
      on: ['metadata', 'stats'],
      status: [403],
      contentType: /json/i,
      body: [/This API is restricted, expecting header/],
      shows: '403 {"error":"This API is restricted, expecting header \'…\'"} (--http-restricted-api)',
      identifies: true,
    },
    { on: ['metadata', 'stats'], status: [401], shows: '401 from a proxy in front of Triton (Triton has no authentication of its own)' },
  ],
  measure: [{ id: 'models', kind: 'model', request: { method: 'GET', path: '/v2/models/stats' }, list: 'model_stats', name: 'name' }],
  assess(r) {
    const ext = jsonAt(r.metadata?.json(), 'extensions');
    const repo = Array.isArray(ext) && ext.includes('model_repository');
    return {
      severity: 'high',
      reason: `free GPU inference on every loaded model${repo ? '; the model-repository extension is on (load/unload with explicit model control)' : ''}`,
    };
  },
  severity: 'high',
  exposure:
    'anyone can run inference on the loaded models, read their configuration and statistics, and (explicit model control) load or unload models',
  remediation:
    'Bind Triton to a private interface and put an authenticating proxy in front; restrict the model-repository, shared-memory and statistics APIs with --http-restricted-api / --grpc-restricted-protocol, and keep the metrics port 8002 private.',
  references: [
    'https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/protocol/extension_statistics.html',
    'https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/customization_guide/inference_protocols.html',
    'https://github.com/triton-inference-server/server/blob/main/src/http_server.cc',
  ],
  extract(r) {
    const m = r.metadata?.json();
    const s = jsonAt(r.stats?.status === 200 ? r.stats.json() : undefined, 'model_stats');
    return compact({
      version: str(m, 'version'),
      extensions: Array.isArray(jsonAt(m, 'extensions')) ? (jsonAt(m, 'extensions') as unknown[]).map(String).slice(0, 20) : undefined,
      models: Array.isArray(s) ? [...new Set(s.map((x) => str(x, 'name')).filter(Boolean))].slice(0, 50) : undefined,
    });
  },
});
