import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'etcd',
  cases: {
    exposed: {
      expect: 'exposed',
      version: /^3\.\d+\.\d+/,
      fallback: {
        status: 404,
        headers: {
          'access-control-allow-headers': 'accept, content-type, authorization',
          'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
          'access-control-allow-origin': '*',
          'content-type': 'text/plain; charset=utf-8',
          'x-content-type-options': 'nosniff',
        },
        body: `404 page not found
`,
        source: 'recorded from the real server: Debian etcd (scripts/servers, open variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'etcd', variant: 'open', port: 2379 },
      replies: [
        {
          path: '/version',
          status: 200,
          headers: {
            'access-control-allow-headers': 'accept, content-type, authorization',
            'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
            'access-control-allow-origin': '*',
            'content-type': 'application/json',
          },
          body: { etcdserver: '3.4.23', etcdcluster: '3.4.0' },
          source: 'recorded from the real server: Debian etcd (scripts/servers, open variant), 2026-12-01',
        },
        {
          method: 'POST',
          path: '/v3/kv/range',
          status: 200,
          headers: {
            'access-control-allow-headers': 'accept, content-type, authorization',
            'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
            'access-control-allow-origin': '*',
            'content-type': 'application/json',
            'grpc-metadata-content-type': 'application/grpc',
          },
          body: {
            header: {
              cluster_id: '3304088959795871794',
              member_id: '15547331906920441877',
              revision: '1',
              raft_term: '2',
            },
          },
          source: 'recorded from the real server: Debian etcd (scripts/servers, open variant), 2026-12-01',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 404,
        headers: {
          'access-control-allow-headers': 'accept, content-type, authorization',
          'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
          'access-control-allow-origin': '*',
          'content-type': 'text/plain; charset=utf-8',
          'x-content-type-options': 'nosniff',
        },
        body: `404 page not found
`,
        source:
          'recorded from the real server: Debian etcd (scripts/servers, protected variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'etcd', variant: 'protected', port: 2379 },
      replies: [
        {
          path: '/version',
          status: 200,
          headers: {
            'access-control-allow-headers': 'accept, content-type, authorization',
            'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
            'access-control-allow-origin': '*',
            'content-type': 'application/json',
          },
          body: { etcdserver: '3.4.23', etcdcluster: '3.4.0' },
          source: 'recorded from the real server: Debian etcd (scripts/servers, protected variant), 2026-12-01',
        },
        {
          method: 'POST',
          path: '/v3/kv/range',
          status: 400,
          headers: {
            'access-control-allow-headers': 'accept, content-type, authorization',
            'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
            'access-control-allow-origin': '*',
            'content-type': 'application/json',
            trailer: 'Grpc-Trailer-Content-Type',
          },
          body: { error: 'etcdserver: user name is empty', message: 'etcdserver: user name is empty', code: 3 },
          source: 'recorded from the real server: Debian etcd (scripts/servers, protected variant), 2026-12-01',
        },
      ],
    },
  },
});
