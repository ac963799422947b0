import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'CouchDB 3.3 API reference (GET /, GET /_all_dbs, 401 "You are not a server admin.")';

export default defineReplies({
  signature: 'couchdb',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.3.3',
      fallback: {
        status: 404,
        headers: { 'content-type': 'application/json', server: 'CouchDB/3.3.3 (Erlang OTP/24)' },
        body: { error: 'not_found', reason: 'Database does not exist.' },
        source,
      },
      replies: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'application/json', server: 'CouchDB/3.3.3 (Erlang OTP/24)' },
          body: {
            couchdb: 'Welcome',
            version: '3.3.3',
            git_sha: '40afbcfc7',
            uuid: '9f3c1a0e',
            features: ['access-ready', 'scheduler'],
            vendor: { name: 'The Apache Software Foundation' },
          },
          source,
        },
        {
          path: '/_all_dbs?limit=1000',
          status: 200,
          headers: { 'content-type': 'application/json', server: 'CouchDB/3.3.3 (Erlang OTP/24)' },
          body: ['_replicator', '_users', 'orders', 'sessions'],
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 404,
        headers: { 'content-type': 'application/json', server: 'CouchDB/3.3.3 (Erlang OTP/24)' },
        body: { error: 'not_found', reason: 'Database does not exist.' },
        source,
      },
      replies: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'application/json', server: 'CouchDB/3.3.3 (Erlang OTP/24)' },
          body: {
            couchdb: 'Welcome',
            version: '3.3.3',
            git_sha: '40afbcfc7',
            uuid: '9f3c1a0e',
            features: ['access-ready'],
            vendor: { name: 'The Apache Software Foundation' },
          },
          source,
        },
        {
          path: '/_all_dbs?limit=1000',
          status: 401,
          headers: { 'content-type': 'application/json', server: 'CouchDB/3.3.3 (Erlang OTP/24)' },
          body: { error: 'unauthorized', reason: 'You are not a server admin.' },
          source,
        },
      ],
    },
  },
});
