import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'https://github.com/jaegertracing/jaeger/blob/main/cmd/query/app/http_handler.go (Jaeger 1.57: GET /api/services, structuredResponse {data,total,limit,offset,errors})';

export default defineReplies({
  signature: 'jaeger',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 3 },
      replies: [
        {
          path: '/api/services',
          status: 200,
          body: { data: ['frontend', 'rag-api', 'jaeger-all-in-one'], total: 3, limit: 0, offset: 0, errors: null },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/services',
          status: 302,
          headers: { location: '/oauth2/start?rd=%2Fapi%2Fservices', 'content-type': 'text/html; charset=utf-8' },
          body: '<a href="/oauth2/start?rd=%2Fapi%2Fservices">Found</a>.',
          source:
            'https://oauth2-proxy.github.io/oauth2-proxy/ (oauth2-proxy 7.6 in front of Jaeger: unauthenticated request redirected to /oauth2/start)',
        },
      ],
    },
  },
});
