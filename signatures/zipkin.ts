import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Zipkin server (9411). No authentication of its own. `GET /info` is the server's version document
 * (`{"zipkin":{"version":…}}`, zipkin-server README "Endpoints"); `GET /api/v2/services` answers a JSON array of
 * service names (zipkin-api.yaml). The array alone is generic, so the positive needs an array of strings on that path.
 */
export default defineSignature({
  id: 'zipkin',
  product: 'Zipkin',
  category: 'LLM trace store',
  neverSends: 'trace reads (/api/v2/trace/*, /api/v2/traces), span ingestion (POST /api/v2/spans), dependency links',
  defaultPorts: [9411],
  requests: [
    { id: 'info', method: 'GET', path: '/info' },
    { id: 'services', method: 'GET', path: '/api/v2/services' },
  ],
  positive: [
    {
      on: 'services',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      // An array that is empty or opens with a string (never objects): Zipkin's list of service names.
      body: [/^\s*\[\s*(\]\s*$|")/],
      shows: 'the traced service list without credentials: every span is readable',
    },
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: ['zipkin.version'],
      shows: 'the Zipkin version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    { on: 'services', status: [401, 403], shows: '401/403 from a proxy in front of Zipkin (Zipkin has no authentication)' },
    { on: 'services', status: [302, 303], redirect: /oauth2|login|sign_in/i, shows: 'redirect to a login page (an auth proxy)' },
  ],
  measure: [{ id: 'services', kind: 'service', request: { method: 'GET', path: '/api/v2/services' }, list: '' }],
  severity: 'high',
  exposure: 'anyone can read every trace: request paths, SQL, prompts and identifiers recorded in span tags',
  remediation: 'Put an authenticating proxy in front of Zipkin and keep port 9411 on a private network.',
  references: ['https://github.com/openzipkin/zipkin/tree/master/zipkin-server#endpoints', 'https://zipkin.io/zipkin-api/#/'],
  extract(r) {
    const services = r.services?.status === 200 ? r.services.json() : undefined;
    return compact({ version: str(r.info?.json(), 'zipkin.version'), services: Array.isArray(services) ? services.length : undefined });
  },
});
