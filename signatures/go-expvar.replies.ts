import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Go expvar package docs (/debug/vars JSON with cmdline and memstats); secured = a 401 middleware on /debug/';

export default defineReplies({
  signature: 'go-expvar',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/debug/vars',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            cmdline: ['/usr/local/bin/api', '-db-password=hunter2'],
            memstats: { Alloc: 1843200, TotalAlloc: 5120000, Sys: 12582912, NumGC: 7 },
            requests: 1042,
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/debug/vars',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="debug"', 'content-type': 'text/plain; charset=utf-8' },
          body: `Unauthorized
`,
          source,
        },
      ],
    },
  },
});
