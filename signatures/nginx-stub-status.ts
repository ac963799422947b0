import { capture, compact, defineSignature } from '../src/http-catalog/signature.js';

const stub = /Active connections:\s*\d+\s*\nserver accepts handled requests\s*\n\s*\d+\s+\d+\s+\d+/;

export default defineSignature({
  id: 'nginx-stub-status',
  product: 'nginx (stub_status)',
  defaultPorts: [80, 443, 8080],
  tlsPorts: [443],
  requests: [
    { id: 'nginx-status', method: 'GET', path: '/nginx_status' },
    { id: 'nginx-status-dash', method: 'GET', path: '/nginx-status' },
    { id: 'basic-status', method: 'GET', path: '/basic_status' },
  ],
  positive: [{ status: [200], body: [stub], shows: 'connection and request counters (stub_status)' }],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (auth_basic)' },
    { status: [403], body: [/<center>nginx(\/[\d.]+)?<\/center>/], shows: '403 from nginx (allow/deny)' },
  ],
  // A location of any nginx, also behind other proxies that rewrite the Server header: always asked.
  identify: 'behind-path',
  severity: 'low',
  exposure: 'shows live connection and request counters: traffic levels and that nginx is the front end',
  remediation:
    'Restrict the stub_status location with `allow 127.0.0.1; deny all;` (or auth_basic), or serve it only on a loopback listener.',
  references: [
    'https://nginx.org/en/docs/http/ngx_http_stub_status_module.html',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/nginx/nginx-status.yaml',
  ],
  extract(r) {
    const reply = r['nginx-status'] ?? r['nginx-status-dash'] ?? r['basic-status'];
    return compact({
      version: capture(reply?.headers.server, /^nginx\/([\d.]+)/),
      activeConnections: capture(reply?.text, /Active connections:\s*(\d+)/),
    });
  },
  summarize(reply) {
    return `${reply.status} ${reply.text.replace(/\s+/g, ' ').trim().slice(0, 160)}`;
  },
});
