import { defineReplies } from '../src/http-catalog/replies.js';

// Apache CouchDB 3.x, replies shaped after the API reference examples (documented bodies, own database names).
const server = 'CouchDB/3.3.3 (Erlang OTP/24)';
const welcomeSource = 'https://docs.couchdb.org/en/stable/api/server/common.html#get-- (CouchDB 3.3: GET / welcome document)';
const allDbsSource = 'https://docs.couchdb.org/en/stable/api/server/common.html#all-dbs (CouchDB 3.3: GET /_all_dbs, JSON array of names)';
const dbSource = 'https://docs.couchdb.org/en/stable/api/database/common.html#get--db (CouchDB 3.3: GET /{db} database information)';
const notFound = {
  status: 404,
  headers: { 'content-type': 'application/json', server },
  body: { error: 'not_found', reason: 'Database does not exist.' },
  source: 'https://docs.couchdb.org/en/stable/api/database/common.html#get--db (CouchDB 3.3: 404 Not Found for a missing database)',
};
const welcome = {
  path: '/',
  status: 200,
  headers: { 'content-type': 'application/json', server },
  body: {
    couchdb: 'Welcome',
    version: '3.3.3',
    git_sha: '40afbcfc7',
    uuid: '9f3c1a0e4b5d6e7f8091a2b3c4d5e6f7',
    features: ['access-ready', 'partitioned', 'pluggable-storage-engines', 'reshard', 'scheduler'],
    vendor: { name: 'The Apache Software Foundation' },
  },
  source: welcomeSource,
};
const db = (name: string, docs: number, active: number, file: number) => ({
  path: `/${name}`,
  status: 200,
  headers: { 'content-type': 'application/json', server },
  body: {
    cluster: { n: 1, q: 2, r: 1, w: 1 },
    compact_running: false,
    db_name: name,
    disk_format_version: 8,
    doc_count: docs,
    doc_del_count: 3,
    instance_start_time: '0',
    props: {},
    purge_seq:
      '0-g1AAAABPeJzLYWBgYMpgTmHgz8tPSTV0MDQy1zMAQsMcoARTIkOS_P___7MSGfAoSVIAkkn2IEWJDPjUOYDUxYPUMeJTlwBSV4_XrDwWIMnQAKSAyuYTr24BRN1-YtQdgKi7T4y6BxB1IPdlAQC1vmGE',
    sizes: { active: active, external: active - 1024, file },
    update_seq:
      '12-g1AAAABPeJzLYWBgYMpgTmHgz8tPSTV0MDQy1zMAQsMcoARTIkOS_P___7MSGfAoSVIAkkn2IEWJDPjUOYDUxYPUMeJTlwBSV4_XrDwWIMnQAKSAyuYTr24BRN1-YtQdgKi7T4y6BxB1IPdlAQCziWGE',
  },
  source: dbSource,
});

export default defineReplies({
  signature: 'couchdb',
  cases: {
    // "Admin party" or admin_only_all_dbs = false with databases lacking _security members: names and sizes readable.
    exposed: {
      expect: 'exposed',
      version: '3.3.3',
      data: { items: 4 },
      fallback: notFound,
      replies: [
        welcome,
        {
          path: '/_all_dbs?limit=1000',
          status: 200,
          headers: { 'content-type': 'application/json', server },
          body: ['_replicator', '_users', 'orders', 'sessions'],
          source: allDbsSource,
        },
        db('_replicator', 0, 2316, 33080),
        db('_users', 2, 5610, 49424),
        db('orders', 61428, 48213312, 65339588),
        db('sessions', 1204, 907264, 1409232),
      ],
    },
    // CouchDB 3 default: an admin exists and [chttpd] admin_only_all_dbs = true.
    secured: {
      expect: 'auth-required',
      fallback: notFound,
      replies: [
        welcome,
        {
          path: '/_all_dbs?limit=1000',
          status: 401,
          headers: { 'content-type': 'application/json', server },
          body: { error: 'unauthorized', reason: 'You are not a server admin.' },
          source:
            'https://docs.couchdb.org/en/stable/config/http.html#chttpd/admin_only_all_dbs (CouchDB 3.x: /_all_dbs is admin-only by default; 401 body as in https://docs.couchdb.org/en/stable/api/basics.html#http-status-codes)',
        },
      ],
    },
    // The list is readable, but every database has _security members: names only, no counts.
    'names-only': {
      expect: 'exposed',
      version: '3.3.3',
      data: { items: 2 },
      fallback: notFound,
      replies: [
        welcome,
        {
          path: '/_all_dbs?limit=1000',
          status: 200,
          headers: { 'content-type': 'application/json', server },
          body: ['billing', 'crm'],
          source: allDbsSource,
        },
        ...['billing', 'crm'].map((name) => ({
          path: `/${name}`,
          status: 401,
          headers: { 'content-type': 'application/json', server },
          body: { error: 'unauthorized', reason: 'You are not authorized to access this db.' },
          source:
            'https://docs.couchdb.org/en/stable/api/database/security.html (CouchDB 3.x: a database with _security members refuses other readers)',
        })),
      ],
    },
  },
});
