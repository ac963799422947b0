import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * n8n. Since 1.0 user management is mandatory (basic auth and JWT auth were removed): a fresh instance shows /setup
 * and the first visitor claims the owner account. `GET /rest/settings` is public (the UI needs it before login):
 * `data.userManagement.showSetupOnFirstLoad` true = no owner yet. Before 1.0 an instance without basic auth or
 * user management served `/rest/workflows` to anyone. Never sent: /rest/owner/setup, /rest/login, /rest/forgot-password,
 * webhooks, form endpoints, /api/v1/* with guessed keys.
 */
export default defineSignature({
  id: 'n8n',
  product: 'n8n',
  category: 'app / agent builder',
  neverSends: '/rest/owner/setup, /rest/login, webhooks, form endpoints, guessed API keys',
  defaultPorts: [5678],
  requests: [
    { id: 'settings', method: 'GET', path: '/rest/settings' },
    { id: 'workflows', method: 'GET', path: '/rest/workflows' },
  ],
  positive: [
    {
      on: 'workflows',
      status: [200],
      contentType: /json/i,
      json: ['data.0.id', 'data.0.name', 'data.0.active', 'data.0.createdAt'],
      shows: 'the workflow list without a session (no owner account and no basic auth, n8n < 1.0): Code nodes run anything',
    },
  ],
  unclaimed: [
    {
      on: 'settings',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'data.userManagement.showSetupOnFirstLoad', equals: true }],
      shows: 'owner not set up (userManagement.showSetupOnFirstLoad:true): the first visitor becomes the n8n owner',
    },
  ],
  auth: [
    {
      on: 'settings',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'data.userManagement.showSetupOnFirstLoad', equals: false }],
      shows: 'owner account set up (showSetupOnFirstLoad:false): the editor and REST API need a login',
    },
    {
      on: 'workflows',
      status: [401],
      contentType: /json/i,
      json: [
        { path: 'status', equals: 'error' },
        { path: 'message', equals: 'Unauthorized' },
      ],
      shows: '401 {"status":"error","message":"Unauthorized"} from the n8n REST API',
    },
  ],
  measure: [{ id: 'workflows', kind: 'workflow', request: { method: 'GET', path: '/rest/workflows' }, list: 'data', name: 'name' }],
  assess(r) {
    const setup = str(r.settings?.json(), 'data.userManagement.showSetupOnFirstLoad') === 'true';
    return {
      severity: 'critical',
      reason: setup
        ? 'unclaimed setup: the first visitor becomes owner, and an owner runs code on the server through Code and Execute Command nodes'
        : 'remote code execution: anyone can edit workflows whose Code and Execute Command nodes run on the server, and use the stored credentials',
    };
  },
  advisories: [
    {
      id: 'CVE-2025-68613',
      summary: 'workflow expression evaluation escapes its sandbox: any user runs code as the n8n process (CVSS 9.9, KEV)',
      fixedIn: '1.120.4',
    },
  ],
  severity: 'critical',
  impact: 'code-execution',
  exposure:
    'whoever reaches the editor first owns it: workflows, stored credentials of every connected service, and code execution through Code nodes',
  remediation:
    'Create the owner account right after installing (or before exposing the port), keep n8n updated (1.120.4 or later), disable the Execute Command node (NODES_EXCLUDE) and bind n8n to a private interface behind TLS.',
  references: [
    'https://docs.n8n.io/hosting/configuration/user-management-self-hosted/',
    'https://docs.n8n.io/1-0-migration-checklist/',
    'https://github.com/n8n-io/n8n/blob/master/packages/workflow/src/interfaces.ts',
  ],
  extract(r) {
    const s = r.settings?.json();
    return compact({
      version: str(s, 'data.versionCli'),
      ownerSetUp:
        str(s, 'data.userManagement.showSetupOnFirstLoad') === undefined
          ? undefined
          : String(str(s, 'data.userManagement.showSetupOnFirstLoad') === 'false'),
      authenticationMethod: str(s, 'data.userManagement.authenticationMethod'),
    });
  },
});
