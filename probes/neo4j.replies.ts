import { describeHttp, httpRequests, httpResponse, type ProbeReplies } from '../src/probe-replies.js';

/**
 * Neo4j 5.26 HTTP API (https://neo4j.com/docs/http-api/current/: discovery document, transactions/commit, the result
 * format); the 401 body from https://neo4j.com/docs/http-api/current/authentication-authorization/.
 */
const one = { results: [{ columns: ['1'], data: [{ row: [1], meta: [null] }] }], errors: [], lastBookmarks: ['FB:kcwQ'] };

export default {
  probe: 'neo4j',
  frameRequest: httpRequests,
  describe: describeHttp,
  endless: {
    prefix: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"results":[',
    source: 'a transaction result with neither Content-Length nor chunking: the body runs until close (RFC 9112 §6.3)',
  },
  cases: {
    'auth-disabled': {
      state: 'exposed',
      source: 'Neo4j 5.26 community with dbms.security.auth_enabled=false: RETURN 1 committed',
      exchanges: [
        { request: 'POST /db/neo4j/tx/commit', reply: httpResponse(200, {}, one) },
        {
          request: 'GET /',
          reply: httpResponse(200, {}, { neo4j_version: '5.26.2', neo4j_edition: 'community', bolt_direct: 'bolt://127.0.9.1:7687' }),
        },
        { request: /^POST /, reply: httpResponse(200, {}, one) },
      ],
      expect: { status: 'exposed', product: 'Neo4j' },
    },
    'auth-enabled': {
      state: 'secured',
      source: 'the documented 401 with WWW-Authenticate: Basic realm="Neo4j"',
      exchanges: [
        {
          request: /./,
          reply: httpResponse(
            401,
            { 'www-authenticate': 'Basic realm="Neo4j"' },
            { errors: [{ code: 'Neo.ClientError.Security.Unauthorized', message: 'No authentication header supplied.' }] },
          ),
        },
      ],
      expect: { status: 'auth-required', product: 'Neo4j' },
    },
  },
} satisfies ProbeReplies;
