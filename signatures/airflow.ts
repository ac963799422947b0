import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'airflow',
  product: 'Apache Airflow',
  defaultPorts: [8080],
  requests: [
    { id: 'health', method: 'GET', path: '/api/v1/health' },
    { id: 'version', method: 'GET', path: '/api/v1/version' },
    { id: 'dags', method: 'GET', path: '/api/v1/dags?limit=1' },
  ],
  positive: [
    {
      on: 'dags',
      status: [200],
      contentType: /json/i,
      json: ['dags', 'total_entries'],
      shows: 'the REST API lists DAGs without credentials (auth_backends allows anonymous)',
    },
    {
      on: 'health',
      status: [200],
      contentType: /json/i,
      json: ['metadatabase.status', 'scheduler.status'],
      shows: 'component health (public by design)',
      publicByDesign: true,
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: ['version'],
      body: ['"git_version"'],
      shows: 'version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'dags',
      status: [401, 403],
      contentType: /json/i,
      body: [/"title"\s*:\s*"(Unauthorized|Forbidden)"/],
      shows: '401/403 problem+json {"title":"Unauthorized"} from the REST API',
      identifies: true,
    },
    { on: 'dags', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (basic_auth backend)' },
    { on: 'dags', status: [302], redirect: /\/login/, shows: 'redirect to /login' },
  ],
  // Airflow 2 redirects / to /home (and on to /login); Airflow 3's UI and the 404 page name Airflow.
  identify: { landing: [{ redirect: /home|login/i }, { bodyAny: [/airflow/i] }] },
  severity: 'high',
  exposure: 'reads DAGs, runs, logs, connections and variables (credentials), and can trigger or pause DAG runs',
  remediation:
    'Set [api] auth_backends to airflow.api.auth.backend.session (and basic_auth only if needed), never airflow.api.auth.backend.default; keep AUTH_ROLE_PUBLIC unset in webserver_config.py.',
  references: [
    'https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html',
    'https://airflow.apache.org/docs/apache-airflow/stable/security/api.html',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/airflow/unauthenticated-airflow.yaml',
  ],
  extract(r) {
    return compact({
      version: str(r.version?.json(), 'version'),
      dags: r.dags?.status === 200 ? str(r.dags.json(), 'total_entries') : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'dags') return `${reply.status} total_entries=${str(b, 'total_entries') ?? '?'} (DAG names not shown)`;
    return `${reply.status} ${reply.text.slice(0, 120)}`;
  },
});
