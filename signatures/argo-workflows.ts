import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Argo Workflows server (2746, HTTPS by default). Auth mode `server` (the default before v3.0) serves every caller
 * with the server's service account; `client` (default since v3.0) needs a bearer token and answers 401 gRPC code
 * 16. The proof lists workflows in the `argo` namespace (the quick-start and Helm default). Submitting a workflow
 * runs containers in the cluster: never sent.
 */
export default defineSignature({
  id: 'argo-workflows',
  product: 'Argo Workflows server',
  category: 'CI/CD and cluster API',
  impact: 'code-execution',
  neverSends:
    'workflow submit, resubmit, retry, stop, terminate and delete, templates and cron workflows (any POST/PUT/DELETE), pod logs (/log), fake or guessed tokens',
  defaultPorts: [2746],
  tlsPorts: [2746],
  requests: [
    { id: 'version', method: 'GET', path: '/api/v1/version' },
    { id: 'workflows', method: 'GET', path: '/api/v1/workflows/argo?listOptions.limit=50' },
  ],
  positive: [
    {
      on: 'workflows',
      status: [200],
      contentType: /json/i,
      json: ['metadata'],
      body: [/"items"\s*:\s*(null|\[)/],
      shows:
        "workflows listed without a token (server auth mode): anyone can submit workflows that run containers with the server's service account",
    },
  ],
  auth: [
    {
      on: ['workflows', 'version'],
      status: [401, 403],
      contentType: /json/i,
      json: [{ path: 'code', equals: 16 }],
      shows: '401 gRPC code 16 Unauthenticated (client or SSO auth mode)',
      identifies: true,
    },
  ],
  measure: [
    {
      id: 'workflows',
      kind: 'workflow',
      request: { method: 'GET', path: '/api/v1/workflows/argo?listOptions.limit=50' },
      list: 'items',
      name: 'metadata.name',
    },
  ],
  advisories: [{ id: 'CVE-2024-53862', summary: 'archived workflows readable with a fake token in client mode', fixedIn: '3.5.13' }],
  severity: 'critical',
  exposure:
    'anyone can submit workflows that run arbitrary containers with the workflow service account, and read workflow specs with their parameters',
  remediation:
    'Run argo-server with --auth-mode=client or sso (never server), keep TLS on, and expose the UI only through an authenticating ingress.',
  references: [
    'https://argo-workflows.readthedocs.io/en/latest/argo-server-auth-mode/',
    'https://argo-workflows.readthedocs.io/en/latest/argo-server/',
    'https://osv.dev/vulnerability/BIT-argo-workflows-2024-53862',
  ],
  extract(r) {
    const items = jsonAt(r.workflows?.status === 200 ? r.workflows.json() : undefined, 'items');
    return compact({
      version: str(r.version?.json(), 'version')?.replace(/^v/, ''),
      workflows: Array.isArray(items) ? items.length : undefined,
    });
  },
});
