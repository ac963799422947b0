import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'livy',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 1 },
      replies: [
        {
          path: '/sessions',
          status: 200,
          body: {
            from: 0,
            total: 1,
            sessions: [
              {
                id: 0,
                name: null,
                appId: 'application_1764900000000_0007',
                owner: null,
                proxyUser: null,
                state: 'idle',
                kind: 'pyspark',
                appInfo: { driverLogUrl: null, sparkUiUrl: null },
                log: [],
              },
            ],
          },
          source: 'https://livy.apache.org/docs/latest/rest-api.html#get-sessions (Livy 0.8: {from, total, sessions[]}, no authentication)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/sessions',
          status: 401,
          headers: { 'www-authenticate': 'Negotiate', 'content-type': 'text/html;charset=iso-8859-1' },
          body: '<html><body><h2>HTTP ERROR 401 Authentication required</h2></body></html>',
          source:
            'https://github.com/apache/incubator-livy/blob/master/conf/livy.conf.template (Livy 0.8, livy.server.auth.type = kerberos: Hadoop AuthenticationFilter answers 401 Negotiate)',
        },
      ],
    },
  },
});
