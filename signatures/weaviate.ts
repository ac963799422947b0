import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Weaviate REST API. Weaviate refuses to start without an auth scheme; AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true
 * is the "open" choice. Secured: 401 {"code":401,"message": "anonymous access not enabled. Please authenticate …"}.
 * Exact `/v1` (links) and `/v1/.well-known/*` bypass the anonymous check, so they prove nothing and are not sent.
 * Never sent: object/batch writes, schema changes, GraphQL queries (they may call vectorizer modules = provider cost).
 */
export default defineSignature({
  id: 'weaviate',
  product: 'Weaviate',
  category: 'vector database',
  neverSends: 'GraphQL (may call vectorizer modules), object and batch writes, schema changes',
  defaultPorts: [8080],
  requests: [
    { id: 'meta', method: 'GET', path: '/v1/meta' },
    { id: 'schema', method: 'GET', path: '/v1/schema' },
  ],
  positive: [
    {
      on: 'meta',
      status: [200],
      contentType: /json/i,
      json: ['hostname', { path: 'version', match: /^\d+\.\d+/ }, 'modules'],
      shows: 'server metadata as the anonymous user (anonymous access enabled)',
    },
    {
      on: 'schema',
      status: [200],
      contentType: /json/i,
      json: ['classes'],
      body: [/^\s*\{\s*"classes"\s*:\s*(\[|null)/],
      shows: 'the schema (classes and properties) as the anonymous user: objects and vectors are readable and writable',
    },
  ],
  auth: [
    {
      on: ['meta', 'schema'],
      status: [401, 403],
      contentType: /json/i,
      body: [/anonymous access not enabled|please provide an auth scheme/i],
      shows: '401 "anonymous access not enabled. Please authenticate through one of the available methods"',
      identifies: true,
    },
  ],
  measure: [{ id: 'classes', kind: 'collection', request: { method: 'GET', path: '/v1/schema' }, list: 'classes', name: 'class' }],
  assess(r) {
    const mods = jsonAt(r.meta?.json(), 'modules');
    const vectorizers =
      mods && typeof mods === 'object'
        ? Object.keys(mods).filter((m) =>
            /^(text2vec|multi2vec|generative)-(openai|cohere|google|palm|anthropic|aws|mistral|voyageai|jinaai)/.test(m),
          )
        : [];
    return {
      severity: 'high',
      reason: `readable embeddings and objects of every class as the anonymous user${vectorizers.length ? `; provider modules (${vectorizers.slice(0, 4).join(', ')}) spend the operator's keys` : ''}`,
    };
  },
  // GET / answers 301 to /v1 with a links document (adapters/handlers/rest addHandleRoot); go-swagger's 404 is JSON.
  identify: {
    landing: [
      { redirect: /\/v1/ },
      { json: ['links.href'] },
      { bodyAny: [/weaviate/i] },
      { json: [{ path: 'message', match: /was not found/ }] },
    ],
  },
  severity: 'high',
  exposure: 'anyone can read, search, write and delete objects and vectors in every class, and trigger the configured vectorizer modules',
  remediation:
    "Set AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=false with API keys (AUTHENTICATION_APIKEY_ENABLED) or OIDC plus authorization (RBAC); never keep a published default key such as Dify's; bind to a private interface.",
  references: ['https://docs.weaviate.io/deploy/configuration/authentication', 'https://docs.weaviate.io/weaviate/api/rest#tag/meta'],
  extract(r) {
    const m = r.meta?.json();
    const classes = jsonAt(r.schema?.status === 200 ? r.schema.json() : undefined, 'classes');
    const mods = jsonAt(m, 'modules');
    return compact({
      version: str(m, 'version'),
      modules: mods && typeof mods === 'object' ? Object.keys(mods).slice(0, 30) : undefined,
      classes: Array.isArray(classes)
        ? classes
            .map((c) => str(c, 'class'))
            .filter(Boolean)
            .slice(0, 50)
        : undefined,
    });
  },
});
