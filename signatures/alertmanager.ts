import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'alertmanager',
  product: 'Prometheus Alertmanager',
  defaultPorts: [9093],
  requests: [{ id: 'status', method: 'GET', path: '/api/v2/status', maxBytes: 128 * 1024 }],
  positive: [
    {
      on: 'status',
      status: [200],
      contentType: /json/i,
      json: ['versionInfo.version', 'config.original', 'cluster.status'],
      shows: 'status with the full configuration (receivers, SMTP and webhook settings); silences can be created by anyone',
    },
  ],
  auth: [
    {
      on: 'status',
      status: [401],
      headers: { 'www-authenticate': true },
      shows: '401 with WWW-Authenticate (web.config.file basic_auth_users)',
    },
    { on: 'status', status: [302, 303, 307], redirect: /\/(login|oauth2|sso)/i, shows: 'redirect to a same-origin login (auth proxy)' },
  ],
  severity: 'high',
  exposure: 'reads the configuration (receivers, webhook URLs, SMTP credentials unless marked secret) and lets anyone silence alerts',
  remediation:
    'Enable basic auth or mTLS with --web.config.file, or put Alertmanager behind an authenticating proxy; listen on a private interface (--web.listen-address).',
  references: [
    'https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml',
    'https://prometheus.io/docs/alerting/latest/https/',
  ],
  extract(r) {
    const b = r.status?.json();
    const original = str(b, 'config.original', 1_000_000);
    return compact({
      version: str(b, 'versionInfo.version'),
      cluster: str(b, 'cluster.status'),
      configLines: original ? original.split('\n').length : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    const original = str(b, 'config.original', 1_000_000) ?? '';
    return `${reply.status} version=${str(b, 'versionInfo.version') ?? '?'} cluster=${str(b, 'cluster.status') ?? '?'}; configuration of ${original.split('\n').length} lines (not shown)`;
  },
});
