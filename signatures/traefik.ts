import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'traefik',
  product: 'Traefik API / dashboard',
  defaultPorts: [8080],
  requests: [
    { id: 'version', method: 'GET', path: '/api/version' },
    { id: 'overview', method: 'GET', path: '/api/overview' },
  ],
  positive: [
    {
      on: 'overview',
      status: [200],
      contentType: /json/i,
      json: ['http.routers', 'http.services', 'features'],
      shows: 'the API overview: routers, services, middlewares and providers (the whole routing configuration is readable)',
    },
  ],
  auth: [
    {
      on: 'overview',
      status: [401],
      headers: { 'www-authenticate': true },
      shows: '401 with WWW-Authenticate (basicAuth/digestAuth middleware)',
    },
    { on: 'overview', status: [302, 303, 307], redirect: /\/(login|oauth2|sso)/i, shows: 'redirect to a same-origin login (forwardAuth)' },
  ],
  // The API entry point redirects / to /dashboard/ (docs: operations/dashboard) and answers Go's plain 404 elsewhere.
  identify: {
    landing: [{ redirect: /dashboard/ }, { status: [404], body: ['404 page not found'] }, { bodyAny: [/traefik/i] }],
  },
  severity: 'medium',
  exposure: 'reveals every route, backend service address and middleware (internal topology, sometimes credentials in labels)',
  remediation:
    'Do not use api.insecure=true; serve the API/dashboard through a router on the traefik@internal service with an authentication middleware (basicAuth or forwardAuth) and an internal entry point.',
  references: ['https://doc.traefik.io/traefik/operations/api/', 'https://doc.traefik.io/traefik/operations/api/#endpoints'],
  extract(r) {
    const o = r.overview?.json();
    const providers = jsonAt(o, 'providers');
    return compact({
      version: str(r.version?.json(), 'Version'),
      routers: str(o, 'http.routers.total'),
      services: str(o, 'http.services.total'),
      providers: Array.isArray(providers) ? providers.map(String).slice(0, 10) : undefined,
    });
  },
  summarize(reply) {
    const o = reply.json();
    return `${reply.status} http routers=${str(o, 'http.routers.total') ?? '?'} services=${str(o, 'http.services.total') ?? '?'} providers=${JSON.stringify(jsonAt(o, 'providers') ?? [])}`;
  },
});
