import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'couchdb',
  product: 'Apache CouchDB',
  defaultPorts: [5984],
  requests: [
    { id: 'welcome', method: 'GET', path: '/' },
    { id: 'all-dbs', method: 'GET', path: '/_all_dbs?limit=1000' },
  ],
  positive: [
    {
      on: 'all-dbs',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      headers: { server: /CouchDB/i },
      shows: 'the database list without credentials ("admin party" or admin_only_all_dbs off)',
    },
    {
      on: 'welcome',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'couchdb', equals: 'Welcome' }, 'version'],
      shows: 'welcome document with the version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'all-dbs',
      status: [401, 403],
      contentType: /json/i,
      body: [/"error"\s*:\s*"(unauthorized|forbidden)"/],
      shows: '401 {"error":"unauthorized","reason":"You are not a server admin."}',
      identifies: true,
    },
  ],
  // What anyone can read: the database names, then (capped at 20) each database's document count and size.
  // GET /{db} answers without credentials whenever the database has no _security members (the default).
  measure: [
    {
      id: 'databases',
      kind: 'database',
      request: { method: 'GET', path: '/_all_dbs?limit=1000' },
      list: '',
      each: { path: '/{name}', rows: 'doc_count', bytes: 'sizes.active|sizes.file', max: 20 },
    },
  ],
  severity: 'high',
  exposure: 'lists databases without credentials; databases without _security members are readable (and often writable) by anyone',
  remediation:
    'Create a server admin (CouchDB 3 refuses to start without one), keep [chttpd] admin_only_all_dbs = true, give every database a _security object with members, and bind to 127.0.0.1 or a private interface.',
  references: [
    'https://docs.couchdb.org/en/stable/api/server/common.html#all-dbs',
    'https://docs.couchdb.org/en/stable/api/database/common.html#get--db',
    'https://docs.couchdb.org/en/stable/intro/security.html',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/apache/apache-couchdb-unauth.yaml',
  ],
  extract(r) {
    const dbs = r['all-dbs']?.status === 200 ? r['all-dbs'].json() : undefined;
    return compact({
      version: str(r.welcome?.json(), 'version'),
      databases: Array.isArray(dbs) ? dbs.length : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'all-dbs')
      return `${reply.status} ${Array.isArray(b) ? b.length : '?'} databases: ${Array.isArray(b) ? b.slice(0, 10).map(String).join(', ') : ''}`;
    return `${reply.status} couchdb=Welcome version=${str(b, 'version') ?? '?'}`;
  },
});
