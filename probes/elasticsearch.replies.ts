import { describeHttp, httpRequests, httpResponse, type ProbeReplies } from '../src/probe-replies.js';

/**
 * Elasticsearch 8.x REST replies: the root document (https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-root.html),
 * _cat/indices?format=json, _cluster/health; the security_exception 401 and the es_rejected_execution_exception 429
 * bodies as Elasticsearch 8.13 words them (x-pack Security, EsRejectedExecutionException).
 */
const es = { 'x-elastic-product': 'Elasticsearch' };
const root = {
  name: 'es-replay',
  cluster_name: 'docker-cluster',
  cluster_uuid: 'kM3aZbDwQoyY1b8F0c1K2g',
  version: { number: '8.13.4', build_flavor: 'default', build_type: 'docker', lucene_version: '9.10.0' },
  tagline: 'You Know, for Search',
};
const errorBody = (status: number, type: string, reason: string) => ({ error: { root_cause: [{ type, reason }], type, reason }, status });

export default {
  probe: 'elasticsearch',
  frameRequest: httpRequests,
  describe: describeHttp,
  endless: {
    prefix: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"name":"',
    source: 'a root document with neither Content-Length nor chunking: the body runs until close (RFC 9112 §6.3)',
  },
  cases: {
    'security-off': {
      state: 'exposed',
      source: 'Elasticsearch 8.13.4 with xpack.security.enabled: false; one index',
      exchanges: [
        { request: 'GET /', reply: httpResponse(200, es, root) },
        {
          request: /^GET \/_cat\/indices\?format=json&bytes=b/,
          reply: httpResponse(200, es, [
            { health: 'yellow', status: 'open', index: 'customers', 'docs.count': '1200', 'store.size': '245760', pri: '1', rep: '1' },
          ]),
        },
        {
          request: 'GET /_cluster/health',
          reply: httpResponse(200, es, { cluster_name: 'docker-cluster', status: 'yellow', number_of_nodes: 1 }),
        },
        {
          request: /^GET \/customers\/_mapping$/,
          reply: httpResponse(200, es, { customers: { mappings: { properties: { email: { type: 'keyword' } } } } }),
        },
        { request: /./, reply: httpResponse(404, es, errorBody(404, 'resource_not_found_exception', 'not here')) },
      ],
      expect: { status: 'exposed', product: 'Elasticsearch' },
    },
    'security-on': {
      state: 'secured',
      source: 'Elasticsearch 8.13 with security on, no credentials: 401 security_exception + WWW-Authenticate',
      exchanges: [
        {
          request: /./,
          reply: httpResponse(
            401,
            { ...es, 'www-authenticate': 'Basic realm="security", charset="UTF-8"' },
            errorBody(401, 'security_exception', 'missing authentication credentials for REST request [/]'),
          ),
        },
      ],
      expect: { status: 'auth-required', product: 'Elasticsearch' },
    },
    'thread-pool-full': {
      state: 'busy',
      source: 'a 429 es_rejected_execution_exception (EsRejectedExecutionException, a full search/management thread pool)',
      exchanges: [
        {
          request: /./,
          reply: httpResponse(
            429,
            es,
            errorBody(
              429,
              'es_rejected_execution_exception',
              'rejected execution of TimedRunnable on EsThreadPoolExecutor[name = es-replay/management, queue capacity = 100]',
            ),
          ),
        },
      ],
      expect: { status: 'error', code: 'EA_BUSY', product: 'Elasticsearch' },
    },
  },
} satisfies ProbeReplies;
