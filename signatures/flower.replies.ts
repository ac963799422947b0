import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Flower API docs (GET /api/workers) and auth docs (--basic-auth: 401 on every page)';

export default defineReplies({
  signature: 'flower',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<!DOCTYPE html><html><head><title>Flower</title></head><body><nav><a href="/workers">Workers</a><a href="/tasks">Tasks</a><a href="/broker">Broker</a></nav></body></html>',
          source,
        },
        {
          path: '/api/workers',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            'celery@worker-1': {
              stats: { total: { 'tasks.export': 42 }, pool: { 'max-concurrency': 4 } },
              active_queues: [{ name: 'celery' }],
              registered: ['tasks.export'],
              conf: { broker_url: 'redis://127.0.0.9:6379/0' },
            },
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      siteWide: true,
      fallback: {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="flower"', 'content-type': 'text/plain' },
        body: 'Access denied',
        source,
      },
      replies: [],
    },
  },
});
