import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Ollama (server/routes.go). Ollama has NO server-side authentication (OLLAMA_AUTH only makes the client sign):
 * a 401 comes from a proxy in front. A bare 403 can be Ollama's own Host check (loopback listener, foreign Host
 * header): that is a Host filter, not authentication, so 403 is deliberately not an auth signal here.
 * `GET /` ("Ollama is running") and `GET /api/version` answer without credentials and prove nothing alone.
 * Never sent: /api/generate, /api/chat, /api/embed(dings), /api/pull|push|create|copy|delete, /api/blobs, /v1/*.
 */
export default defineSignature({
  id: 'ollama',
  product: 'Ollama',
  category: 'model server',
  neverSends: '/api/generate, /api/chat, /api/embed(dings), /api/pull, /api/push, /api/create, /api/copy, /api/delete, /api/blobs',
  defaultPorts: [11434],
  requests: [
    { id: 'root', method: 'GET', path: '/' },
    { id: 'version', method: 'GET', path: '/api/version' },
    { id: 'tags', method: 'GET', path: '/api/tags' },
    { id: 'ps', method: 'GET', path: '/api/ps' },
  ],
  positive: [
    {
      on: 'tags',
      status: [200],
      contentType: /json/i,
      // gin's compact JSON: the object opens with "models" and an array (an empty install answers {"models":[]}).
      body: [/^\s*\{\s*"models"\s*:\s*\[\s*(\]|\{[^]*"digest")/],
      shows: 'the installed model list without credentials: anyone can run, pull and delete models on this GPU host',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      body: [/^\s*\{\s*"version"\s*:\s*"\d+\.\d+\.\d+[^"]*"\s*\}\s*$/],
      shows: 'version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    { on: 'tags', status: [401], shows: '401 from a proxy in front of Ollama (Ollama itself has no authentication)' },
    { on: 'tags', status: [302, 303], redirect: /login|oauth|auth/i, shows: 'redirect to a login page (an auth proxy)' },
  ],
  leaks: [
    {
      on: 'root',
      status: [200],
      body: [/^\s*Ollama is running\s*$/],
      shows: 'GET / answers "Ollama is running": the server is identified although the API is guarded',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      body: [/^\s*\{\s*"version"\s*:\s*"\d+\.\d+\.\d+[^"]*"\s*\}\s*$/],
      shows: 'GET /api/version reveals the Ollama version (match it against advisories)',
    },
  ],
  measure: [{ id: 'models', kind: 'model', request: { method: 'GET', path: '/api/tags' }, list: 'models', name: 'name', bytes: 'size' }],
  assess(r) {
    const loaded = jsonAt(r.ps?.json(), 'models');
    const n = Array.isArray(loaded) ? loaded.length : 0;
    return {
      severity: 'high',
      reason: `free GPU inference and model control: Ollama has no authentication, so anyone can run, pull (disk, bandwidth) and delete models${n ? `; ${n} model(s) loaded right now` : ''}`,
    };
  },
  advisories: [
    {
      id: 'CVE-2026-7482',
      summary:
        '"Bleeding Llama": heap out-of-bounds read in the GGUF loader via /api/create + /api/push leaks process memory (keys, prompts, other users\' chats), CVSS 9.1',
      fixedIn: '0.17.1',
    },
    {
      id: 'CVE-2024-37032',
      summary: '"Probllama": path traversal in model digests (/api/pull) leads to arbitrary file write and code execution',
      fixedIn: '0.1.34',
    },
  ],
  severity: 'high',
  exposure: 'anyone can run inference on the GPUs, list, pull and delete models, and create models from uploaded files',
  remediation:
    'Keep OLLAMA_HOST on 127.0.0.1 (the default); if other hosts need it, put an authenticating reverse proxy in front (Ollama has no authentication of its own) and firewall port 11434. Upgrade to 0.17.1 or later.',
  references: [
    'https://docs.ollama.com/api/tags',
    'https://docs.ollama.com/api/ps',
    'https://github.com/ollama/ollama/blob/main/server/routes.go',
    'https://github.com/ollama/ollama/issues/9566',
    'https://www.sentinelone.com/vulnerability-database/cve-2026-7482/',
  ],
  extract(r) {
    const models = jsonAt(r.tags?.status === 200 ? r.tags.json() : undefined, 'models');
    const loaded = jsonAt(r.ps?.status === 200 ? r.ps.json() : undefined, 'models');
    return compact({
      version: str(r.version?.json(), 'version'),
      models: Array.isArray(models) ? models.length : undefined,
      modelNames: Array.isArray(models)
        ? models
            .map((m) => str(m, 'name'))
            .filter(Boolean)
            .slice(0, 50)
        : undefined,
      loadedModels: Array.isArray(loaded)
        ? loaded
            .map((m) => str(m, 'name'))
            .filter(Boolean)
            .slice(0, 20)
        : undefined,
      vramBytes: Array.isArray(loaded)
        ? loaded.reduce((a: number, m) => a + (Number(jsonAt(m, 'size_vram')) || 0), 0) || undefined
        : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'tags') {
      const m = jsonAt(b, 'models');
      return `${reply.status} ${Array.isArray(m) ? m.length : '?'} models: ${
        Array.isArray(m)
          ? m
              .slice(0, 8)
              .map((x) => str(x, 'name') ?? '?')
              .join(', ')
          : ''
      }`;
    }
    return undefined;
  },
});
