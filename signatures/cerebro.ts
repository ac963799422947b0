import { capture, compact, defineSignature } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'cerebro',
  product: 'Cerebro (Elasticsearch admin)',
  defaultPorts: [9000],
  requests: [{ id: 'root', method: 'GET', path: '/' }],
  positive: [
    {
      on: 'root',
      status: [200],
      contentType: /html/i,
      body: [/ng-app=["']cerebro["']/],
      shows: 'the Cerebro console without login: connect to any Elasticsearch cluster it can reach and administer it',
    },
  ],
  auth: [
    { on: 'root', status: [302, 303], redirect: /\/login/, shows: 'redirect to /login (auth configured in application.conf)' },
    { on: 'root', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate' },
  ],
  severity: 'high',
  exposure:
    "administers the Elasticsearch clusters Cerebro can reach (indices, settings, snapshots) and relays requests to hosts of the visitor's choosing",
  remediation:
    'Configure auth in application.conf (auth.type = basic or ldap), restrict the hosts list, and keep Cerebro on a private interface.',
  references: ['https://github.com/lmenezes/cerebro#authentication', 'https://github.com/lmenezes/cerebro'],
  extract(r) {
    return compact({ version: capture(r.root?.text, /appVersion\s*=\s*'v?([\d.]+)'/) });
  },
  summarize(reply) {
    return `${reply.status} Cerebro page (ng-app="cerebro")`;
  },
});
