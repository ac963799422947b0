import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Redis Insight 2 (5540; the desktop build listens on 127.0.0.1). The self-hosted web build has no login:
 * `GET /api/info` names the build (`appVersion`, `buildType`) and `GET /api/databases` lists the saved Redis
 * connections — each one a full Redis session (browser, CLI, workbench) for whoever opens the UI.
 */
export default defineSignature({
  id: 'redisinsight',
  product: 'Redis Insight',
  category: 'store admin UI',
  neverSends:
    'key reads, the CLI and workbench (/api/databases/*/cli, /workbench), connection tests, database exports (/api/databases/export), any write',
  defaultPorts: [5540, 8001],
  requests: [
    { id: 'info', method: 'GET', path: '/api/info' },
    { id: 'databases', method: 'GET', path: '/api/databases' },
  ],
  positive: [
    {
      on: 'databases',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/^\s*\[\s*(\]\s*$|\{[^]*"connectionType")/],
      shows: 'the saved Redis connections without credentials: each opens a full Redis session (keys, CLI) for anyone',
    },
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: ['appVersion', 'buildType'],
      shows: 'build information (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    { on: 'databases', status: [401, 403], shows: '401/403 from a proxy in front of Redis Insight (it has no login of its own)' },
    { on: 'databases', status: [302, 303], redirect: /login|oauth|auth/i, shows: 'redirect to a login page (an auth proxy)' },
  ],
  measure: [{ id: 'databases', kind: 'database', request: { method: 'GET', path: '/api/databases' }, list: '', name: 'name' }],
  severity: 'critical',
  exposure: 'anyone can open every saved Redis connection: read and change all keys and run any command through the CLI',
  remediation:
    'Never publish Redis Insight on a shared network: keep it on 127.0.0.1 or behind an authenticating proxy, and store connections without saved passwords.',
  references: [
    'https://redis.io/docs/latest/operate/redisinsight/install/install-on-docker/',
    'https://github.com/RedisInsight/RedisInsight/blob/main/redisinsight/api/src/modules/database/database.controller.ts',
  ],
  extract(r) {
    const dbs = r.databases?.status === 200 ? r.databases.json() : undefined;
    return compact({ version: str(r.info?.json(), 'appVersion'), connections: Array.isArray(dbs) ? dbs.length : undefined });
  },
});
