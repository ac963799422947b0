import { defineReplies } from '../src/http-catalog/replies.js';

const src =
  'https://superset.apache.org/docs/api/ (Superset 4.1: FAB ModelRestApi list {count, ids, result, list_columns}; PUBLIC_ROLE_LIKE = "Gamma")';
const missing = {
  status: 401,
  body: { msg: 'Missing Authorization Header' },
  source: 'https://superset.apache.org/docs/api/ (Superset 4.1 without a session or JWT: flask-jwt-extended 401)',
};

export default defineReplies({
  signature: 'superset',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 3 },
      replies: [
        {
          path: '/api/v1/dashboard/',
          status: 200,
          body: {
            count: 2,
            ids: [1, 4],
            list_columns: ['dashboard_title', 'published'],
            result: [
              { id: 1, dashboard_title: 'Revenue', published: true },
              { id: 4, dashboard_title: 'Churn', published: true },
            ],
          },
          source: src,
        },
        {
          path: '/api/v1/database/',
          status: 200,
          body: {
            count: 1,
            ids: [1],
            list_columns: ['database_name', 'backend'],
            result: [{ id: 1, database_name: 'warehouse', backend: 'postgresql' }],
          },
          source: src,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { path: '/api/v1/dashboard/', ...missing },
        { path: '/api/v1/database/', ...missing },
      ],
    },
  },
});
