import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'envoy-admin',
  product: 'Envoy admin interface',
  defaultPorts: [9901, 15000],
  requests: [{ id: 'server-info', method: 'GET', path: '/server_info', maxBytes: 128 * 1024 }],
  positive: [
    {
      on: 'server-info',
      status: [200],
      contentType: /json/i,
      json: ['version', 'state', 'command_line_options'],
      shows: 'the admin interface: server info, and the same listener serves config_dump, clusters and shutdown (quitquitquit)',
    },
  ],
  auth: [
    {
      on: 'server-info',
      status: [401],
      headers: { 'www-authenticate': true },
      shows: '401 with WWW-Authenticate (proxy in front of the admin port)',
    },
    { on: 'server-info', status: [403], body: [/RBAC: access denied|forbidden/i], shows: '403 (RBAC or proxy)' },
  ],
  severity: 'high',
  exposure:
    'reads the full proxy configuration (config_dump, clusters) and lets anyone drain listeners, change log levels or shut the proxy down',
  remediation:
    'Bind the admin listener to 127.0.0.1 (admin.address.socket_address) or a Unix socket, never to 0.0.0.0; Envoy has no authentication on this port.',
  references: [
    'https://www.envoyproxy.io/docs/envoy/latest/operations/admin',
    'https://www.envoyproxy.io/docs/envoy/latest/api-v3/admin/v3/server_info.proto',
  ],
  extract(r) {
    const b = r['server-info']?.json();
    const full = str(b, 'version', 200);
    // "<sha>/1.15.0-dev/Clean/RELEASE/BoringSSL" or "1.30.0"
    const version = full?.split('/').find((p) => /^\d+\.\d+/.test(p)) ?? full;
    return compact({ version, buildVersion: full, state: str(b, 'state'), serviceCluster: str(b, 'command_line_options.service_cluster') });
  },
  summarize(reply) {
    const b = reply.json();
    return `${reply.status} version=${str(b, 'version', 120) ?? '?'} state=${str(b, 'state') ?? '?'}`;
  },
});
