import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

const listRequest = {
  method: 'POST' as const,
  path: '/v2/vectordb/collections/list',
  headers: { 'content-type': 'application/json' },
  body: '{}',
  justification: 'Milvus RESTful v2 serves every call, listings included, as a POST; collections/list only reads the collection names',
};

/**
 * Milvus RESTful API v2 on the gRPC port (19530). Authentication is off by default; when on, a call without a token
 * answers {"code":1800,"message":"user hasn't authenticated"} (merr ErrNeedAuthenticate; HTTP 401 on current
 * releases, 200 on some 2.4 builds), and the documented first user is root / Milvus. Success is {"code":0,"data":[…]}.
 * A POST goes only after a GET identified Milvus here (GET /v1/vector/collections, RESTful v1, first): see
 * src/http-catalog/fetch.ts. Never sent: create/drop/insert/upsert/delete/search/query, user and role management.
 */
export default defineSignature({
  id: 'milvus',
  product: 'Milvus',
  category: 'vector database',
  neverSends: 'search, query, insert, upsert, delete, drop, user and role management',
  defaultPorts: [19530],
  requests: [
    { id: 'collections', ...listRequest },
    // RESTful v1 (deprecated, still served by 2.4/2.5): the one GET listing, used to repeat an opt-in default credential.
    { id: 'collections-v1', method: 'GET', path: '/v1/vector/collections' },
  ],
  positive: [
    {
      on: 'collections',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'code', equals: 0 }, 'data'],
      body: [/"data"\s*:\s*\[/],
      shows: 'the collection list without credentials (authorization disabled): vectors and scalar fields are readable and writable',
    },
    {
      on: 'collections-v1',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'code', equals: 200 }, 'data'],
      body: [/"data"\s*:\s*\[/],
      shows: 'the collection list through RESTful v1 without credentials (authorization disabled)',
    },
  ],
  auth: [
    {
      on: ['collections', 'collections-v1'],
      status: [200, 401, 403],
      contentType: /json/i,
      json: [{ path: 'code', equals: 1800 }],
      shows: '{"code":1800,"message":"user hasn\'t authenticated"} (common.security.authorizationEnabled)',
      identifies: true,
    },
  ],
  measure: [{ id: 'collections', kind: 'collection', request: listRequest, list: 'data' }],
  assess() {
    return {
      severity: 'high',
      reason: 'readable embeddings and payload fields of every collection; anyone can also insert, delete and drop',
    };
  },
  defaultCredentials: [
    {
      user: 'root',
      // Milvus REST takes the user:password pair as a bearer token.
      header: { authorization: 'Bearer root:Milvus' },
      // The documented first user: root, password Milvus.
      source: 'https://milvus.io/docs/authenticate.md',
      request: 'collections-v1',
    },
  ],
  severity: 'high',
  exposure: 'anyone can list, read, search, insert into and drop collections',
  remediation:
    'Set common.security.authorizationEnabled: true, change the root password from Milvus at once, create least-privilege users, and bind 19530/9091 to a private interface.',
  references: ['https://milvus.io/api-reference/restful/v2.5.x/v2/Collection%20(v2)/List.md', 'https://milvus.io/docs/authenticate.md'],
  extract(r) {
    const d = jsonAt(r.collections?.json(), 'data');
    return compact({
      collections: Array.isArray(d) && jsonAt(r.collections?.json(), 'code') === 0 ? d.map(String).slice(0, 50) : undefined,
    });
  },
});
