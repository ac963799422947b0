import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * oobabooga text-generation-webui, OpenAI-compatible API (5000, --api). Its own internal routes identify it:
 * `GET /v1/internal/model/info` (`model_name`, `lora_names`) and `/v1/internal/model/list` (`model_names`).
 * `--api-key` makes every route answer 401 (extensions/openai/script.py verify_api_key).
 */
export default defineSignature({
  id: 'text-generation-webui',
  product: 'text-generation-webui',
  category: 'model server',
  neverSends:
    '/v1/completions, /v1/chat/completions, /v1/internal/model/load (trust_remote_code = code execution), /v1/internal/encode, /v1/internal/stop-generation, LoRA loads',
  defaultPorts: [5000],
  requests: [
    { id: 'info', method: 'GET', path: '/v1/internal/model/info' },
    { id: 'list', method: 'GET', path: '/v1/internal/model/list' },
  ],
  positive: [
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: ['model_name', 'lora_names'],
      shows:
        'the loaded model without credentials: anyone can run inference and load other models (with trust_remote_code: code execution)',
    },
  ],
  auth: [
    {
      on: ['info', 'list'],
      status: [401, 403],
      contentType: /json/i,
      body: [/"detail"/],
      shows: '401 {"detail": "Unauthorized"} (--api-key)',
    },
  ],
  measure: [{ id: 'models', kind: 'model', request: { method: 'GET', path: '/v1/internal/model/list' }, list: 'model_names' }],
  severity: 'high',
  exposure: 'anyone can run inference on the GPUs and load any downloaded model (code execution with trust_remote_code)',
  remediation: 'Start the API with --api-key (and --admin-key), never with --public-api or --listen on a public interface.',
  references: [
    'https://github.com/oobabooga/text-generation-webui/wiki/12-%E2%80%90-OpenAI-API',
    'https://github.com/oobabooga/text-generation-webui/blob/main/extensions/openai/script.py',
  ],
  extract(r) {
    const loras = jsonAt(r.info?.json(), 'lora_names');
    return compact({ model: str(r.info?.json(), 'model_name'), loras: Array.isArray(loras) ? loras.length : undefined });
  },
});
