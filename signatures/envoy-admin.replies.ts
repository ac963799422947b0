import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Envoy admin docs (/server_info, ServerInfo proto) and the RBAC filter denial text';

export default defineReplies({
  signature: 'envoy-admin',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.28.0',
      replies: [
        {
          path: '/server_info',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            version: '093e2ffe046313242144d0431f1bb5cf18d82544/1.28.0/Clean/RELEASE/BoringSSL',
            state: 'LIVE',
            hot_restart_version: '11.104',
            command_line_options: {
              base_id: '0',
              concurrency: 4,
              config_path: '/etc/envoy/envoy.yaml',
              log_level: 'info',
              service_cluster: 'front-proxy',
            },
            node: { id: 'front-envoy', cluster: 'front-proxy' },
            uptime_current_epoch: '401s',
            uptime_all_epochs: '401s',
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/server_info',
          status: 403,
          headers: { 'content-type': 'text/plain' },
          body: 'RBAC: access denied',
          source,
        },
      ],
    },
  },
});
