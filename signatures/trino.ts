import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Trino / Presto coordinator (8080). `GET /v1/info` is `@ResourceSecurity(PUBLIC)` (ServerInfoResource.java): it
 * identifies, never proves. `GET /v1/query` is guarded: without an authenticator Trino trusts the user header (any
 * name), so a 200 array of queries proves access; an authenticator answers 401 with WWW-Authenticate.
 * The user header names this tool; nothing is ever run (POST /v1/statement is never sent).
 */
export default defineSignature({
  id: 'trino',
  product: 'Trino / Presto',
  category: 'query engine / notebook',
  neverSends: 'POST /v1/statement (runs SQL), PUT /v1/info/state (shutdown), DELETE /v1/query/*, query detail pages',
  defaultPorts: [8080],
  requests: [
    { id: 'info', method: 'GET', path: '/v1/info' },
    {
      id: 'queries',
      method: 'GET',
      path: '/v1/query',
      headers: { 'x-trino-user': 'exposure-audit', 'x-presto-user': 'exposure-audit' },
    },
  ],
  // Asked only where `/` redirects to the web UI, as Trino and Presto do (WebUiStaticResource: 303 to /ui/).
  identify: { landing: [{ headers: { location: /^(https?:\/\/[^/]+)?\/ui\/?$/ } }] },
  positive: [
    {
      on: 'queries',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/^\s*\[\s*(\]\s*$|\{[^]*"queryId")/],
      shows: "the query list with any user name: SQL can be run against every catalog with the server's credentials",
    },
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: ['nodeVersion.version', 'coordinator'],
      shows: 'server info (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'queries',
      status: [401],
      headers: { 'www-authenticate': /Basic|Bearer|Negotiate/i },
      shows: '401 with WWW-Authenticate (password, JWT, OAuth 2 or Kerberos authenticator)',
    },
    { on: 'queries', status: [403], body: [/Access Denied/i], shows: '403 Access Denied (access control)', identifies: true },
  ],
  measure: [{ id: 'queries', kind: 'job', request: { method: 'GET', path: '/v1/query' }, list: '', name: 'queryId' }],
  severity: 'high',
  exposure: "anyone can run SQL against every configured catalog (databases, Hive/S3 lakes) with the server's credentials",
  remediation:
    'Configure an authenticator (http-server.authentication.type: PASSWORD, JWT, OAUTH2 or KERBEROS) over HTTPS, add access control rules, and keep the coordinator on a private network.',
  references: [
    'https://github.com/trinodb/trino/blob/master/core/trino-main/src/main/java/io/trino/server/ServerInfoResource.java',
    'https://trino.io/docs/current/security/authentication-types.html',
    'https://trino.io/docs/current/develop/client-protocol.html',
  ],
  extract(r) {
    const queries = r.queries?.status === 200 ? r.queries.json() : undefined;
    return compact({
      version: str(r.info?.json(), 'nodeVersion.version'),
      environment: str(r.info?.json(), 'environment'),
      coordinator: jsonAt(r.info?.json(), 'coordinator') === true ? true : undefined,
      queries: Array.isArray(queries) ? queries.length : undefined,
    });
  },
});
