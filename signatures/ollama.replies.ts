import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json; charset=utf-8' };
const docs = 'https://docs.ollama.com/api/tags (Ollama 0.17)';
const nginx401 = {
  status: 401,
  headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="ollama"', server: 'nginx' },
  body: '<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body></html>\n',
  source: 'nginx auth_basic in front of Ollama (Ollama has no auth: envconfig/config.go, ollama issue #9566)',
};

export default defineReplies({
  signature: 'ollama',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.12.6',
      data: { items: 2 },
      replies: [
        {
          method: 'GET',
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'Ollama is running',
          source: 'https://github.com/ollama/ollama/blob/main/server/routes.go (GET / handler, 0.17)',
        },
        {
          method: 'GET',
          path: '/api/version',
          status: 200,
          headers: json,
          body: { version: '0.12.6' },
          source: 'https://docs.ollama.com/api/version (0.12)',
        },
        {
          method: 'GET',
          path: '/api/tags',
          status: 200,
          headers: json,
          body: {
            models: [
              {
                name: 'llama3.2:latest',
                model: 'llama3.2:latest',
                modified_at: '2026-10-02T09:14:41.2Z',
                size: 2019393189,
                digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
                details: {
                  parent_model: '',
                  format: 'gguf',
                  family: 'llama',
                  families: ['llama'],
                  parameter_size: '3.2B',
                  quantization_level: 'Q4_K_M',
                },
              },
              {
                name: 'qwen2.5:14b',
                model: 'qwen2.5:14b',
                modified_at: '2026-09-20T17:02:10.5Z',
                size: 8988124069,
                digest: '7cdf5a0187d5c58cc5d369b255592f7841d1c4696d45a8c8a9489440385b22f6',
                details: {
                  parent_model: '',
                  format: 'gguf',
                  family: 'qwen2',
                  families: ['qwen2'],
                  parameter_size: '14.8B',
                  quantization_level: 'Q4_K_M',
                },
              },
            ],
          },
          source: docs,
        },
        {
          method: 'GET',
          path: '/api/ps',
          status: 200,
          headers: json,
          body: {
            models: [
              {
                name: 'llama3.2:latest',
                model: 'llama3.2:latest',
                size: 3355443200,
                digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
                details: { format: 'gguf', family: 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
                expires_at: '2026-12-01T12:04:09.3Z',
                size_vram: 3355443200,
                context_length: 4096,
              },
            ],
          },
          source: 'https://docs.ollama.com/api/ps (0.17)',
        },
      ],
    },
    'exposed-empty': {
      expect: 'exposed',
      data: { items: 0 },
      replies: [
        {
          method: 'GET',
          path: '/api/version',
          status: 200,
          headers: json,
          body: { version: '0.17.4' },
          source: 'https://docs.ollama.com/api/version (0.17)',
        },
        {
          method: 'GET',
          path: '/api/tags',
          status: 200,
          headers: json,
          body: { models: [] },
          source: `${docs}: a fresh install answers an empty list`,
        },
        {
          method: 'GET',
          path: '/api/ps',
          status: 200,
          headers: json,
          body: { models: [] },
          source: 'https://docs.ollama.com/api/ps (0.17)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: '/', ...nginx401 },
        { method: 'GET', path: '/api/version', ...nginx401 },
        { method: 'GET', path: '/api/tags', ...nginx401 },
        { method: 'GET', path: '/api/ps', ...nginx401 },
      ],
    },
    leaking: {
      expect: 'auth-required',
      leaks: 2,
      replies: [
        {
          method: 'GET',
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'Ollama is running',
          source: 'routes.go GET / (0.17), proxied without auth',
        },
        {
          method: 'GET',
          path: '/api/version',
          status: 200,
          headers: json,
          body: { version: '0.11.4' },
          source: 'https://docs.ollama.com/api/version, proxied without auth',
        },
        { method: 'GET', path: '/api/tags', ...nginx401 },
        { method: 'GET', path: '/api/ps', ...nginx401 },
      ],
    },
  },
});
