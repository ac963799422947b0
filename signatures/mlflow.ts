import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * MLflow tracking server (mlflow/protos/service.proto; experiments/search accepts GET). Open by default; the
 * `--app-name basic-auth` app answers 401 with `WWW-Authenticate: Basic realm="mlflow"`. Every server has the
 * `Default` experiment (id 0), so an open server never answers an empty list. Never sent: the create, update,
 * delete and log-* calls, artifact downloads, the path-traversal CVE requests.
 */
export default defineSignature({
  id: 'mlflow',
  product: 'MLflow tracking server',
  category: 'ML platform',
  neverSends: 'create/update/delete/log-* calls, artifact downloads, path-traversal CVE requests',
  defaultPorts: [5000],
  requests: [
    { id: 'experiments', method: 'GET', path: '/api/2.0/mlflow/experiments/search?max_results=100' },
    { id: 'version', method: 'GET', path: '/version' },
  ],
  positive: [
    {
      on: 'experiments',
      status: [200],
      contentType: /json/i,
      json: ['experiments.0.experiment_id', 'experiments.0.name', 'experiments.0.lifecycle_stage'],
      shows:
        'experiments and their artifact locations without credentials: runs, parameters, metrics and registered models are readable and writable',
    },
  ],
  auth: [
    {
      on: 'experiments',
      status: [401],
      headers: { 'www-authenticate': /realm="mlflow"/i },
      shows: '401 WWW-Authenticate: Basic realm="mlflow" (basic-auth app)',
      identifies: true,
    },
    {
      on: 'experiments',
      status: [401],
      body: [/You are not authenticated\. Please see/],
      shows: '401 "You are not authenticated. Please see …auth…"',
      identifies: true,
    },
  ],
  measure: [
    {
      id: 'experiments',
      kind: 'experiment',
      request: { method: 'GET', path: '/api/2.0/mlflow/experiments/search?max_results=100' },
      list: 'experiments',
      name: 'name',
    },
    {
      id: 'registered-models',
      kind: 'model',
      request: { method: 'GET', path: '/api/2.0/mlflow/registered-models/search?max_results=100' },
      list: 'registered_models',
      name: 'name',
    },
  ],
  assess() {
    return {
      severity: 'high',
      reason:
        'model theft and poisoning: experiments, run parameters (often secrets), artifacts and the model registry are readable and writable by anyone',
    };
  },
  defaultCredentials: [
    {
      user: 'admin',
      password: 'password',
      // basic_auth.ini: default admin_username / admin_password.
      source: 'https://mlflow.org/docs/latest/auth/index.html',
      request: 'experiments',
    },
  ],
  severity: 'high',
  exposure: 'anyone can read and change experiments, runs (parameters, metrics, tags), artifact locations and registered models',
  remediation:
    'Run mlflow server with --app-name basic-auth (change the default admin password at once) or behind an authenticating proxy, bind --host to a private interface, and keep artifact stores private.',
  references: ['https://mlflow.org/docs/latest/rest-api.html', 'https://mlflow.org/docs/latest/auth/index.html'],
  extract(r) {
    const ex = jsonAt(r.experiments?.status === 200 ? r.experiments.json() : undefined, 'experiments');
    const v = r.version?.status === 200 ? r.version.text.trim() : '';
    return compact({
      version: /^\d+\.\d+\.\d+\S*$/.test(v) ? v.slice(0, 40) : undefined,
      experiments: Array.isArray(ex) ? ex.length : undefined,
      artifactLocations: Array.isArray(ex)
        ? [...new Set(ex.map((e) => str(e, 'artifact_location', 160)).filter(Boolean))].slice(0, 10)
        : undefined,
    });
  },
  summarize(reply) {
    const ex = jsonAt(reply.json(), 'experiments');
    if (Array.isArray(ex))
      return `${reply.status} ${ex.length} experiments: ${ex
        .slice(0, 8)
        .map((e) => str(e, 'name') ?? '?')
        .join(', ')}`;
    return undefined;
  },
});
