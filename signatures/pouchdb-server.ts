import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * PouchDB Server / express-pouchdb (4.x): a CouchDB-compatible API that sends no `Server: CouchDB` header (so the
 * couchdb signature does not claim it). Welcome `GET /` → `{"express-pouchdb":"Welcome!","version":…}` and
 * `GET /_all_dbs` → the database names, both as text/plain, both public in every configuration: express-pouchdb 4.2
 * guards only /_config, /_log, /_active_tasks and /_db_updates with server-admin rights (lib/routes/authorization.js)
 * and has no require_valid_user. With no admins configured ("admin party") `GET /_session` says anonymous has the
 * `_admin` role (pouchdb-auth lib/sessionapi.js). A real CouchDB (Server header) is vetoed here.
 * Never sent: PUT/POST/DELETE, `_config`, `_replicate`, `_bulk_docs`.
 */
const notCouchDb = { headers: { server: /CouchDB/i } };

export default defineSignature({
  id: 'pouchdb-server',
  product: 'PouchDB Server (express-pouchdb)',
  defaultPorts: [5984],
  requests: [
    { id: 'welcome', method: 'GET', path: '/' },
    { id: 'session', method: 'GET', path: '/_session' },
    { id: 'all-dbs', method: 'GET', path: '/_all_dbs' },
  ],
  positive: [
    {
      on: 'session',
      status: [200],
      json: [{ path: 'ok', equals: true }, { path: 'userCtx.roles.0', equals: '_admin' }, 'info.authentication_db'],
      shows: '"admin party": anonymous requests have the _admin role (every database and the configuration are writable)',
    },
    {
      on: 'all-dbs',
      status: [200],
      jsonType: 'array',
      headers: { 'x-powered-by': /Express/i },
      body: [/^\s*\[[^\]]{0,4000}"_(users|replicator)"/],
      shows: 'the database list without credentials (express-pouchdb serves /_all_dbs to everyone)',
    },
    {
      on: 'welcome',
      status: [200],
      json: [{ path: 'express-pouchdb', equals: 'Welcome!' }, 'version'],
      shows: 'welcome document with the version (public by design)',
      publicByDesign: true,
    },
  ],
  negative: [notCouchDb],
  auth: [
    {
      on: ['all-dbs', 'session'],
      status: [401],
      json: [{ path: 'error', equals: 'unauthorized' }],
      headers: { 'x-powered-by': /Express/i },
      shows: '401 {"error":"unauthorized",…} from express-pouchdb',
      identifies: true,
    },
    {
      on: ['welcome', 'all-dbs'],
      status: [401, 403],
      headers: { 'www-authenticate': /^(Basic|Bearer|Digest)\b/i },
      shows: '401 with WWW-Authenticate from an authenticating proxy in front of PouchDB Server',
    },
  ],
  measure: [
    {
      id: 'databases',
      kind: 'database',
      request: { method: 'GET', path: '/_all_dbs' },
      list: '',
      each: { path: '/{name}', rows: 'doc_count', max: 20 },
    },
  ],
  severity: 'high',
  exposure:
    'anyone can list the databases and read (and usually write) every database without _security members; in "admin party" also change the server configuration',
  remediation:
    'Configure server admins, give every database a _security object with members, and put PouchDB Server behind an authenticating proxy on a private interface (express-pouchdb always serves /_all_dbs).',
  references: [
    'https://github.com/pouchdb/pouchdb-server#readme',
    'https://github.com/pouchdb/pouchdb-server/blob/master/packages/node_modules/express-pouchdb/lib/routes/authorization.js',
    'https://github.com/pouchdb/pouchdb-server/blob/master/packages/node_modules/pouchdb-auth/lib/sessionapi.js',
  ],
  extract(r) {
    const dbs = r['all-dbs']?.status === 200 ? r['all-dbs'].json() : undefined;
    const roles =
      r.session?.status === 200 ? (r.session.json() as { userCtx?: { roles?: unknown } } | undefined)?.userCtx?.roles : undefined;
    return compact({
      version: str(r.welcome?.json(), 'version'),
      adapters: str(r.welcome?.json(), 'pouchdb-adapters.0'),
      databases: Array.isArray(dbs) ? dbs.length : undefined,
      adminParty: Array.isArray(roles) ? roles.includes('_admin') : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'all-dbs') return `${reply.status} ${Array.isArray(b) ? b.length : '?'} databases`;
    if (reply.requestId === 'session')
      return `${reply.status} anonymous roles: ${JSON.stringify((b as { userCtx?: { roles?: unknown } })?.userCtx?.roles ?? null).slice(0, 60)}`;
    return `${reply.status} express-pouchdb=Welcome! version=${str(b, 'version') ?? '?'}`;
  },
});
