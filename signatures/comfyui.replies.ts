import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json; charset=utf-8' };

export default defineReplies({
  signature: 'comfyui',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.3.68',
      data: { items: 1 },
      replies: [
        {
          method: 'GET',
          path: '/system_stats',
          status: 200,
          headers: json,
          body: {
            system: {
              os: 'posix',
              ram_total: 67324358656,
              ram_free: 51233894400,
              comfyui_version: '0.3.68',
              required_frontend_version: '1.28.8',
              installed_templates_version: '0.2.11',
              required_templates_version: '0.2.11',
              python_version: '3.12.3 (main, Sep 11 2026, 14:09:07) [GCC 13.2.0]',
              pytorch_version: '2.9.0+cu128',
              embedded_python: false,
              argv: ['main.py', '--listen', '0.0.0.0', '--port', '8188'],
            },
            devices: [
              {
                name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync',
                type: 'cuda',
                index: 0,
                vram_total: 25386352640,
                vram_free: 23991418880,
                torch_vram_total: 0,
                torch_vram_free: 0,
              },
            ],
          },
          source: 'server.py GET /system_stats (ComfyUI 0.3.68)',
        },
        {
          method: 'GET',
          path: '/queue',
          status: 200,
          headers: json,
          body: { queue_running: [], queue_pending: [] },
          source: 'server.py GET /queue (ComfyUI 0.3.68)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/system_stats',
          status: 401,
          headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="comfy"' },
          body: '<html><body>401 Authorization Required</body></html>',
          source: 'nginx auth_basic in front of ComfyUI 0.3.68 (core has no auth)',
        },
      ],
    },
  },
});
