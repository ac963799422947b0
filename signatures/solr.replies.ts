import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Solr CoreAdmin API docs (action=STATUS) and BasicAuthPlugin docs (401, WWW-Authenticate: Basic realm="solr")';

export default defineReplies({
  signature: 'solr',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/solr/admin/cores?action=STATUS&wt=json',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            responseHeader: { status: 0, QTime: 2 },
            initFailures: {},
            status: {
              products: {
                name: 'products',
                instanceDir: '/var/solr/data/products',
                index: { numDocs: 46, maxDoc: 46, sizeInBytes: 51234 },
              },
            },
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/solr/admin/cores?action=STATUS&wt=json',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="solr"', 'content-type': 'text/html;charset=iso-8859-1' },
          body: '<html><head><title>Error 401 require authentication</title></head></html>',
          source,
        },
      ],
    },
  },
});
