import { compact, defineSignature } from '../src/http-catalog/signature.js';

/**
 * AUTOMATIC1111 Stable Diffusion WebUI API (7860, started with --api or --listen). `GET /sdapi/v1/sd-models` lists
 * the checkpoints (`title`, `model_name`, `hash`, `filename`). `--api-auth user:pass` answers 401 with
 * WWW-Authenticate: Basic (modules/api/api.py `auth`).
 */
export default defineSignature({
  id: 'sd-webui',
  product: 'Stable Diffusion WebUI (AUTOMATIC1111)',
  category: 'model server',
  neverSends:
    '/sdapi/v1/txt2img, /sdapi/v1/img2img, /sdapi/v1/extra-*, POST /sdapi/v1/options, /sdapi/v1/reload-checkpoint, extension installs, /run/predict, /file=',
  defaultPorts: [7860],
  requests: [{ id: 'models', method: 'GET', path: '/sdapi/v1/sd-models' }],
  positive: [
    {
      on: 'models',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/^\s*\[\s*(\]\s*$|\{[^]*"model_name")/],
      shows: 'the checkpoint list without credentials: anyone can generate images on the GPU and change the server options',
    },
  ],
  auth: [{ on: 'models', status: [401], headers: { 'www-authenticate': /Basic/i }, shows: '401 WWW-Authenticate: Basic (--api-auth)' }],
  measure: [{ id: 'models', kind: 'model', request: { method: 'GET', path: '/sdapi/v1/sd-models' }, list: '', name: 'model_name' }],
  severity: 'high',
  exposure:
    'anyone can generate images on the GPUs, read the checkpoint list and change server options (including paths used by extensions)',
  remediation:
    'Start the WebUI with --api-auth (and --gradio-auth) over HTTPS, avoid --listen on public interfaces, and put it behind an authenticating proxy.',
  references: [
    'https://github.com/AUTOMATIC1111/stable-diffusion-webui/wiki/API',
    'https://github.com/AUTOMATIC1111/stable-diffusion-webui/blob/master/modules/api/api.py',
  ],
  extract(r) {
    const models = r.models?.status === 200 ? r.models.json() : undefined;
    return compact({ models: Array.isArray(models) ? models.length : undefined });
  },
});
