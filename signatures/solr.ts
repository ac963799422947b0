import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

function cores(body: unknown): Array<{ name: string; docs?: number }> | undefined {
  const status = jsonAt(body, 'status');
  if (!status || typeof status !== 'object' || Array.isArray(status)) return undefined;
  return Object.entries(status as Record<string, unknown>)
    .slice(0, 50)
    .map(([name, c]) => {
      const docs = jsonAt(c, 'index.numDocs');
      return typeof docs === 'number' ? { name, docs } : { name };
    });
}

export default defineSignature({
  id: 'solr',
  product: 'Apache Solr',
  defaultPorts: [8983],
  requests: [{ id: 'cores', method: 'GET', path: '/solr/admin/cores?action=STATUS&wt=json', maxBytes: 128 * 1024 }],
  positive: [
    {
      on: 'cores',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'responseHeader.status', equals: 0 }, 'status', 'initFailures'],
      shows: 'the core admin API: every core with its document count; queries and the config API answer too',
    },
  ],
  auth: [
    { on: 'cores', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (BasicAuthPlugin)' },
    { on: 'cores', status: [403], body: [/Unauthorized request|not authorized/i], shows: '403 from the RuleBasedAuthorizationPlugin' },
  ],
  severity: 'high',
  exposure: 'reads every index, and the admin and config APIs allow changes (historically a path to code execution)',
  remediation:
    'Enable the BasicAuthPlugin (or JWT/Kerberos) with the RuleBasedAuthorizationPlugin in security.json, and bind Solr to a private interface (SOLR_JETTY_HOST=127.0.0.1 is the default since 9).',
  references: [
    'https://solr.apache.org/guide/solr/latest/configuration-guide/coreadmin-api.html',
    'https://solr.apache.org/guide/solr/latest/deployment-guide/basic-authentication-plugin.html',
  ],
  extract(r) {
    const c = cores(r.cores?.json());
    return compact({ cores: c?.length, coreNames: c?.map((x) => x.name) });
  },
  summarize(reply) {
    const c = cores(reply.json());
    return `${reply.status} ${c?.length ?? '?'} cores: ${(c ?? [])
      .slice(0, 8)
      .map((x) => `${x.name}${x.docs !== undefined ? ` (${x.docs} docs)` : ''}`)
      .join(', ')}`;
  },
});
