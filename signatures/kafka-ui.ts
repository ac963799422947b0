import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Kafka UI (provectus/kafka-ui, successor kafbat/kafka-ui; 8080). Authentication is off unless AUTH_TYPE is set
 * (LOGIN_FORM, OAUTH2, LDAP): `GET /api/clusters` then lists the clusters with broker and topic counts; with
 * LOGIN_FORM the API redirects to /login. A GET on the message listing evaluates its filter as code
 * (CVE-2023-52251), so no /messages request is ever sent.
 */
export default defineSignature({
  id: 'kafka-ui',
  product: 'Kafka UI (provectus / kafbat)',
  category: 'store admin UI',
  neverSends:
    'any /messages request (its filter runs Groovy: CVE-2023-52251), /api/smartfilters/* (CVE-2026-5562), topic, ACL, connector and config writes',
  defaultPorts: [8080],
  requests: [
    { id: 'clusters', method: 'GET', path: '/api/clusters' },
    { id: 'info', method: 'GET', path: '/actuator/info' },
  ],
  // Asked only where the landing page is Kafka UI's (provectus/kafbat frontend index.html: <title>UI for Apache Kafka</title>).
  identify: { landing: [{ bodyAny: [/UI for Apache Kafka|kafbat/i] }] },
  positive: [
    {
      on: 'clusters',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/"brokerCount"/, /"topicCount"/],
      shows: 'the Kafka clusters without credentials: anyone can read every message, produce, and create or delete topics',
    },
  ],
  auth: [
    { on: 'clusters', status: [302, 303], redirect: /\/login|\/oauth2\/authorization/i, shows: 'redirect to /login (AUTH_TYPE set)' },
    { on: 'clusters', status: [401, 403], shows: '401/403 from the Kafka UI security filter' },
  ],
  measure: [
    { id: 'clusters', kind: 'database', request: { method: 'GET', path: '/api/clusters' }, list: '', name: 'name', rows: 'topicCount' },
  ],
  advisories: [
    { id: 'CVE-2023-52251', summary: 'Groovy code in the message filter (a GET) runs on the server', fixedIn: '0.7.2' },
    {
      id: 'CVE-2026-5562',
      summary: 'smart-filter test executions evaluate Groovy without authentication (provectus/kafka-ui is end-of-life)',
      fixedIn: '0.7.3',
    },
  ],
  severity: 'critical',
  exposure:
    'anyone can read every message of every topic, produce messages, create and delete topics and change configs; old releases run code',
  remediation:
    'Set AUTH_TYPE (LOGIN_FORM, OAUTH2 or LDAP) with RBAC, move from provectus/kafka-ui (end-of-life) to kafbat/kafka-ui, and keep it on a private network.',
  references: [
    'https://docs.kafka-ui.provectus.io/configuration/authentication',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/cves/2023/CVE-2023-52251.yaml',
    'https://github.com/kafbat/kafka-ui/releases',
  ],
  extract(r) {
    const clusters = r.clusters?.status === 200 ? r.clusters.json() : undefined;
    const tag = str(r.info?.json(), 'build.version');
    return compact({
      version: tag?.replace(/^v/, ''),
      clusters: Array.isArray(clusters) ? clusters.length : undefined,
      topics: Array.isArray(clusters) ? clusters.reduce((n: number, c) => n + (Number(jsonAt(c, 'topicCount')) || 0), 0) : undefined,
    });
  },
});
