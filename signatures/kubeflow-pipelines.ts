import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Kubeflow Pipelines API (ml-pipeline, 8888; the UI on 3000 proxies it). `GET /apis/v1beta1/healthz` answers
 * {"commit_sha","tag_name","multi_user"}: multi_user:false is standalone KFP, which has no authentication at all.
 * Full Kubeflow puts it behind Istio + oauth2-proxy/Dex (302 to the login) and multi-user mode (identity header).
 * Never sent: run or recurring-run creation, pipeline upload, archive/delete, artifact reads.
 */
export default defineSignature({
  id: 'kubeflow-pipelines',
  product: 'Kubeflow Pipelines',
  category: 'ML platform',
  neverSends: 'run and recurring-run creation, pipeline upload, archive/delete',
  defaultPorts: [8888],
  requests: [
    { id: 'healthz', method: 'GET', path: '/apis/v1beta1/healthz' },
    { id: 'pipelines', method: 'GET', path: '/apis/v2beta1/pipelines?page_size=1' },
  ],
  positive: [
    {
      on: 'healthz',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'multi_user', equals: false }, 'commit_sha'],
      shows:
        'standalone Kubeflow Pipelines (multi_user:false): no authentication, anyone can create runs that execute containers in the cluster',
    },
    {
      on: 'pipelines',
      status: [200],
      contentType: /json/i,
      json: ['pipelines.0.pipeline_id', 'pipelines.0.display_name'],
      shows: 'the pipeline list without credentials',
    },
  ],
  auth: [
    {
      on: ['healthz', 'pipelines'],
      status: [302, 303],
      redirect: /\/dex\/|\/oauth2\/|\/login|\/auth/i,
      shows: 'redirect to Dex / oauth2-proxy login (Istio-protected Kubeflow)',
    },
    {
      on: 'healthz',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'multi_user', equals: true }, 'commit_sha'],
      shows: 'multi-user mode (multi_user:true): every call needs an authenticated user identity',
    },
    {
      on: 'pipelines',
      status: [401, 403],
      contentType: /json/i,
      body: [/user identity|Unauthenticated|PermissionDenied|authorization/i],
      shows: '401/403 from the multi-user API (no user identity header)',
    },
  ],
  measure: [
    {
      id: 'pipelines',
      kind: 'workflow',
      request: { method: 'GET', path: '/apis/v2beta1/pipelines?page_size=100' },
      list: 'pipelines',
      name: 'display_name',
    },
    {
      id: 'experiments',
      kind: 'experiment',
      request: { method: 'GET', path: '/apis/v2beta1/experiments?page_size=100' },
      list: 'experiments',
      name: 'display_name',
    },
    { id: 'runs', kind: 'run', request: { method: 'GET', path: '/apis/v2beta1/runs?page_size=100' }, list: 'runs', name: 'display_name' },
  ],
  assess() {
    return {
      severity: 'critical',
      reason:
        'remote code execution: anyone can create runs, and every run executes containers with the pipeline service account in the cluster',
    };
  },
  severity: 'critical',
  impact: 'code-execution',
  exposure: 'anyone can list and create pipelines, experiments and runs; runs execute arbitrary containers in the cluster',
  remediation:
    "Do not expose standalone Kubeflow Pipelines: keep ml-pipeline and ml-pipeline-ui as ClusterIP services (kubectl port-forward for access), or install the full multi-user Kubeflow with Istio and Dex/oauth2-proxy, and change the manifests' demo user.",
  references: [
    'https://www.kubeflow.org/docs/components/pipelines/reference/api/kubeflow-pipeline-api-spec/',
    'https://github.com/kubeflow/pipelines/blob/master/backend/api/v1beta1/healthz.proto',
    'https://www.kubeflow.org/docs/components/pipelines/operator-guides/multi-user/',
  ],
  extract(r) {
    const h = r.healthz?.json();
    return compact({
      version: str(h, 'tag_name'),
      commit: str(h, 'commit_sha'),
      multiUser: jsonAt(h, 'multi_user') === undefined ? undefined : String(jsonAt(h, 'multi_user')),
      pipelinesTotal: str(r.pipelines?.status === 200 ? r.pipelines.json() : undefined, 'total_size'),
    });
  },
});
