import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

/**
 * Jaeger query (UI and HTTP API, 16686). Jaeger has no authentication of its own: a 401 or a login redirect comes
 * from a proxy in front (oauth2-proxy and the like). `GET /api/services` answers Jaeger's envelope
 * `{"data":[…],"total":N,"limit":0,"offset":0,"errors":null}` (cmd/query/app/apiv3 and the v1 handler's structuredResponse).
 */
export default defineSignature({
  id: 'jaeger',
  product: 'Jaeger query',
  category: 'LLM trace store',
  neverSends: 'trace searches and downloads (/api/traces, /api/v3/traces), dependency graphs, the collector ports (14268, 4317, 4318)',
  defaultPorts: [16686],
  requests: [{ id: 'services', method: 'GET', path: '/api/services' }],
  positive: [
    {
      on: 'services',
      status: [200],
      contentType: /json/i,
      json: ['data', 'total', 'limit', 'offset'],
      body: [/"errors"\s*:\s*null/],
      shows: 'the traced service list without credentials: every span (request paths, SQL, prompts, user ids in tags) is searchable',
    },
  ],
  auth: [
    { on: 'services', status: [401, 403], shows: '401/403 from a proxy in front of Jaeger (Jaeger has no authentication)' },
    { on: 'services', status: [302, 303], redirect: /oauth2|login|sign_in/i, shows: 'redirect to a login page (an auth proxy)' },
  ],
  measure: [{ id: 'services', kind: 'service', request: { method: 'GET', path: '/api/services' }, list: 'data' }],
  severity: 'high',
  exposure: 'anyone can search and read every trace: request paths, SQL statements, LLM prompts and user identifiers recorded in span tags',
  remediation:
    'Put an authenticating proxy (oauth2-proxy, ingress auth) in front of the Jaeger query service and keep port 16686 on a private network.',
  references: [
    'https://www.jaegertracing.io/docs/latest/apis/#http-json-internal',
    'https://www.jaegertracing.io/docs/latest/security/',
    'https://github.com/jaegertracing/jaeger/blob/main/cmd/query/app/http_handler.go',
  ],
  extract(r) {
    const data = jsonAt(r.services?.status === 200 ? r.services.json() : undefined, 'data');
    return compact({ services: Array.isArray(data) ? data.length : undefined });
  },
});
