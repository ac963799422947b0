import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'spark-ui',
  product: 'Apache Spark UI / history server',
  defaultPorts: [4040, 18080],
  requests: [
    { id: 'version', method: 'GET', path: '/api/v1/version' },
    { id: 'applications', method: 'GET', path: '/api/v1/applications?limit=20' },
  ],
  positive: [
    {
      on: 'applications',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: ['"attempts"', '"sparkUser"'],
      shows: 'application list: jobs, stages, executors and the Environment tab (Spark configuration) are readable',
    },
  ],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (spark.ui.filters)' },
    { on: 'applications', status: [403], body: [/is not authorized|not authorized to access/i], shows: '403 (spark.acls.enable)' },
    { status: [302, 303], redirect: /\/(login|oauth2|sso)/i, shows: 'redirect to a same-origin login' },
  ],
  severity: 'medium',
  exposure:
    'reads job details, executor logs and the Spark configuration (which may carry credentials); kill links work when spark.ui.killEnabled is on',
  remediation:
    'Protect the UI with spark.ui.filters (an authentication filter) and spark.acls.enable with spark.ui.view.acls; bind it to a private interface, or disable it (spark.ui.enabled=false) where unused.',
  references: [
    'https://spark.apache.org/docs/latest/monitoring.html#rest-api',
    'https://spark.apache.org/docs/latest/security.html#web-ui',
  ],
  extract(r) {
    const apps = r.applications?.status === 200 ? r.applications.json() : undefined;
    return compact({ version: str(r.version?.json(), 'spark'), applications: Array.isArray(apps) ? apps.length : undefined });
  },
  summarize(reply) {
    const b = reply.json();
    return `${reply.status} ${Array.isArray(b) ? b.length : '?'} applications (names not shown)`;
  },
});
