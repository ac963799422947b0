import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

const flowsPath = '/api/v1/flows/?remove_example_flows=true&header_flows=true&get_all=true';

/**
 * Langflow. Before 1.5, LANGFLOW_AUTO_LOGIN=true (the default) made every caller without a token the superuser
 * (api_key_security falls back to the SUPERUSER), so `GET /api/v1/flows/` answers the flow list; from 1.5 auto-login
 * needs an API key. Without one: 403 {"detail":"An API key must be passed as query or header"} (or 401 "Could not
 * validate credentials"). `GET /api/v1/version` ({"version","main_version","package":"Langflow"}) is public by design.
 * Never sent: /api/v1/auto_login (it mints a superuser token), /api/v1/validate/code (CVE-2025-3248 RCE), /api/v1/run,
 * /api/v1/build, any POST.
 */
export default defineSignature({
  id: 'langflow',
  product: 'Langflow',
  category: 'app / agent builder',
  neverSends: '/api/v1/auto_login (mints a superuser token), /api/v1/validate/code (CVE-2025-3248), /api/v1/run, /api/v1/build',
  defaultPorts: [7860],
  requests: [
    { id: 'version', method: 'GET', path: '/api/v1/version' },
    { id: 'flows', method: 'GET', path: flowsPath },
  ],
  positive: [
    {
      on: 'flows',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/^\s*\[\s*(\]|\{[^]*"(folder_id|endpoint_name|is_component)")/],
      shows: 'the flow list as the auto-login superuser: anyone can edit flows whose Python components run on the server',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'package', match: /^Langflow/ }, 'version'],
      shows: 'version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'flows',
      status: [401, 403],
      contentType: /json/i,
      body: [
        /"detail"\s*:\s*"(An API key must be passed as query or header|Invalid or missing API key|Could not validate credentials|Not authenticated)/,
      ],
      shows: '403 {"detail":"An API key must be passed as query or header"} (auto-login off or API key required)',
    },
  ],
  leaks: [
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'package', match: /^Langflow/ }, 'version'],
      shows: 'GET /api/v1/version is public: the Langflow version (match it against advisories)',
    },
  ],
  measure: [{ id: 'flows', kind: 'workflow', request: { method: 'GET', path: flowsPath }, list: '', name: 'name' }],
  assess() {
    return {
      severity: 'critical',
      reason:
        'remote code execution: the auto-login superuser can edit and run flows, and every custom component is Python executed on the server',
    };
  },
  advisories: [
    { id: 'CVE-2025-3248', summary: 'unauthenticated code injection in /api/v1/validate/code (exec), CISA KEV', fixedIn: '1.3.0' },
    {
      id: 'CVE-2025-34291',
      summary: 'CORS misconfiguration lets a visited page take over the account and run code (KEV)',
      fixedIn: '1.7.1',
    },
  ],
  severity: 'critical',
  impact: 'code-execution',
  exposure:
    'anyone becomes the Langflow superuser: reads and edits flows, stored API keys and global variables, and runs Python components on the server',
  remediation:
    'Upgrade to 1.7.1 or later, set LANGFLOW_AUTO_LOGIN=false with LANGFLOW_SUPERUSER / LANGFLOW_SUPERUSER_PASSWORD, require API keys, and bind Langflow to a private interface.',
  references: [
    'https://docs.langflow.org/configuration-authentication',
    'https://docs.langflow.org/api-reference-api-examples',
    'https://github.com/langflow-ai/langflow/issues/7574',
  ],
  extract(r) {
    const v = r.version?.json();
    const f = r.flows?.status === 200 ? r.flows.json() : undefined;
    return compact({ version: str(v, 'version'), flows: Array.isArray(f) ? f.length : undefined });
  },
});
