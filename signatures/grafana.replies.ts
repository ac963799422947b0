import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Grafana HTTP API docs (GET /api/org, GET /api/health) and the anonymous-auth docs';

export default defineReplies({
  signature: 'grafana',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '10.2.3',
      fallback: {
        status: 404,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html><html><head><title>Grafana</title></head><body></body></html>',
        source,
      },
      replies: [
        {
          path: '/api/health',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { commit: '7b8bd0a', database: 'ok', version: '10.2.3' },
          source,
        },
        {
          path: '/api/org',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            id: 1,
            name: 'Main Org.',
            address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' },
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 302,
        headers: { location: '/login' },
        body: '',
        source,
      },
      replies: [
        {
          path: '/api/health',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { commit: '7b8bd0a', database: 'ok', version: '10.2.3' },
          source,
        },
        {
          path: '/api/org',
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: {
            extra: null,
            message: 'Unauthorized',
            messageId: 'auth.unauthorized',
            statusCode: 401,
            traceID: '',
          },
          source,
        },
      ],
    },
  },
});
