import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Apache Druid (router 8888; coordinator 8081, broker 8082). Druid has no authentication unless an auth extension
 * (druid-basic-security, Kerberos) is loaded. `GET /status` names the version and loaded modules
 * (`org.apache.druid…`); `GET /druid/v2/datasources` lists the datasources through the broker or router.
 * CVE-2021-25646 (≤ 0.20.0): user JavaScript runs through the sampler — pre-auth on a default install.
 */
export default defineSignature({
  id: 'druid',
  product: 'Apache Druid',
  category: 'query engine / notebook',
  neverSends:
    'POST /druid/indexer/v1/sampler and /task (CVE-2021-25646), SQL and native queries (/druid/v2/sql, POST /druid/v2/), coordinator rule or config changes',
  defaultPorts: [8888, 8081, 8082],
  requests: [
    { id: 'status', method: 'GET', path: '/status' },
    { id: 'datasources', method: 'GET', path: '/druid/v2/datasources' },
  ],
  positive: [
    {
      on: 'datasources',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/^\s*\[\s*(\]\s*$|")/],
      shows: 'the datasource list without credentials: every ingested row can be queried',
    },
    {
      on: 'status',
      status: [200],
      contentType: /json/i,
      json: ['version', 'modules'],
      body: [/org\.apache\.druid/],
      shows: 'version and loaded extensions without credentials (no auth extension guards /status)',
    },
  ],
  auth: [
    { on: ['status', 'datasources'], status: [401], shows: '401 from druid-basic-security (or Kerberos)' },
    { on: ['status', 'datasources'], status: [403], body: [/Unauthorized|Allowed:false/i], shows: '403 from a Druid authorizer' },
  ],
  measure: [{ id: 'datasources', kind: 'dataset', request: { method: 'GET', path: '/druid/v2/datasources' }, list: '' }],
  advisories: [
    {
      id: 'CVE-2021-25646',
      summary:
        'user-supplied JavaScript runs through the sampler/indexer specs regardless of javascript.enabled: remote code execution, pre-auth without an auth extension',
      fixedIn: '0.20.1',
    },
  ],
  severity: 'high',
  exposure:
    'anyone can query every datasource, submit ingestion tasks and change retention rules (remote code execution on 0.20.0 and older)',
  remediation:
    'Load druid-basic-security (or Kerberos) with an authorizer, keep javascript.enabled false, upgrade past 0.20.0, and keep every Druid port on a private network.',
  references: [
    'https://druid.apache.org/docs/latest/operations/api-reference/#status',
    'https://druid.apache.org/docs/latest/operations/security-overview/',
    'https://osv.dev/vulnerability/CVE-2021-25646',
  ],
  extract(r) {
    const ds = r.datasources?.status === 200 ? r.datasources.json() : undefined;
    const modules = jsonAt(r.status?.json(), 'modules');
    return compact({
      version: str(r.status?.json(), 'version'),
      modules: Array.isArray(modules) ? modules.length : undefined,
      datasources: Array.isArray(ds) ? ds.length : undefined,
    });
  },
});
