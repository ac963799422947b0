import { compact, defineSignature, describeJson, jsonAt } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'go-expvar',
  product: 'Go expvar',
  defaultPorts: [6060],
  requests: [{ id: 'vars', method: 'GET', path: '/debug/vars', maxBytes: 128 * 1024 }],
  positive: [
    {
      on: 'vars',
      status: [200],
      contentType: /json/i,
      json: ['cmdline', 'memstats.Alloc'],
      shows: 'exported variables with the command line (flags often carry passwords or tokens) and memory statistics',
    },
  ],
  auth: [
    { on: 'vars', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate' },
    { on: 'vars', status: [403], body: [/forbidden/i], shows: '403 Forbidden' },
  ],
  severity: 'medium',
  exposure: 'reads the process command line (secrets passed as flags) and internal counters',
  remediation:
    'Do not register expvar on a public listener (importing expvar adds /debug/vars to http.DefaultServeMux); serve it on 127.0.0.1 only, and never pass secrets as flags.',
  references: ['https://pkg.go.dev/expvar'],
  extract(r) {
    const b = r.vars?.json();
    const cmd = jsonAt(b, 'cmdline');
    return compact({
      cmdlineArgs: Array.isArray(cmd) ? cmd.length : undefined,
      vars: b && typeof b === 'object' ? Object.keys(b).length : undefined,
    });
  },
  summarize(reply) {
    // Never the command line itself: it is where the secrets are.
    return `${reply.status} ${describeJson(reply.json()) ?? 'JSON'} (values not shown)`;
  },
});
