import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'nginx-stub-status',
  cases: {
    exposed: {
      expect: 'exposed',
      version: /^1\.\d+\.\d+/,
      fallback: {
        status: 200,
        headers: { server: 'nginx/1.22.1', 'content-type': 'text/plain' },
        body: `nginx test server
`,
        source: 'recorded from the real server: Debian nginx (scripts/servers, open variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'nginx', variant: 'open', port: 8080 },
      replies: [
        {
          path: '/nginx_status',
          status: 200,
          headers: { server: 'nginx/1.22.1', 'content-type': 'text/plain' },
          body: `Active connections: 1 
server accepts handled requests
 2 2 2 
Reading: 0 Writing: 1 Waiting: 0 
`,
          source: 'recorded from the real server: Debian nginx (scripts/servers, open variant), 2026-12-01',
        },
        {
          path: '/nginx-status',
          status: 200,
          headers: { server: 'nginx/1.22.1', 'content-type': 'text/plain' },
          body: `nginx test server
`,
          source: 'recorded from the real server: Debian nginx (scripts/servers, open variant), 2026-12-01',
        },
        {
          path: '/basic_status',
          status: 200,
          headers: { server: 'nginx/1.22.1', 'content-type': 'text/plain' },
          body: `nginx test server
`,
          source: 'recorded from the real server: Debian nginx (scripts/servers, open variant), 2026-12-01',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 200,
        headers: { server: 'nginx/1.22.1', 'content-type': 'text/plain' },
        body: `nginx test server
`,
        source:
          'recorded from the real server: Debian nginx (scripts/servers, protected variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'nginx', variant: 'protected', port: 8080 },
      replies: [
        {
          path: '/nginx_status',
          status: 401,
          headers: { server: 'nginx/1.22.1', 'content-type': 'text/html', 'www-authenticate': 'Basic realm="status"' },
          body: '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
          source: 'recorded from the real server: Debian nginx (scripts/servers, protected variant), 2026-12-01',
        },
        {
          path: '/nginx-status',
          status: 200,
          headers: { server: 'nginx/1.22.1', 'content-type': 'text/plain' },
          body: `nginx test server
`,
          source: 'recorded from the real server: Debian nginx (scripts/servers, protected variant), 2026-12-01',
        },
        {
          path: '/basic_status',
          status: 200,
          headers: { server: 'nginx/1.22.1', 'content-type': 'text/plain' },
          body: `nginx test server
`,
          source: 'recorded from the real server: Debian nginx (scripts/servers, protected variant), 2026-12-01',
        },
      ],
    },
  },
});
