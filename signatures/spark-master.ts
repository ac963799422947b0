import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Apache Spark standalone master web UI (8080). `GET /json/` is the master's state (`"url":"spark://…"`, workers,
 * apps, `"status":"ALIVE"`). A master without spark.authenticate accepts applications from anyone on 7077 (and,
 * where enabled, the REST submission server on 6066 ignores authentication: CVE-2018-11770): code execution on
 * the cluster. Neither port is contacted; the UI identifies the master.
 */
export default defineSignature({
  id: 'spark-master',
  product: 'Apache Spark standalone master',
  category: 'query engine / notebook',
  impact: 'code-execution',
  neverSends: 'anything on 7077 (RPC) or 6066 (REST submissions: /v1/submissions/create, kill), UI kill links (/app/kill, /driver/kill)',
  defaultPorts: [8080],
  requests: [{ id: 'state', method: 'GET', path: '/json/' }],
  // Asked only where the landing page is the standalone master's (MasterPage.scala: "Spark Master at spark://…").
  identify: { landing: [{ bodyAny: [/Spark Master at/i] }] },
  positive: [
    {
      on: 'state',
      status: [200],
      contentType: /json/i,
      json: ['url', 'status', 'aliveworkers'],
      body: [/"url"\s*:\s*"spark:\/\//],
      shows:
        "the master's state without credentials: workers, applications and drivers; a master without spark.authenticate runs anyone's application",
    },
  ],
  auth: [
    { on: 'state', status: [401, 403], shows: '401/403 from a UI filter (spark.ui.filters) or a proxy' },
    { on: 'state', status: [302, 303], redirect: /login|oauth/i, shows: 'redirect to a login page' },
  ],
  measure: [
    { id: 'workers', kind: 'node', request: { method: 'GET', path: '/json/' }, list: 'workers', name: 'id' },
    { id: 'apps', kind: 'application', request: { method: 'GET', path: '/json/' }, list: 'activeapps', name: 'name' },
  ],
  severity: 'critical',
  exposure:
    'anyone who reaches the master can submit applications that run arbitrary code on every worker; the UI shows workers, applications and their environment',
  remediation:
    'Enable spark.authenticate with a secret, keep spark.master.rest.enabled false, protect the UI with spark.ui.filters or a proxy, and keep ports 7077, 6066 and 8080 on a private network.',
  references: [
    'https://spark.apache.org/docs/latest/security.html',
    'https://spark.apache.org/docs/latest/spark-standalone.html',
    'https://osv.dev/vulnerability/CVE-2018-11770',
  ],
  extract(r) {
    const b = r.state?.json();
    return compact({
      master: str(b, 'url'),
      status: str(b, 'status'),
      aliveWorkers: typeof jsonAt(b, 'aliveworkers') === 'number' ? jsonAt(b, 'aliveworkers') : undefined,
    });
  },
});
