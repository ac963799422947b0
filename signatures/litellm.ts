import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * LiteLLM proxy. Without a master key `user_api_key_auth` treats every caller as PROXY_ADMIN. NEVER `GET /health`:
 * it calls every configured upstream model (real provider cost); `/health/readiness` is the documented no-call probe
 * (status, db, litellm_version) and is public by design. Never sent: /health, /chat/completions, /v1/completions,
 * /embeddings, /key/generate, /user/new, any POST.
 */
export default defineSignature({
  id: 'litellm',
  product: 'LiteLLM proxy',
  category: 'model server',
  neverSends: '/health (calls every upstream model), completions, embeddings, /key/generate, /user/new',
  defaultPorts: [4000],
  requests: [
    { id: 'readiness', method: 'GET', path: '/health/readiness' },
    { id: 'model-info', method: 'GET', path: '/model/info' },
  ],
  positive: [
    {
      on: 'model-info',
      status: [200],
      contentType: /json/i,
      json: ['data.0.model_name', 'data.0.litellm_params'],
      shows: 'the model routing table (upstream providers and endpoints) without a key: the proxy spends its provider keys for anyone',
    },
    {
      on: 'readiness',
      status: [200],
      contentType: /json/i,
      json: ['litellm_version', 'status'],
      shows: 'readiness with the LiteLLM version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'model-info',
      status: [401, 400],
      contentType: /json/i,
      json: [{ path: 'error.type', equals: 'auth_error' }],
      shows: '401 {"error":{"message":"Authentication Error, No api key passed in.","type":"auth_error",…}}',
      identifies: true,
    },
  ],
  leaks: [
    {
      on: 'readiness',
      status: [200],
      contentType: /json/i,
      json: ['litellm_version'],
      shows: 'GET /health/readiness is public: LiteLLM version, database and cache state, configured callbacks',
    },
  ],
  measure: [{ id: 'models', kind: 'model', request: { method: 'GET', path: '/model/info' }, list: 'data', name: 'model_name' }],
  assess() {
    return {
      severity: 'critical',
      reason:
        'upstream provider keys are spent by anyone, and without a master key every caller is proxy admin (mints keys, reads spend logs)',
    };
  },
  defaultCredentials: [
    {
      user: 'master key sk-1234',
      header: { authorization: 'Bearer sk-1234' },
      // The docs' example LITELLM_MASTER_KEY.
      source: 'https://docs.litellm.ai/docs/proxy/docker_quick_start',
      request: 'model-info',
    },
  ],
  severity: 'critical',
  exposure:
    "anyone can call every configured model on the operator's provider keys and, without a master key, administer the proxy (keys, users, spend logs)",
  remediation:
    "Set a strong LITELLM_MASTER_KEY (never the docs' sk-1234; recent releases refuse to start without one unless dangerously_allow_unsafe_proxy is set), issue virtual keys per client, and bind the proxy to a private interface.",
  references: [
    'https://docs.litellm.ai/docs/proxy/health',
    'https://docs.litellm.ai/docs/proxy/virtual_keys',
    'https://docs.litellm.ai/docs/proxy/model_management',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/litellm-unauth-model-exposure.yaml',
  ],
  extract(r) {
    const d = jsonAt(r['model-info']?.status === 200 ? r['model-info'].json() : undefined, 'data');
    return compact({
      version: str(r.readiness?.json(), 'litellm_version'),
      db: str(r.readiness?.json(), 'db'),
      models: Array.isArray(d)
        ? d
            .map((m) => str(m, 'model_name'))
            .filter(Boolean)
            .slice(0, 50)
        : undefined,
      upstreams: Array.isArray(d)
        ? [...new Set(d.map((m) => str(m, 'litellm_params.model', 120)).filter(Boolean))].slice(0, 50)
        : undefined,
    });
  },
  summarize(reply) {
    const d = jsonAt(reply.json(), 'data');
    if (reply.requestId === 'model-info' && Array.isArray(d))
      return `${reply.status} ${d.length} models: ${d
        .slice(0, 8)
        .map((m) => `${str(m, 'model_name') ?? '?'}→${str(m, 'litellm_params.model') ?? '?'}`)
        .join(', ')}`;
    return undefined;
  },
});
