import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Vault API docs (/sys/health: unauthenticated by design; /sys/mounts needs a token: 403 permission denied)';

export default defineReplies({
  signature: 'vault',
  cases: {
    exposed: {
      expect: 'not-detected',
      version: '1.15.2',
      replies: [
        {
          path: '/v1/sys/health',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            initialized: true,
            sealed: false,
            standby: false,
            performance_standby: false,
            replication_performance_mode: 'disabled',
            replication_dr_mode: 'disabled',
            server_time_utc: 1767225600,
            version: '1.15.2',
            cluster_name: 'vault-cluster-a1b2c3d4',
            cluster_id: '5e6f7a8b',
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: { errors: [] },
        source,
      },
      replies: [
        {
          path: '/v1/sys/health',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            initialized: true,
            sealed: false,
            standby: false,
            server_time_utc: 1767225600,
            version: '1.15.2',
            cluster_name: 'vault-cluster-a1b2c3d4',
          },
          source,
        },
        {
          path: '/v1/sys/mounts',
          status: 403,
          headers: { 'content-type': 'application/json' },
          body: { errors: ['permission denied'] },
          source,
        },
      ],
    },
  },
});
