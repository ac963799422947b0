import { defineReplies } from '../src/http-catalog/replies.js';

// Recorded from pouchdb-server 4.2.0 (npm, Node 20, --in-memory) here; every reply is text/plain with
// X-Powered-By: Express and no Server header.
const rec = 'recorded from pouchdb-server 4.2.0 here';
const text = { 'content-type': 'text/plain; charset=utf-8', 'x-powered-by': 'Express' };
const welcome = {
  path: '/',
  status: 200,
  headers: text,
  body: {
    'express-pouchdb': 'Welcome!',
    version: '4.2.0',
    'pouchdb-adapters': ['memory'],
    vendor: { name: 'PouchDB authors', version: '4.2.0' },
    uuid: 'ade76172-e52f-479e-b610-fcf6db627a88',
  },
  source: `${rec} (GET /)`,
};
const allDbs = (names: string[]) => ({ path: '/_all_dbs', status: 200, headers: text, body: names, source: `${rec} (GET /_all_dbs)` });
const session = (roles: string[]) => ({
  path: '/_session',
  status: 200,
  headers: text,
  body: { ok: true, userCtx: { name: null, roles }, info: { authentication_handlers: ['cookie', 'default'], authentication_db: '_users' } },
  source: `${rec} (GET /_session as anonymous)`,
});
const db = (name: string, docs: number) => ({
  path: `/${name}`,
  status: 200,
  headers: text,
  body: {
    doc_count: docs,
    update_seq: docs,
    backend_adapter: 'MemDOWN',
    db_name: name,
    auto_compaction: false,
    adapter: 'memory',
    instance_start_time: '1796537166226',
  },
  source: `${rec} (GET /{db})`,
});
const notFound = {
  status: 404,
  headers: text,
  body: { error: 'not_found', reason: 'no_db_file' },
  source: `${rec} (any unknown path is read as a database name)`,
};

export default defineReplies({
  signature: 'pouchdb-server',
  cases: {
    // No admins configured ("admin party"): anonymous is _admin.
    exposed: {
      expect: 'exposed',
      version: '4.2.0',
      data: { items: 3 },
      fallback: notFound,
      real: { kind: 'pouchdb-server', variant: 'open', port: 5984 },
      replies: [
        welcome,
        session(['_admin']),
        allDbs(['_replicator', '_users', 'orders']),
        db('_replicator', 0),
        db('_users', 1),
        db('orders', 1),
      ],
    },
    // Admins configured: /_session says anonymous has no role, but /_all_dbs is still served to everyone.
    'admins-configured': {
      expect: 'exposed',
      version: '4.2.0',
      data: { items: 3 },
      fallback: notFound,
      real: { kind: 'pouchdb-server', variant: 'protected', port: 5984 },
      replies: [welcome, session([]), allDbs(['_replicator', '_users', 'orders']), db('_replicator', 0), db('_users', 1), db('orders', 1)],
    },
    // The way to secure it: an authenticating proxy in front (nginx auth_basic); nothing names the product.
    secured: {
      expect: 'auth-required',
      siteWide: true,
      fallback: {
        status: 401,
        headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="pouchdb"' },
        body: '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
        source:
          'nginx 1.22.1 auth_basic in front of pouchdb-server (the 401 page nginx sends, as recorded from the nginx test server here)',
      },
      replies: [],
    },
  },
});
