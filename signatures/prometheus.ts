import { compact, defineSignature, jsonAt, scanLimit, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'prometheus',
  product: 'Prometheus',
  defaultPorts: [9090],
  requests: [
    { id: 'buildinfo', method: 'GET', path: '/api/v1/status/buildinfo' },
    { id: 'config', method: 'GET', path: '/api/v1/status/config' },
    { id: 'targets', method: 'GET', path: '/api/v1/targets?state=active', maxBytes: 64 * 1024 },
  ],
  positive: [
    {
      on: 'config',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'status', equals: 'success' }, 'data.yaml'],
      shows: 'the running configuration (scrape jobs, targets, remote-write endpoints; secrets appear as <secret>)',
      severity: 'medium',
    },
    {
      on: 'targets',
      status: [200],
      contentType: /json/i,
      body: ['"status":"success"', '"activeTargets"'],
      shows: 'every scrape target: the internal hosts, ports and labels Prometheus monitors',
      severity: 'medium',
    },
    {
      on: 'buildinfo',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'status', equals: 'success' }, 'data.version', 'data.goVersion'],
      shows: 'build information; the whole HTTP API (queries over every metric) answers without credentials',
      severity: 'medium',
    },
  ],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (web.config.file basic_auth_users)' },
    { status: [302, 303, 307], redirect: /\/(login|oauth2|sso)/i, shows: 'redirect to a same-origin login page (auth proxy)' },
  ],
  severity: 'medium',
  exposure:
    'anyone can query every metric, read the configuration and the target list (internal topology), and use the admin APIs if enabled',
  remediation:
    'Enable basic auth or TLS client certificates with --web.config.file, or put Prometheus behind an authenticating proxy; always pass --web.listen-address on a private interface (the default is 0.0.0.0:9090).',
  references: [
    'https://prometheus.io/docs/prometheus/latest/querying/api/',
    'https://prometheus.io/docs/prometheus/latest/configuration/https/',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/prometheus/prometheus-unauth.yaml',
  ],
  extract(r) {
    const yaml = str(r.config?.json(), 'data.yaml', 1_000_000);
    const targets = r.targets?.text.match(/"scrapeUrl"/g)?.length;
    return compact({
      version: str(r.buildinfo?.json(), 'data.version'),
      goVersion: str(r.buildinfo?.json(), 'data.goVersion'),
      configLines: yaml ? yaml.split('\n').length : undefined,
      scrapeJobs: yaml ? (yaml.slice(0, scanLimit).match(/^[ \t]*- job_name:/gm)?.length ?? 0) : undefined,
      activeTargets: targets,
    });
  },
  summarize(reply) {
    const body = reply.json();
    if (reply.requestId === 'config') {
      const yaml = str(body, 'data.yaml', 1_000_000) ?? '';
      return `${reply.status} status=success; configuration YAML of ${yaml.split('\n').length} lines (not shown)`;
    }
    if (reply.requestId === 'targets')
      return `${reply.status} status=success; ${reply.text.match(/"scrapeUrl"/g)?.length ?? 0} active targets (not shown)`;
    return `${reply.status} status=success; version ${String(jsonAt(body, 'data.version') ?? '?')}`;
  },
});
