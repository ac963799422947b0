import { defineReplies } from '../src/http-catalog/replies.js';

const model = (name: string, hash: string) => ({
  title: `${name}.safetensors [${hash}]`,
  model_name: name,
  hash,
  sha256: `${hash}a1c9f1e6b2d3c4e5f60718293a4b5c6d7e8f90112233445566778899aabb`,
  filename: `/stable-diffusion-webui/models/Stable-diffusion/${name}.safetensors`,
  config: null,
});

export default defineReplies({
  signature: 'sd-webui',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 2 },
      replies: [
        {
          path: '/sdapi/v1/sd-models',
          status: 200,
          body: [model('v1-5-pruned-emaonly', '6ce0161689'), model('sd_xl_base_1.0', '31e35c80fc')],
          source:
            'https://github.com/AUTOMATIC1111/stable-diffusion-webui/blob/master/modules/api/models.py (WebUI 1.10: SDModelItem list, --api)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/sdapi/v1/sd-models',
          status: 401,
          headers: { 'www-authenticate': 'Basic', 'content-type': 'application/json' },
          body: { detail: 'Incorrect username or password' },
          source:
            'https://github.com/AUTOMATIC1111/stable-diffusion-webui/blob/master/modules/api/api.py (WebUI 1.10 with --api-auth: HTTPException 401, WWW-Authenticate: Basic)',
        },
      ],
    },
  },
});
