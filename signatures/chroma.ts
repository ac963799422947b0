import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

const collectionsPath = '/api/v2/tenants/default_tenant/databases/default_database/collections?limit=100';

/**
 * Chroma v2 API. Chroma >= 1.0 (Rust frontend) has NO authentication in open source: the only authenticator allows
 * everything, and the old CHROMA_SERVER_AUTH* variables are silently ignored (chroma issue #4965). Chroma 0.4.8-0.6
 * (Python) had token/basic auth: failures are 401/403 {"error":"AuthenticationError|AuthorizationError",…}, while
 * heartbeat and version stay public (issue #3556). The heartbeat key "nanosecond heartbeat" (with a space) is
 * distinctive but public by design. Never sent: collection add/upsert/update/delete, queries, POST .../get.
 */
export default defineSignature({
  id: 'chroma',
  product: 'Chroma',
  category: 'vector database',
  neverSends: 'add/upsert/update/delete, queries, POST …/get',
  defaultPorts: [8000],
  requests: [
    { id: 'heartbeat', method: 'GET', path: '/api/v2/heartbeat' },
    { id: 'version', method: 'GET', path: '/api/v2/version' },
    { id: 'collections', method: 'GET', path: collectionsPath },
  ],
  positive: [
    {
      on: 'collections',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      // An empty database answers [] (still open); otherwise collection objects with Chroma's own fields.
      body: [/^\s*\[\s*(\]|\{[^]*"(configuration_json|log_position)")/],
      shows:
        'the collection list of the default database without credentials: embeddings, documents and metadata are readable and writable',
    },
    {
      on: 'heartbeat',
      status: [200],
      contentType: /json/i,
      // The key has a space, so a body pattern rather than a JSON path.
      body: [/^\s*\{\s*"nanosecond heartbeat"\s*:\s*\d+\s*\}\s*$/],
      shows: 'heartbeat (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'collections',
      status: [401, 403],
      contentType: /json/i,
      json: [{ path: 'error', match: /^(AuthenticationError|AuthorizationError|AuthError)$/ }],
      shows: '401/403 {"error":"AuthorizationError",…} (Chroma 0.4.8-0.6 token or basic auth)',
    },
  ],
  leaks: [
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      body: [/^\s*"\d+\.\d+\.\d+[^"]*"\s*$/],
      shows: 'GET /api/v2/version stays public with authentication: the Chroma version',
    },
  ],
  measure: [{ id: 'collections', kind: 'collection', request: { method: 'GET', path: collectionsPath }, list: '', name: 'name' }],
  assess(_r, data) {
    return {
      severity: 'high',
      reason: `readable embeddings and documents${data.items.length ? ` in ${data.items.length} collection(s)` : ''}: Chroma >= 1.0 has no authentication, anyone can read, add and delete`,
    };
  },
  severity: 'high',
  exposure: 'anyone can read, query, add and delete collections: embeddings plus the stored documents and metadata',
  remediation:
    'Chroma >= 1.0 open source has no authentication: bind it to 127.0.0.1 or a private network and put an authenticating proxy in front (the CHROMA_SERVER_AUTHN_* variables do nothing any more).',
  references: [
    'https://docs.trychroma.com/reference/python/client',
    'https://github.com/chroma-core/chroma/issues/4965',
    'https://github.com/chroma-core/chroma/blob/main/rust/frontend/src/server.rs',
  ],
  extract(r) {
    const v = r.version?.status === 200 ? r.version.json() : undefined;
    const c = r.collections?.status === 200 ? r.collections.json() : undefined;
    return compact({
      version: typeof v === 'string' ? v.slice(0, 40) : undefined,
      collections: Array.isArray(c) ? c.length : undefined,
      dimensions: Array.isArray(c) ? [...new Set(c.map((x) => str(x, 'dimension')).filter(Boolean))].slice(0, 10) : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'collections' && Array.isArray(b))
      return `${reply.status} ${b.length} collections: ${b
        .slice(0, 10)
        .map((x) => str(x, 'name') ?? '?')
        .join(', ')}`;
    return undefined;
  },
});
