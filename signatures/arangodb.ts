import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * ArangoDB (8529). With authentication on (the default; `--server.authentication false` or ARANGO_NO_AUTH=1 turns it
 * off) every API answers 401 `{"code":401,"error":true,"errorMessage":"not authorized to execute this request",
 * "errorNum":11}`; without it `GET /_api/version` names the server (`"server":"arango"`) and the database list is open.
 */
export default defineSignature({
  id: 'arangodb',
  product: 'ArangoDB',
  category: 'search engine',
  neverSends:
    'AQL cursors (/_api/cursor), document and collection reads or writes, Foxx service installs (/_api/foxx), /_admin/execute, user management',
  defaultPorts: [8529],
  requests: [
    { id: 'version', method: 'GET', path: '/_api/version' },
    { id: 'databases', method: 'GET', path: '/_api/database/user' },
  ],
  positive: [
    {
      on: 'databases',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'error', equals: false }, 'result'],
      headers: { server: /ArangoDB/i },
      shows: 'the database list without credentials: every collection is readable and writable, and Foxx services run JavaScript',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'server', equals: 'arango' }, 'version'],
      shows: 'server version without credentials (authentication is off)',
    },
  ],
  auth: [
    {
      on: ['version', 'databases'],
      status: [401],
      body: [/"errorNum"\s*:\s*11\b/],
      shows: '401 errorNum 11 "not authorized to execute this request"',
      identifies: true,
    },
  ],
  measure: [{ id: 'databases', kind: 'database', request: { method: 'GET', path: '/_api/database/user' }, list: 'result' }],
  severity: 'critical',
  exposure: 'anyone can read and write every database, and install Foxx services (server-side JavaScript)',
  remediation:
    'Keep authentication on (never --server.authentication false or ARANGO_NO_AUTH), set a root password (ARANGO_ROOT_PASSWORD), and bind to a private interface.',
  references: [
    'https://docs.arangodb.com/stable/develop/http-api/administration/#get-the-server-version',
    'https://docs.arangodb.com/stable/develop/http-api/databases/#list-the-accessible-databases',
    'https://docs.arangodb.com/stable/operations/security/',
  ],
  extract(r) {
    const dbs = jsonAt(r.databases?.status === 200 ? r.databases.json() : undefined, 'result');
    return compact({ version: str(r.version?.json(), 'version'), databases: Array.isArray(dbs) ? dbs.length : undefined });
  },
});
