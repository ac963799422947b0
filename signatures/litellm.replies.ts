import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const readiness = {
  status: 200,
  headers: json,
  body: {
    status: 'connected',
    db: 'connected',
    cache: null,
    litellm_version: '1.79.3',
    success_callbacks: ['sync_deployment_callback_on_success', 'ServiceLogging'],
    use_aiohttp_transport: true,
    last_updated: '2026-12-01T11:40:02.120331',
  },
  source: 'https://docs.litellm.ai/docs/proxy/health#readiness (LiteLLM 1.79: no model calls)',
};
const authError = {
  status: 401,
  headers: json,
  body: { error: { message: 'Authentication Error, No api key passed in.', type: 'auth_error', param: 'None', code: '401' } },
  source: 'litellm/proxy/auth/user_api_key_auth.py (LiteLLM 1.79, master key set)',
};

export default defineReplies({
  signature: 'litellm',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.79.3',
      data: { items: 2 },
      replies: [
        { method: 'GET', path: '/health/readiness', ...readiness },
        {
          method: 'GET',
          path: '/model/info',
          status: 200,
          headers: json,
          body: {
            data: [
              {
                model_name: 'gpt-4o',
                litellm_params: {
                  model: 'openai/gpt-4o',
                  api_base: 'https://api.openai.com/v1',
                  use_in_pass_through: false,
                  merge_reasoning_content_in_choices: false,
                },
                model_info: {
                  id: '5a1e0c9b7c2d4e8f',
                  db_model: false,
                  key: 'gpt-4o',
                  max_tokens: 16384,
                  input_cost_per_token: 2.5e-6,
                  litellm_provider: 'openai',
                  mode: 'chat',
                },
              },
              {
                model_name: 'claude',
                litellm_params: { model: 'anthropic/claude-sonnet-4-5', use_in_pass_through: false },
                model_info: {
                  id: '9d3b1f4a2e6c8b0d',
                  db_model: false,
                  key: 'claude-sonnet-4-5',
                  litellm_provider: 'anthropic',
                  mode: 'chat',
                },
              },
            ],
          },
          source: 'https://docs.litellm.ai/docs/proxy/model_management#get-model-information---modelinfo (LiteLLM 1.79, no master key)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [{ method: 'GET', path: '/model/info', ...authError }],
    },
    leaking: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        { method: 'GET', path: '/health/readiness', ...readiness },
        { method: 'GET', path: '/model/info', ...authError },
      ],
    },
  },
});
