import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'grafana',
  product: 'Grafana',
  defaultPorts: [3000],
  requests: [
    { id: 'health', method: 'GET', path: '/api/health' },
    { id: 'org', method: 'GET', path: '/api/org' },
  ],
  positive: [
    {
      on: 'org',
      status: [200],
      contentType: /json/i,
      json: ['id', 'name', 'address'],
      shows: 'the current organisation as the anonymous user: dashboards and data-source queries are readable',
    },
    {
      on: 'health',
      status: [200],
      contentType: /json/i,
      json: ['database', 'version'],
      shows: 'health and version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'org',
      status: [401],
      contentType: /json/i,
      body: [/"message"\s*:\s*"Unauthorized"/],
      shows: '401 {"message":"Unauthorized"} from the Grafana API',
      identifies: true,
    },
    { on: 'org', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate' },
    { on: 'org', status: [302], redirect: /\/login/, shows: 'redirect to /login' },
  ],
  severity: 'medium',
  exposure: 'anonymous access: dashboards, annotations and the data sources behind them can be queried without credentials',
  remediation:
    'Set [auth.anonymous] enabled = false in grafana.ini (or GF_AUTH_ANONYMOUS_ENABLED=false); if anonymous viewing is intended, give it a dedicated org with only public dashboards and org_role = Viewer.',
  references: [
    'https://grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-authentication/anonymous-auth/',
    'https://grafana.com/docs/grafana/latest/developers/http_api/org/',
    'https://grafana.com/docs/grafana/latest/developers/http_api/other/#health-api',
  ],
  extract(r) {
    return compact({
      version: str(r.health?.json(), 'version'),
      org: str(r.org?.json(), 'name'),
    });
  },
  summarize(reply) {
    const body = reply.json();
    if (reply.requestId === 'org')
      return `${reply.status} org id=${str(body, 'id') ?? '?'} name=${JSON.stringify(str(body, 'name') ?? '')}`;
    return `${reply.status} database=${str(body, 'database') ?? '?'} version=${str(body, 'version') ?? '?'}`;
  },
});
