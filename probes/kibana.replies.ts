import { describeHttp, httpRequests, httpResponse, type ProbeReplies } from '../src/probe-replies.js';

/**
 * Kibana 8.x: GET /api/status (https://www.elastic.co/guide/en/kibana/current/task-manager-api-health.html shape,
 * `kbn-name` header on every reply) and the Console proxy answering _cat/indices?format=json; the 401 Boom body
 * ({"statusCode":401,"error":"Unauthorized",…}) when security is on.
 */
const kbn = { 'kbn-name': 'kibana-replay' };

export default {
  probe: 'kibana',
  frameRequest: httpRequests,
  describe: describeHttp,
  endless: {
    prefix: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nkbn-name: kibana\r\n\r\n{"name":"',
    source: 'a status document with neither Content-Length nor chunking: the body runs until close (RFC 9112 §6.3)',
  },
  cases: {
    'security-off': {
      state: 'exposed',
      source: 'Kibana 8.13.4 in front of an Elasticsearch without security: full status, Console proxy answering',
      exchanges: [
        {
          request: 'GET /api/status',
          reply: httpResponse(200, kbn, {
            name: 'kibana-replay',
            uuid: '5b2de169-2785-441b-ae8c-186a1936b17d',
            version: { number: '8.13.4', build_hash: 'ab1c2d3', build_number: 72000, build_snapshot: false },
            status: { overall: { level: 'available', summary: 'All services are available' } },
          }),
        },
        {
          request: /^POST \/api\/console\/proxy/,
          reply: httpResponse(200, kbn, [{ index: 'customers', 'docs.count': '1200', 'store.size': '240kb' }]),
        },
      ],
      expect: { status: 'exposed', product: 'Kibana' },
    },
    'security-on': {
      state: 'secured',
      source: 'Kibana 8.13 with security on: 401 Boom body on /api/status without credentials',
      exchanges: [{ request: /./, reply: httpResponse(401, kbn, { statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' }) }],
      expect: { status: 'auth-required', product: 'Kibana' },
    },
  },
} satisfies ProbeReplies;
