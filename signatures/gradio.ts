import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Gradio apps (gradio/routes.py). With `auth=` set, `/config` is behind login_check and answers 401
 * {"detail":"Not authenticated"} (FastAPI's generic body: not product-identifying). Open, `/config` returns the app
 * config (version, mode, components, dependencies). Never sent: /run/*, /call/*, /queue/join, /gradio_api/*
 * predictions, /file=, /proxy= (LFI/SSRF CVEs), uploads.
 */
export default defineSignature({
  id: 'gradio',
  product: 'Gradio app',
  category: 'app / agent builder',
  neverSends: '/run, /call, /queue/join, predictions, /file=, /proxy=, uploads',
  defaultPorts: [7860],
  requests: [{ id: 'config', method: 'GET', path: '/config' }],
  positive: [
    {
      on: 'config',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'version', match: /^\d+\.\d+/ }, 'mode', 'components', 'dependencies'],
      shows: 'the app configuration without a login: every API endpoint of the app is callable by anyone',
    },
  ],
  auth: [
    {
      on: 'config',
      status: [401],
      contentType: /json/i,
      body: [/"detail"\s*:\s*("Not authenticated"|\{[^}]*"Not authenticated")/],
      shows: '401 {"detail":"Not authenticated"} (Gradio auth=)',
    },
  ],
  assess(r) {
    const deps = jsonAt(r.config?.json(), 'dependencies');
    const n = Array.isArray(deps) ? deps.filter((d) => typeof jsonAt(d, 'api_name') === 'string').length : 0;
    return {
      severity: 'medium',
      reason: `the app's ${n || 'named'} API endpoint(s) run for anyone (impact depends on the app: model inference, file processing, tools)`,
    };
  },
  severity: 'medium',
  exposure: 'anyone can use the app and call its API endpoints (GPU inference, file processing or whatever the app wraps)',
  remediation:
    'Launch with auth= (or behind an authenticating proxy), keep server_name on 127.0.0.1 unless needed, never share=True for private apps, and keep Gradio updated (many path-traversal and SSRF fixes).',
  references: [
    'https://www.gradio.app/guides/sharing-your-app#authentication',
    'https://github.com/gradio-app/gradio/blob/main/gradio/routes.py',
  ],
  extract(r) {
    const c = r.config?.json();
    const deps = jsonAt(c, 'dependencies');
    return compact({
      version: str(c, 'version'),
      title: str(c, 'title'),
      apiEndpoints: Array.isArray(deps)
        ? deps
            .map((d) => jsonAt(d, 'api_name'))
            .filter((x): x is string => typeof x === 'string')
            .slice(0, 30)
        : undefined,
    });
  },
});
