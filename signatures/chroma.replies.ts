import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const path = '/api/v2/tenants/default_tenant/databases/default_database/collections?limit=100';
const heartbeat = {
  status: 200,
  headers: json,
  body: '{"nanosecond heartbeat":1764590012345678901}',
  source: 'rust/frontend/src/server.rs heartbeat (Chroma 1.3)',
};
const coll = (id: string, name: string) => ({
  id,
  name,
  configuration_json: {
    hnsw: { space: 'cosine', ef_construction: 100, ef_search: 100, max_neighbors: 16, resize_factor: 1.2, sync_threshold: 1000 },
    spann: null,
    embedding_function: { type: 'known', name: 'openai', config: { model_name: 'text-embedding-3-small' } },
  },
  metadata: { source: 'confluence' },
  dimension: 1536,
  tenant: 'default_tenant',
  database: 'default_database',
  log_position: 0,
  version: 0,
});

export default defineReplies({
  signature: 'chroma',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.3.0',
      data: { items: 2 },
      replies: [
        { method: 'GET', path: '/api/v2/heartbeat', ...heartbeat },
        {
          method: 'GET',
          path: '/api/v2/version',
          status: 200,
          headers: json,
          body: '"1.3.0"',
          source: 'rust/frontend/src/server.rs version (Chroma 1.3)',
        },
        {
          method: 'GET',
          path,
          status: 200,
          headers: json,
          body: [coll('8e6c0a4f-3d0b-4c2e-9f4a-0d6b3f1e2a77', 'wiki_pages'), coll('0f9d7f5e-2b1c-4a8d-8e3f-5c6b7a8d9e01', 'hr_policies')],
          source: 'https://docs.trychroma.com/reference (Chroma 1.3 list_collections, Collection model)',
        },
      ],
    },
    'exposed-empty': {
      expect: 'exposed',
      data: { items: 0 },
      replies: [
        { method: 'GET', path: '/api/v2/heartbeat', ...heartbeat },
        { method: 'GET', path, status: 200, headers: json, body: [], source: 'a fresh Chroma 1.3: list_collections answers []' },
      ],
    },
    secured: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        { method: 'GET', path: '/api/v2/heartbeat', ...heartbeat },
        {
          method: 'GET',
          path: '/api/v2/version',
          status: 200,
          headers: json,
          body: '"0.6.3"',
          source: 'chromadb/server/fastapi (Chroma 0.6.3): version stays public with auth (issue #3556)',
        },
        {
          method: 'GET',
          path,
          status: 403,
          headers: json,
          body: { error: 'AuthorizationError', message: 'Forbidden' },
          source: 'chromadb/errors.py AuthorizationError (Chroma 0.6.3, token auth on)',
        },
      ],
    },
  },
});
