import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Node-RED admin HTTP API (node-red 1.x-4.x). Without `adminAuth` in settings.js (the default) every admin route
 * answers without credentials; with it, they answer 401 `Unauthorized` with `WWW-Authenticate: Bearer realm="Users"`
 * (passport-http-bearer, realm set by @node-red/editor-api auth). `GET /flows` with `Node-RED-API-Version: v2`
 * returns `{"flows":[…],"rev":"<sha256>"}`. Whoever reads the flows can deploy new ones: function and exec nodes run
 * any JavaScript or OS command on the host. `GET /auth/login` (the login scheme) would tell the same but the catalog
 * never requests a login route. Never sent: POST /flows, POST /flow, PUT/DELETE /flow/:id, POST /nodes (installs a
 * module), POST /inject/:id (triggers a flow), POST /auth/token.
 */
const flowsHeaders = { 'Node-RED-API-Version': 'v2' };
const bearerUsers = { 'www-authenticate': /^Bearer realm="Users"/ };

function flowsOf(v: unknown): Array<Record<string, unknown>> {
  const flows = v && typeof v === 'object' ? (v as { flows?: unknown }).flows : undefined;
  return Array.isArray(flows) ? flows.filter((n): n is Record<string, unknown> => Boolean(n) && typeof n === 'object') : [];
}

export default defineSignature({
  id: 'node-red',
  product: 'Node-RED',
  defaultPorts: [1880],
  requests: [
    { id: 'flows', method: 'GET', path: '/flows', headers: flowsHeaders },
    { id: 'settings', method: 'GET', path: '/settings' },
  ],
  positive: [
    {
      on: 'flows',
      status: [200],
      contentType: /json/i,
      jsonType: 'object',
      json: ['flows', { path: 'rev', match: /^[0-9a-f]{16,64}$/ }],
      shows: 'the deployed flows without credentials: anyone can deploy a flow with function or exec nodes (code execution on the host)',
    },
    {
      on: 'settings',
      status: [200],
      contentType: /json/i,
      json: ['httpNodeRoot', { path: 'version', match: /^\d+\.\d+/ }],
      shows: 'the editor settings without credentials (admin API open)',
    },
  ],
  auth: [
    {
      on: ['flows', 'settings'],
      status: [401],
      headers: bearerUsers,
      body: [/^Unauthorized/],
      shows: '401 Unauthorized with WWW-Authenticate: Bearer realm="Users" (adminAuth in settings.js)',
      identifies: true,
    },
    {
      on: ['flows', 'settings'],
      status: [401, 403],
      headers: { 'www-authenticate': /^(Basic|Bearer|Digest)\b/i },
      shows: '401 with WWW-Authenticate from a proxy in front of the editor',
    },
  ],
  measure: [
    { id: 'flows', kind: 'workflow', request: { method: 'GET', path: '/flows', headers: flowsHeaders }, list: 'flows', name: 'label' },
  ],
  assess(r) {
    const nodes = flowsOf(r.flows?.json());
    const code = nodes.filter((n) => n.type === 'function' || n.type === 'exec').length;
    return {
      severity: 'critical',
      reason: `remote code execution: the admin API deploys flows, and function/exec nodes run code on the host${code ? ` (${code} such nodes already deployed)` : ''}`,
    };
  },
  severity: 'critical',
  impact: 'code-execution',
  exposure:
    'anyone can read and redeploy the flows: function and exec nodes run any code or OS command as the Node-RED user, and flows carry internal endpoints and credentials references',
  remediation:
    'Set adminAuth in settings.js (credentials with a bcrypt hash, or an OAuth strategy), bind uiHost to 127.0.0.1 or a private interface, and put the editor behind an authenticating proxy.',
  references: [
    'https://nodered.org/docs/user-guide/runtime/securing-node-red',
    'https://nodered.org/docs/api/admin/methods/get/flows/',
    'https://nodered.org/docs/api/admin/oauth',
  ],
  extract(r) {
    const nodes = flowsOf(r.flows?.status === 200 ? r.flows.json() : undefined);
    const count = (t: string) => nodes.filter((n) => n.type === t).length;
    return compact({
      version: str(r.settings?.status === 200 ? r.settings.json() : undefined, 'version'),
      nodes: r.flows?.status === 200 ? nodes.length : undefined,
      tabs: nodes.length ? count('tab') : undefined,
      functionNodes: nodes.length ? count('function') : undefined,
      execNodes: nodes.length ? count('exec') : undefined,
    });
  },
  summarize(reply) {
    if (reply.requestId === 'flows') return `${reply.status} ${flowsOf(reply.json()).length} flow nodes`;
    return `${reply.status} Node-RED version=${str(reply.json(), 'version') ?? '?'}`;
  },
});
