import { defineReplies } from '../src/http-catalog/replies.js';

const headers = { 'content-type': 'application/json; charset=utf-8', server: 'ArangoDB' };
const denied = {
  status: 401,
  headers: { ...headers, 'www-authenticate': 'Bearer token_type="JWT", realm="ArangoDB"' },
  body: { code: 401, error: true, errorMessage: 'not authorized to execute this request', errorNum: 11 },
  source:
    'https://docs.arangodb.com/stable/develop/error-codes/ (ArangoDB 3.11: ERROR_FORBIDDEN 11 "not authorized to execute this request", 401)',
};

export default defineReplies({
  signature: 'arangodb',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.11.8',
      data: { items: 2 },
      replies: [
        {
          path: '/_api/version',
          status: 200,
          headers,
          body: { server: 'arango', version: '3.11.8', license: 'community' },
          source:
            'https://docs.arangodb.com/stable/develop/http-api/administration/#get-the-server-version (ArangoDB 3.11, authentication off)',
        },
        {
          path: '/_api/database/user',
          status: 200,
          headers,
          body: { error: false, code: 200, result: ['_system', 'crm'] },
          source: 'https://docs.arangodb.com/stable/develop/http-api/databases/#list-the-accessible-databases (ArangoDB 3.11)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { path: '/_api/version', ...denied },
        { path: '/_api/database/user', ...denied },
      ],
    },
  },
});
