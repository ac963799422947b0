import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Kubernetes API server (6443, TLS). `--anonymous-auth` defaults to true: requests without credentials become
 * `system:anonymous` and RBAC decides. `/version` is public by design (system:public-info-viewer). A listing of
 * namespaces (`"kind":"NamespaceList"`) proves anonymous was granted cluster reads; 401 (anonymous off) and 403
 * naming system:anonymous are both auth-required. Secrets, exec, attach, port-forward and proxy are never requested.
 */
export default defineSignature({
  id: 'kubernetes-api',
  product: 'Kubernetes API server',
  category: 'CI/CD and cluster API',
  neverSends:
    'secrets, pods/exec, attach, portforward, proxy subresources, watch requests, SelfSubjectRulesReview and SelfSubjectAccessReview (POSTs), any non-GET',
  defaultPorts: [6443],
  tlsPorts: [6443],
  requests: [
    { id: 'version', method: 'GET', path: '/version' },
    { id: 'namespaces', method: 'GET', path: '/api/v1/namespaces?limit=100' },
  ],
  positive: [
    {
      on: 'namespaces',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'kind', equals: 'NamespaceList' }, 'items'],
      shows: 'the namespace list as system:anonymous: RBAC grants the anonymous user cluster reads (often far more)',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: ['gitVersion', 'major', 'minor', 'platform'],
      shows: 'version (public by design: system:public-info-viewer)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'namespaces',
      status: [401, 403],
      contentType: /json/i,
      json: [{ path: 'kind', equals: 'Status' }],
      body: [/"reason"\s*:\s*"(Unauthorized|Forbidden)"/],
      shows: '401 Unauthorized (anonymous off) or 403 Forbidden for system:anonymous (RBAC denies)',
      identifies: true,
    },
  ],
  measure: [
    {
      id: 'namespaces',
      kind: 'namespace',
      request: { method: 'GET', path: '/api/v1/namespaces?limit=100' },
      list: 'items',
      name: 'metadata.name',
    },
  ],
  severity: 'critical',
  exposure:
    'the anonymous user can read cluster resources; with broader bindings it reads secrets and runs code in pods (cluster takeover)',
  remediation:
    'Start kube-apiserver with --anonymous-auth=false (or an AuthenticationConfiguration allowing anonymous only on /healthz, /livez, /readyz), remove RBAC bindings to system:anonymous and system:unauthenticated, and keep 6443 off the internet.',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles',
    'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/namespace-v1/#list-list-or-watch-objects-of-kind-namespace',
  ],
  extract(r) {
    const items = jsonAt(r.namespaces?.status === 200 ? r.namespaces.json() : undefined, 'items');
    return compact({
      version: str(r.version?.json(), 'gitVersion')?.replace(/^v/, ''),
      namespaces: Array.isArray(items) ? items.length : undefined,
    });
  },
});
