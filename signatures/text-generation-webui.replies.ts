import { defineReplies } from '../src/http-catalog/replies.js';

const src = 'https://github.com/oobabooga/text-generation-webui/blob/main/extensions/openai/script.py (text-generation-webui 2.x, --api)';
const unauthorized = {
  status: 401,
  body: { detail: 'Unauthorized' },
  source:
    'https://github.com/oobabooga/text-generation-webui/blob/main/extensions/openai/script.py (verify_api_key with --api-key: HTTPException 401)',
};

export default defineReplies({
  signature: 'text-generation-webui',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 3 },
      replies: [
        {
          path: '/v1/internal/model/info',
          status: 200,
          body: { model_name: 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', lora_names: [] },
          source: src,
        },
        {
          path: '/v1/internal/model/list',
          status: 200,
          body: { model_names: ['Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', 'Mistral-7B-Instruct-v0.3', 'Qwen2.5-14B-Instruct'] },
          source: src,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { path: '/v1/internal/model/info', ...unauthorized },
        { path: '/v1/internal/model/list', ...unauthorized },
      ],
    },
  },
});
