import { describeHttp, httpRequests, httpResponse, type ProbeReplies } from '../src/probe-replies.js';

/**
 * Grafana Loki 3.4 HTTP API (https://grafana.com/docs/loki/latest/reference/loki-http-api/: labels, label values,
 * buildinfo); multi-tenant mode without X-Scope-OrgID answers 401 "no org id" (grafana/loki issue #7081, docs
 * operations/multi-tenancy).
 */
const notFound = { request: /./, reply: httpResponse(404, { 'content-type': 'text/plain; charset=utf-8' }, '404 page not found\n') };

export default {
  probe: 'loki',
  frameRequest: httpRequests,
  describe: describeHttp,
  endless: {
    prefix: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"status":"success","data":[',
    source: 'a labels reply with neither Content-Length nor chunking: the body runs until close (RFC 9112 §6.3)',
  },
  cases: {
    'single-tenant': {
      state: 'exposed',
      source: 'Loki 3.4.2 with auth_enabled: false (the single-binary default)',
      exchanges: [
        { request: 'GET /loki/api/v1/labels', reply: httpResponse(200, {}, { status: 'success', data: ['app', 'job'] }) },
        {
          request: 'GET /loki/api/v1/status/buildinfo',
          reply: httpResponse(200, {}, { version: '3.4.2', revision: 'cad1ba2a', branch: 'release-3.4.x', goVersion: 'go1.23.6' }),
        },
        {
          request: /^GET \/loki\/api\/v1\/label\/[^/]+\/values$/,
          reply: httpResponse(200, {}, { status: 'success', data: ['checkout', 'varlogs'] }),
        },
        notFound,
      ],
      expect: { status: 'exposed', product: 'Loki' },
    },
    'multi-tenant': {
      state: 'secured',
      source: 'auth_enabled: true without X-Scope-OrgID: 401 "no org id" (text/plain), as Loki 3.4 answers',
      exchanges: [{ request: /./, reply: httpResponse(401, { 'content-type': 'text/plain; charset=utf-8' }, 'no org id\n') }],
      expect: { status: 'auth-required' },
    },
  },
} satisfies ProbeReplies;
