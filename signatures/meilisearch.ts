import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Meilisearch (7700). (`GET /health` is public by design and is a catalog-wide forbidden route: not sent.) Without a master key every route is open; with one, every route but `/health` demands
 * `Authorization: Bearer`, answering 401 `missing_authorization_header` (or 403 `invalid_api_key`).
 */
export default defineSignature({
  id: 'meilisearch',
  product: 'Meilisearch',
  category: 'search engine',
  neverSends:
    'searches (/indexes/*/search, /multi-search), document reads, writes to /indexes, /documents, /keys, /dumps, /snapshots, /tasks',
  defaultPorts: [7700],
  requests: [
    { id: 'indexes', method: 'GET', path: '/indexes?limit=100' },
    { id: 'version', method: 'GET', path: '/version' },
  ],
  positive: [
    {
      on: 'indexes',
      status: [200],
      contentType: /json/i,
      json: ['results', 'offset', 'limit', 'total'],
      shows: 'the index list without a master key: every document is readable and writable, and API keys can be created',
    },
  ],
  auth: [
    {
      on: 'indexes',
      status: [401, 403],
      body: [/"code"\s*:\s*"(missing_authorization_header|invalid_api_key)"/],
      shows: '401 missing_authorization_header (a master key is set)',
      identifies: true,
    },
  ],
  measure: [
    {
      id: 'indexes',
      kind: 'index',
      request: { method: 'GET', path: '/indexes?limit=100' },
      list: 'results',
      name: 'uid',
      each: { path: '/indexes/{name}/stats', rows: 'numberOfDocuments', fields: 'fieldDistribution.*', max: 20 },
    },
  ],
  severity: 'high',
  exposure: 'anyone can read, change and delete every indexed document, create API keys and dumps',
  remediation:
    'Start Meilisearch with a master key of at least 16 bytes (MEILI_MASTER_KEY; production mode refuses to start without one), use search-only keys in clients, and bind to a private interface.',
  references: ['https://www.meilisearch.com/docs/learn/security/basic_security', 'https://www.meilisearch.com/docs/reference/api/indexes'],
  extract(r) {
    return compact({
      version: str(r.version?.json(), 'pkgVersion'),
      indexes: typeof jsonAt(r.indexes?.json(), 'total') === 'number' ? jsonAt(r.indexes?.json(), 'total') : undefined,
    });
  },
});
