import { defineSignature } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'elasticsearch-head',
  product: 'elasticsearch-head',
  defaultPorts: [9100, 9200],
  requests: [
    { id: 'root', method: 'GET', path: '/' },
    { id: 'plugin', method: 'GET', path: '/_plugin/head/' },
  ],
  positive: [
    {
      status: [200],
      contentType: /html/i,
      body: [/<title>\s*elasticsearch-head\s*<\/title>/i],
      shows: 'the elasticsearch-head UI: a browser console that reads, queries and deletes indices of the cluster it points at',
    },
  ],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (proxy in front of the UI)' },
    { status: [302, 303], redirect: /\/(login|oauth2|sso)/i, shows: 'redirect to a same-origin login' },
  ],
  severity: 'medium',
  exposure:
    'an admin console for Elasticsearch without a login of its own: anyone who reaches it drives the cluster with whatever access Elasticsearch allows',
  remediation:
    'Remove elasticsearch-head (unmaintained) or serve it only on localhost; secure Elasticsearch itself (xpack.security.enabled) so the console needs credentials.',
  references: [
    'https://github.com/mobz/elasticsearch-head',
    'https://www.elastic.co/guide/en/elasticsearch/reference/current/security-minimal-setup.html',
  ],
  summarize(reply) {
    return `${reply.status} <title>elasticsearch-head</title> at ${reply.request.replace(/^GET /, '')}`;
  },
});
