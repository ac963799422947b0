import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Jupyter Server REST API docs (/api, /api/contents, /api/kernels) and its 403 {"message": "Forbidden"} without a token';

export default defineReplies({
  signature: 'jupyter',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.10.0',
      replies: [
        {
          path: '/api',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { version: '2.10.0' },
          source,
        },
        {
          path: '/api/contents',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            name: '',
            path: '',
            last_modified: '2026-01-01T00:00:00.000000Z',
            created: '2026-01-01T00:00:00.000000Z',
            content: [{ name: 'analysis.ipynb', path: 'analysis.ipynb', type: 'notebook', writable: true }],
            format: 'json',
            mimetype: null,
            size: null,
            writable: true,
            type: 'directory',
          },
          source,
        },
        {
          path: '/api/kernels',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: [
            {
              id: '5b2b4a1e',
              name: 'python3',
              last_activity: '2026-01-01T00:00:00.000000Z',
              execution_state: 'idle',
              connections: 1,
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
          path: '/api',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { version: '2.10.0' },
          source,
        },
        {
          path: '/api/contents',
          status: 403,
          headers: { 'content-type': 'application/json' },
          body: { message: 'Forbidden', reason: null },
          source,
        },
        {
          path: '/api/kernels',
          status: 403,
          headers: { 'content-type': 'application/json' },
          body: { message: 'Forbidden', reason: null },
          source,
        },
      ],
    },
  },
});
