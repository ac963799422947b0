import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'jupyter',
  product: 'Jupyter Notebook / JupyterLab',
  defaultPorts: [8888],
  requests: [
    { id: 'api', method: 'GET', path: '/api' },
    { id: 'contents', method: 'GET', path: '/api/contents' },
    { id: 'kernels', method: 'GET', path: '/api/kernels' },
  ],
  positive: [
    {
      on: 'contents',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'type', equals: 'directory' }, 'content', 'last_modified', 'writable'],
      shows: 'the notebook directory listing: files are readable and writable, and kernels run code',
      severity: 'critical',
    },
    {
      on: 'kernels',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: ['"execution_state"', '"last_activity"'],
      shows: 'the running kernels: anyone can attach and execute code',
      severity: 'critical',
    },
    {
      on: 'api',
      status: [200],
      contentType: /json/i,
      json: ['version'],
      body: [/^\s*\{\s*"version"\s*:\s*"[\d.]+\w*"\s*\}\s*$/],
      shows: 'server version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: ['contents', 'kernels'],
      status: [403],
      contentType: /json/i,
      body: [/"message"\s*:\s*"Forbidden"/],
      shows: '403 {"message": "Forbidden"} (token or password required)',
    },
    { on: ['contents', 'kernels'], status: [401], shows: '401 from the Jupyter API' },
    { on: ['contents', 'kernels'], status: [302, 303], redirect: /\/login\?next=/, shows: 'redirect to /login?next=' },
  ],
  severity: 'critical',
  exposure: 'anyone can read and write files and run arbitrary code as the notebook user through kernels and terminals',
  remediation:
    "Never start Jupyter with an empty token or password (--ServerApp.token='' / --NotebookApp.token=''); keep the default token or set a hashed password, and bind to 127.0.0.1 (use SSH tunnels or JupyterHub for remote access).",
  references: [
    'https://jupyter-server.readthedocs.io/en/latest/developers/rest-api.html',
    'https://jupyter-server.readthedocs.io/en/latest/operators/security.html',
  ],
  extract(r) {
    const contents = jsonAt(r.contents?.json(), 'content');
    const kernels = r.kernels?.json();
    return compact({
      version: str(r.api?.json(), 'version'),
      rootEntries: Array.isArray(contents) ? contents.length : undefined,
      kernels: Array.isArray(kernels) ? kernels.length : undefined,
    });
  },
  summarize(reply) {
    const body = reply.json();
    if (reply.requestId === 'contents') {
      const content = jsonAt(body, 'content');
      return `${reply.status} type=directory with ${Array.isArray(content) ? content.length : '?'} entries (names not shown)`;
    }
    if (reply.requestId === 'kernels') return `${reply.status} ${Array.isArray(body) ? body.length : '?'} running kernels`;
    return `${reply.status} version ${str(body, 'version') ?? '?'}`;
  },
});
