import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Flowise (packages/server/src/index.ts). Flowise 3 guards every /api/v1 path outside WHITELIST_URLS and answers
 * 401 {"error":"Unauthorized Access"}; /api/v1/version, /ping and /settings stay public. Before 3.0 the API was open
 * unless FLOWISE_USERNAME/FLOWISE_PASSWORD were set. `GET /api/v1/chatflows` lists flows with their flowData
 * (prompts, credential ids, custom code). Never sent: /api/v1/prediction/*, node-load-method, custom MCP tests,
 * imports, any POST.
 */
export default defineSignature({
  id: 'flowise',
  product: 'Flowise',
  category: 'app / agent builder',
  neverSends: '/api/v1/prediction/*, node load methods, custom MCP tests, imports, any POST',
  defaultPorts: [3000],
  requests: [
    { id: 'version', method: 'GET', path: '/api/v1/version' },
    { id: 'chatflows', method: 'GET', path: '/api/v1/chatflows' },
  ],
  positive: [
    {
      on: 'chatflows',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/^\s*\[\s*(\]|\{[^]*"flowData")/],
      shows:
        'the chatflows with their flow definitions without credentials: anyone can edit flows, whose code and MCP nodes run on the server',
    },
  ],
  auth: [
    {
      on: 'chatflows',
      status: [401],
      contentType: /json/i,
      body: [/^\s*\{\s*"error"\s*:\s*"Unauthorized Access"\s*\}\s*$/],
      shows: '401 {"error":"Unauthorized Access"} (Flowise 3 API guard)',
    },
    {
      on: 'chatflows',
      status: [401],
      headers: { 'www-authenticate': /Basic/i },
      shows: '401 Basic (FLOWISE_USERNAME / FLOWISE_PASSWORD, Flowise < 3)',
    },
  ],
  leaks: [
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      body: [/^\s*\{\s*"version"\s*:\s*"\d+\.\d+\.\d+[^"]*"\s*\}\s*$/],
      shows: 'GET /api/v1/version is public: the Flowise version (match it against advisories)',
    },
  ],
  measure: [{ id: 'chatflows', kind: 'workflow', request: { method: 'GET', path: '/api/v1/chatflows' }, list: '', name: 'name' }],
  assess() {
    return {
      severity: 'critical',
      reason:
        'remote code execution: anyone can edit flows whose Custom JS Function, code and MCP nodes run on the server, and use the stored credentials',
    };
  },
  advisories: [
    {
      id: 'CVE-2026-40933',
      summary: 'Custom MCP stdio transport runs attacker-chosen commands when a chatflow is imported (1-click RCE), CVSS 9.9',
      fixedIn: '3.1.0',
    },
    { id: 'CVE-2026-56274', summary: 'Custom MCP command-flag validation bypass: any user runs OS commands, CVSS 9.9', fixedIn: '3.1.2' },
  ],
  severity: 'critical',
  impact: 'code-execution',
  exposure:
    'anyone can read and edit chatflows (prompts, credential ids), use the stored provider credentials and run code through code and MCP nodes',
  remediation:
    'Upgrade to Flowise 3.1.2 or later (login is mandatory), create the admin account at once, set CUSTOM_MCP_PROTOCOL=sse, protect each chatflow with an API key, and bind Flowise to a private interface.',
  references: [
    'https://docs.flowiseai.com/configuration/authorization/app-level',
    'https://github.com/FlowiseAI/Flowise/blob/main/packages/server/src/utils/constants.ts',
    'https://github.com/FlowiseAI/Flowise/security/advisories',
  ],
  extract(r) {
    const c = r.chatflows?.status === 200 ? r.chatflows.json() : undefined;
    return compact({
      version: str(r.version?.status === 200 ? r.version.json() : undefined, 'version'),
      chatflows: Array.isArray(c) ? c.length : undefined,
      chatflowNames: Array.isArray(c)
        ? c
            .map((x) => str(x, 'name'))
            .filter(Boolean)
            .slice(0, 30)
        : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'chatflows' && Array.isArray(b))
      return `${reply.status} ${b.length} chatflows with flowData: ${b
        .slice(0, 8)
        .map((x) => str(x, 'name') ?? '?')
        .join(', ')}`;
    return undefined;
  },
});
