import { defineReplies } from '../src/http-catalog/replies.js';

const missing = {
  status: 401,
  body: {
    message: 'The Authorization header is missing. It must use the bearer authorization method.',
    code: 'missing_authorization_header',
    type: 'auth',
    link: 'https://docs.meilisearch.com/errors#missing_authorization_header',
  },
  source: 'https://www.meilisearch.com/docs/reference/errors/error_codes#missing_authorization_header (Meilisearch 1.10 with a master key)',
};
const stats = (name: string, docs: number, fields: Record<string, number>) => ({
  path: `/indexes/${name}/stats`,
  status: 200,
  body: { numberOfDocuments: docs, isIndexing: false, fieldDistribution: fields },
  source: 'https://www.meilisearch.com/docs/reference/api/stats#get-stats-of-an-index (Meilisearch 1.10)',
});

export default defineReplies({
  signature: 'meilisearch',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.10.2',
      data: { items: 2 },
      replies: [
        {
          path: '/indexes?limit=100',
          status: 200,
          body: {
            results: [
              { uid: 'customers', primaryKey: 'id', createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-11-30T08:12:00Z' },
              { uid: 'tickets', primaryKey: 'id', createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-12-01T18:40:00Z' },
            ],
            offset: 0,
            limit: 100,
            total: 2,
          },
          source: 'https://www.meilisearch.com/docs/reference/api/indexes#list-all-indexes (Meilisearch 1.10, no master key)',
        },
        {
          path: '/version',
          status: 200,
          body: { commitSha: 'b11df7ec34', commitDate: '2024-09-30T00:00:00Z', pkgVersion: '1.10.2' },
          source: 'https://www.meilisearch.com/docs/reference/api/version (Meilisearch 1.10)',
        },
        stats('customers', 18234, { email: 18234, name: 18234, id: 18234 }),
        stats('tickets', 90211, { body: 90211, id: 90211 }),
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { path: '/indexes?limit=100', ...missing },
        { path: '/version', ...missing },
      ],
    },
  },
});
