import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Qdrant REST API (6333). No api_key by default (config/config.yaml). With a key, a request without one gets 401
 * text "Must provide an API key or an Authorization bearer token" (older builds: 403); `/`, `/healthz`, `/readyz`,
 * `/livez` and `/dashboard` stay public, so `GET /` (title + version) identifies Qdrant but proves nothing.
 * Never sent: PUT/POST/DELETE on collections or points, snapshot downloads, POST .../points/scroll.
 */
export default defineSignature({
  id: 'qdrant',
  product: 'Qdrant',
  category: 'vector database',
  neverSends: 'point search/scroll/upsert/delete, collection changes, snapshot downloads',
  defaultPorts: [6333],
  requests: [
    { id: 'root', method: 'GET', path: '/' },
    { id: 'collections', method: 'GET', path: '/collections' },
  ],
  positive: [
    {
      on: 'collections',
      status: [200],
      contentType: /json/i,
      json: ['result.collections', { path: 'status', equals: 'ok' }, 'time'],
      body: [/"collections"\s*:\s*\[/],
      shows: 'the collection list without an API key: vectors and payloads (often the source documents) are readable and writable',
    },
    {
      on: 'root',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'title', match: /^qdrant - vector search engine$/ }, 'version'],
      shows: 'title and version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'collections',
      status: [401, 403],
      body: [/Must provide an API key or an Authorization bearer token|Invalid API key or JWT/],
      shows: '401 "Must provide an API key or an Authorization bearer token"',
      identifies: true,
    },
  ],
  leaks: [
    {
      on: 'root',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'title', match: /^qdrant - vector search engine$/ }, 'version'],
      shows: 'GET / stays public with an API key: Qdrant version and commit',
    },
  ],
  measure: [
    {
      id: 'collections',
      kind: 'collection',
      request: { method: 'GET', path: '/collections' },
      list: 'result.collections',
      name: 'name',
      each: { path: '/collections/{name}', rows: 'result.points_count' },
    },
  ],
  assess(_r, data) {
    const points = data.items.reduce((a, i) => a + (i.rows ?? 0), 0);
    return {
      severity: 'high',
      reason: `readable embeddings and payloads${points ? ` (${points} points)` : ''}: vector stores usually hold the source text of private documents; anyone can also overwrite or delete them`,
    };
  },
  severity: 'high',
  exposure: 'anyone can read, search, overwrite and delete collections: vectors and their payloads (usually the original document text)',
  remediation:
    "Set service.api_key (and read_only_api_key) or QDRANT__SERVICE__API_KEY, enable TLS, and bind Qdrant to a private interface; never keep a published default key such as Dify's.",
  references: ['https://qdrant.tech/documentation/guides/security/', 'https://api.qdrant.tech/api-reference/collections/get-collections'],
  extract(r) {
    const c = jsonAt(r.collections?.status === 200 ? r.collections.json() : undefined, 'result.collections');
    return compact({
      version: str(r.root?.json(), 'version'),
      commit: str(r.root?.json(), 'commit'),
      collections: Array.isArray(c) ? c.length : undefined,
    });
  },
  summarize(reply) {
    const c = jsonAt(reply.json(), 'result.collections');
    if (Array.isArray(c))
      return `${reply.status} ${c.length} collections: ${c
        .slice(0, 10)
        .map((x) => str(x, 'name') ?? '?')
        .join(', ')}`;
    return `${reply.status} ${str(reply.json(), 'title') ?? ''} ${str(reply.json(), 'version') ?? ''}`;
  },
});
