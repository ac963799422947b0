import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Spark monitoring REST API docs (/api/v1/applications, /api/v1/version) and security docs (ACL 403)';

export default defineReplies({
  signature: 'spark-ui',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.5.0',
      replies: [
        {
          path: '/api/v1/version',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { spark: '3.5.0' },
          source,
        },
        {
          path: '/api/v1/applications?limit=20',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: [
            {
              id: 'app-20260101000000-0001',
              name: 'nightly-etl',
              attempts: [
                {
                  startTime: '2026-01-01T00:00:00.000GMT',
                  duration: 1234,
                  sparkUser: 'spark',
                  completed: true,
                  appSparkVersion: '3.5.0',
                },
              ],
            },
          ],
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v1/version',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { spark: '3.5.0' },
          source,
        },
        {
          path: '/api/v1/applications?limit=20',
          status: 403,
          headers: { 'content-type': 'text/plain;charset=utf-8' },
          body: 'User null is not authorized to access this page.',
          source,
        },
      ],
    },
  },
});
