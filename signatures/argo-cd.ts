import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Argo CD API server (8080 in the pod; 443 behind its service). Anonymous access is off unless
 * `users.anonymous.enabled: "true"` in argocd-cm; anonymous users then get `policy.default`. Without a session the
 * API answers 401 `{"error":"no session information","code":16,…}`. `/api/version` is public while anonymous is on.
 */
export default defineSignature({
  id: 'argo-cd',
  product: 'Argo CD',
  category: 'CI/CD and cluster API',
  neverSends:
    'sync, rollback, terminate and delete operations, resource actions and exec (/api/v1/applications/*/resource/*), manifests, pod logs, /api/v1/session (login)',
  defaultPorts: [8080],
  requests: [
    { id: 'version', method: 'GET', path: '/api/version' },
    { id: 'applications', method: 'GET', path: '/api/v1/applications' },
  ],
  // Asked only where the landing page is Argo CD's UI (argo-cd ui/src/app/index.html: <title>Argo CD</title>).
  identify: { landing: [{ bodyAny: [/<title>Argo CD<\/title>/i] }] },
  positive: [
    {
      on: 'applications',
      status: [200],
      contentType: /json/i,
      json: ['metadata'],
      body: [/"items"\s*:\s*(null|\[)/],
      shows:
        'the application list without a session (users.anonymous.enabled): sources, clusters and sync state are readable, and policy.default decides what else',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: ['Version', 'GitCommit', 'KustomizeVersion'],
      shows: 'version (public by design while anonymous access is on)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'applications',
      status: [401],
      contentType: /json/i,
      body: [/no session information|invalid session/],
      shows: '401 "no session information" (anonymous access off)',
      identifies: true,
    },
  ],
  measure: [
    {
      id: 'applications',
      kind: 'application',
      request: { method: 'GET', path: '/api/v1/applications' },
      list: 'items',
      name: 'metadata.name',
    },
  ],
  severity: 'high',
  exposure:
    'anonymous users read every application (repositories, target clusters, parameters); with a permissive policy.default they can sync or delete them',
  remediation:
    'Set users.anonymous.enabled to "false" in argocd-cm (the default), use SSO with RBAC, keep policy.default empty or role:readonly at most, and expose the UI only through an authenticating ingress.',
  references: [
    'https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/#anonymous-access',
    'https://argo-cd.readthedocs.io/en/stable/developer-guide/api-docs/',
    'https://github.com/argoproj/argo-cd/pull/1864',
  ],
  extract(r) {
    const items = jsonAt(r.applications?.status === 200 ? r.applications.json() : undefined, 'items');
    return compact({
      version: str(r.version?.json(), 'Version')?.replace(/^v/, '').replace(/\+.*$/, ''),
      applications: Array.isArray(items) ? items.length : undefined,
    });
  },
});
