import { defineReplies } from '../src/http-catalog/replies.js';

// Arize Phoenix 8.x: REST v1 projects router and the version route the clients use.
const version = {
  path: '/arize_phoenix_version',
  status: 200,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: '8.12.1',
  source: 'src/phoenix/server/app.py (Phoenix 8.12: GET /arize_phoenix_version, plain-text version read by phoenix-client)',
};
const projectsSource =
  'https://github.com/Arize-ai/phoenix/blob/main/src/phoenix/server/api/routers/v1/projects.py (Phoenix 8.12: GET /v1/projects, {data, next_cursor}, Relay ids)';

export default defineReplies({
  signature: 'arize-phoenix',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '8.12.1',
      data: { items: 2 },
      replies: [
        version,
        {
          path: '/v1/projects',
          status: 200,
          body: {
            data: [
              { id: 'UHJvamVjdDox', name: 'default', description: null },
              { id: 'UHJvamVjdDoy', name: 'support-bot', description: 'RAG assistant' },
            ],
            next_cursor: null,
          },
          source: projectsSource,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        version,
        {
          path: '/v1/projects',
          status: 401,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'Invalid token',
          source: 'src/phoenix/server/bearer_auth.py (Phoenix 8.12 with PHOENIX_ENABLE_AUTH=true: 401 without a bearer token)',
        },
      ],
    },
  },
});
