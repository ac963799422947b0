import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const root = {
  status: 200,
  headers: json,
  body: { title: 'qdrant - vector search engine', version: '1.15.5', commit: '48203e414e4e7f639a6d394fb6e4df695f808e51' },
  source: 'src/actix/mod.rs index + lib/api/src/rest/models.rs VersionInfo (Qdrant 1.15)',
};
const noKey = {
  status: 401,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'Must provide an API key or an Authorization bearer token',
  source: 'src/common/auth/mod.rs (Qdrant 1.15, service.api_key set)',
};
const info = (points: number) => ({
  result: {
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: points,
    segments_count: 2,
    config: {
      params: {
        vectors: { size: 1536, distance: 'Cosine' },
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
      },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        indexing_threshold: 10000,
        flush_interval_sec: 5,
      },
    },
    payload_schema: {},
  },
  status: 'ok',
  time: 0.000041,
});
const infoSrc = 'https://api.qdrant.tech/api-reference/collections/get-collection (Qdrant 1.15)';

export default defineReplies({
  signature: 'qdrant',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.15.5',
      data: { items: 2 },
      replies: [
        { method: 'GET', path: '/', ...root },
        {
          method: 'GET',
          path: '/collections',
          status: 200,
          headers: json,
          body: { result: { collections: [{ name: 'support_tickets' }, { name: 'contracts' }] }, status: 'ok', time: 0.000012 },
          source: 'https://api.qdrant.tech/api-reference/collections/get-collections (Qdrant 1.15)',
        },
        { method: 'GET', path: '/collections/support_tickets', status: 200, headers: json, body: info(48210), source: infoSrc },
        { method: 'GET', path: '/collections/contracts', status: 200, headers: json, body: info(1377), source: infoSrc },
      ],
    },
    'exposed-empty': {
      expect: 'exposed',
      data: { items: 0 },
      replies: [
        { method: 'GET', path: '/', ...root },
        {
          method: 'GET',
          path: '/collections',
          status: 200,
          headers: json,
          body: { result: { collections: [] }, status: 'ok', time: 0.000004 },
          source: 'a fresh Qdrant 1.15 (get-collections)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        { method: 'GET', path: '/', ...root },
        { method: 'GET', path: '/collections', ...noKey },
      ],
    },
  },
});
