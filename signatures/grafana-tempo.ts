import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Grafana Tempo (HTTP 3200). Single-tenant Tempo (the default, `multitenancy_enabled: false`) has no authentication;
 * multi-tenant Tempo answers 401 "no org id" without an `X-Scope-OrgID` header (never guessed here).
 * `GET /api/search/tags` lists the span attribute names (`{"tagNames":[…]}`); `/api/status/buildinfo` the version.
 */
export default defineSignature({
  id: 'grafana-tempo',
  product: 'Grafana Tempo',
  category: 'LLM trace store',
  neverSends: 'trace reads (/api/traces/*), TraceQL searches (/api/search?q=…), tag values, OTLP ingestion, guessed X-Scope-OrgID tenants',
  defaultPorts: [3200],
  requests: [
    { id: 'buildinfo', method: 'GET', path: '/api/status/buildinfo' },
    { id: 'tags', method: 'GET', path: '/api/search/tags' },
  ],
  positive: [
    {
      on: 'tags',
      status: [200],
      contentType: /json/i,
      body: [/^\s*\{\s*"tagNames"\s*:\s*\[/],
      shows: 'the span attribute names without credentials: every trace can be searched and read',
    },
  ],
  auth: [
    {
      on: 'tags',
      status: [401],
      body: [/no org id/i],
      shows: '401 "no org id": multi-tenant Tempo without an X-Scope-OrgID header',
      identifies: true,
    },
    { on: 'tags', status: [401, 403], shows: '401/403 from a proxy in front of Tempo' },
  ],
  measure: [{ id: 'tags', kind: 'label', request: { method: 'GET', path: '/api/search/tags' }, list: 'tagNames' }],
  severity: 'high',
  exposure: 'anyone can search and read every trace, including prompts, SQL and identifiers recorded as span attributes',
  remediation:
    'Keep port 3200 on a private network behind an authenticating gateway; in multi-tenant mode the gateway must set X-Scope-OrgID from the authenticated user.',
  references: [
    'https://grafana.com/docs/tempo/latest/api_docs/',
    'https://grafana.com/docs/tempo/latest/operations/manage-advanced-systems/multitenancy/',
  ],
  extract(r) {
    const tags = jsonAt(r.tags?.status === 200 ? r.tags.json() : undefined, 'tagNames');
    return compact({ version: str(r.buildinfo?.json(), 'version'), tagNames: Array.isArray(tags) ? tags.length : undefined });
  },
});
