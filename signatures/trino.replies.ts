import { defineReplies } from '../src/http-catalog/replies.js';

const info = {
  path: '/v1/info',
  status: 200,
  body: { nodeVersion: { version: '465' }, environment: 'production', coordinator: true, starting: false, uptime: '3.21d' },
  source:
    'https://github.com/trinodb/trino/blob/master/core/trino-main/src/main/java/io/trino/server/ServerInfoResource.java (Trino 465: PUBLIC ServerInfo)',
};

export default defineReplies({
  signature: 'trino',
  landing: {
    status: 303,
    headers: { location: '/ui/', 'content-length': '0' },
    body: '',
    source: 'trinodb/trino core/trino-main/src/main/java/io/trino/server/ui/WebUiStaticResource.java (GET / → 303 See Other to /ui/)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '465',
      data: { items: 2 },
      replies: [
        info,
        {
          path: '/v1/query',
          status: 200,
          body: [
            {
              queryId: '20261205_101500_00012_abcde',
              state: 'FINISHED',
              query: 'SELECT count(*) FROM hive.sales.orders',
              session: { user: 'etl' },
            },
            {
              queryId: '20261205_101742_00013_abcde',
              state: 'RUNNING',
              query: 'SELECT * FROM pg.crm.customers LIMIT 10',
              session: { user: 'analyst' },
            },
          ],
          source:
            'https://github.com/trinodb/trino/blob/master/core/trino-main/src/main/java/io/trino/server/QueryResource.java (Trino 465: GET /v1/query, BasicQueryInfo list; insecure mode trusts X-Trino-User)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        info,
        {
          path: '/v1/query',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="Trino"', 'content-type': 'text/plain' },
          body: 'Unauthorized',
          source: 'https://trino.io/docs/current/security/password-file.html (Trino 465 with the PASSWORD authenticator over HTTPS)',
        },
      ],
    },
  },
});
