import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const vllmModels = {
  object: 'list',
  data: [
    {
      id: 'meta-llama/Llama-3.1-8B-Instruct',
      object: 'model',
      created: 1764585600,
      owned_by: 'vllm',
      root: '/models/Llama-3.1-8B-Instruct',
      parent: null,
      max_model_len: 131072,
      permission: [
        {
          id: 'modelperm-5f2c9a0e4b0c4f7e',
          object: 'model_permission',
          created: 1764585600,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: '*',
          group: null,
          is_blocking: false,
        },
      ],
    },
  ],
};
const vllmMetrics = [
  '# HELP vllm:num_requests_running Number of requests in model execution batches.',
  '# TYPE vllm:num_requests_running gauge',
  'vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0',
  '# HELP vllm:prompt_tokens_total Number of prefill tokens processed.',
  '# TYPE vllm:prompt_tokens_total counter',
  'vllm:prompt_tokens_total{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 18342.0',
  '',
].join('\n');
const metricsSrc = 'https://docs.vllm.ai/en/latest/design/metrics.html (vLLM 0.11: /metrics is in PUBLIC_ENDPOINTS)';
const unauthorized = {
  status: 401,
  headers: json,
  body: { error: 'Unauthorized' },
  source: 'vllm/entrypoints/openai/api_server.py AuthenticationMiddleware (vLLM 0.11, --api-key)',
};

export default defineReplies({
  signature: 'openai-compatible',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.11.0',
      data: { items: 1 },
      replies: [
        {
          method: 'GET',
          path: '/v1/models',
          status: 200,
          headers: json,
          body: vllmModels,
          source: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (vLLM 0.11 ModelCard)',
        },
        {
          method: 'GET',
          path: '/version',
          status: 200,
          headers: json,
          body: { version: '0.11.0' },
          source: 'vLLM api_server.py GET /version (0.11)',
        },
        {
          method: 'GET',
          path: '/metrics',
          status: 200,
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
          body: vllmMetrics,
          source: metricsSrc,
        },
      ],
    },
    'exposed-llamacpp': {
      expect: 'exposed',
      data: { items: 1 },
      replies: [
        {
          method: 'GET',
          path: '/v1/models',
          status: 200,
          headers: json,
          body: {
            object: 'list',
            data: [
              {
                id: 'qwen2.5-7b-instruct-q4_k_m.gguf',
                object: 'model',
                created: 1764585600,
                owned_by: 'llamacpp',
                meta: { vocab_type: 2, n_vocab: 152064, n_ctx_train: 32768, n_embd: 3584, n_params: 7615616512, size: 4677120000 },
              },
            ],
          },
          source: 'https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md GET /v1/models (b6xxx, owned_by "llamacpp")',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: '/v1/models', ...unauthorized },
        {
          method: 'GET',
          path: '/version',
          status: 200,
          headers: json,
          body: { version: '0.11.0' },
          source: 'vLLM /version stays public with --api-key (0.11)',
        },
      ],
    },
    leaking: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        { method: 'GET', path: '/v1/models', ...unauthorized },
        {
          method: 'GET',
          path: '/version',
          status: 200,
          headers: json,
          body: { version: '0.11.0' },
          source: 'vLLM /version stays public with --api-key (0.11)',
        },
        {
          method: 'GET',
          path: '/metrics',
          status: 200,
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
          body: vllmMetrics,
          source: metricsSrc,
        },
      ],
    },
    'secured-llamacpp': {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/v1/models',
          status: 401,
          headers: json,
          body: { error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' } },
          source: 'llama.cpp tools/server/server.cpp middleware_validate_api_key (--api-key)',
        },
      ],
    },
  },
});
