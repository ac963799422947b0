import { compact, defineSignature } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'flower',
  product: 'Celery Flower',
  defaultPorts: [5555],
  requests: [
    { id: 'workers', method: 'GET', path: '/api/workers' },
    { id: 'dashboard', method: 'GET', path: '/' },
  ],
  positive: [
    {
      on: 'workers',
      status: [200],
      contentType: /json/i,
      jsonType: 'object',
      // A worker key such as "celery@host": linear (no `@` in the first run, so it cannot backtrack over `@@@…`).
      body: [/"[^"@]+@[^"]+"\s*:\s*\{/],
      bodyAny: ['"stats"', '"active_queues"', '"registered"', '"conf"'],
      shows: 'the workers API: worker names, queues, registered tasks and configuration',
    },
    {
      on: 'dashboard',
      status: [200],
      contentType: /html/i,
      body: [/<title>\s*Flower\s*<\/title>/i],
      bodyAny: [/Workers/, /Broker/],
      shows: 'the Flower dashboard without login: task arguments and results, and buttons to revoke or terminate tasks',
    },
  ],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (--basic-auth)' },
    { status: [302, 303], redirect: /\/login/, shows: 'redirect to /login (OAuth)' },
  ],
  severity: 'high',
  exposure: 'reads task arguments and results (often credentials or personal data) and can revoke tasks, shut down or resize worker pools',
  remediation:
    'Run Flower with --basic-auth or an OAuth provider (--auth), bind it to 127.0.0.1 (--address), and put it behind an authenticating proxy.',
  references: ['https://flower.readthedocs.io/en/latest/api.html', 'https://flower.readthedocs.io/en/latest/auth.html'],
  extract(r) {
    const b = r.workers?.status === 200 ? r.workers.json() : undefined;
    return compact({ workers: b && typeof b === 'object' && !Array.isArray(b) ? Object.keys(b).length : undefined });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'workers' && b && typeof b === 'object')
      return `${reply.status} ${Object.keys(b).length} workers (details not shown)`;
    return `${reply.status} Flower dashboard page`;
  },
});
