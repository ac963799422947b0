import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Alertmanager api/v2/openapi.yaml (getStatus) and exporter-toolkit basic auth (401 on every path)';

export default defineReplies({
  signature: 'alertmanager',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.27.0',
      replies: [
        {
          path: '/api/v2/status',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            cluster: { name: '01HQ3V2Z8N', peers: [{ name: '01HQ3V2Z8N', address: '127.0.0.7:9094' }], status: 'ready' },
            config: {
              original: `global:
  resolve_timeout: 5m
  smtp_auth_password: 'hunter2'
route:
  receiver: team
receivers:
- name: team
`,
            },
            uptime: '2026-01-01T00:00:00.000Z',
            versionInfo: {
              branch: 'HEAD',
              buildDate: '20240228-11:51:20',
              buildUser: 'root@22cd11f671e9',
              goVersion: 'go1.21.7',
              revision: '0aa3c2a',
              version: '0.27.0',
            },
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      siteWide: true,
      fallback: {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="Alertmanager"', 'content-type': 'text/plain; charset=utf-8' },
        body: `Unauthorized
`,
        source,
      },
      replies: [],
    },
  },
});
