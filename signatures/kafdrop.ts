import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

/**
 * Kafdrop (9000), a Kafka web UI without a login of its own. `GET /` with `Accept: application/json` answers the
 * cluster summary (ClusterController.getCluster: `summary`, `brokers`, `topics`).
 */
export default defineSignature({
  id: 'kafdrop',
  product: 'Kafdrop',
  category: 'store admin UI',
  neverSends: 'message reads (/topic/*/messages), topic creation and deletion, ACL listings, publishing',
  defaultPorts: [9000],
  requests: [{ id: 'cluster', method: 'GET', path: '/', headers: { accept: 'application/json' } }],
  positive: [
    {
      on: 'cluster',
      status: [200],
      contentType: /json/i,
      json: ['summary', 'brokers', 'topics'],
      body: [/"topicCount"/],
      shows: 'brokers and topics without credentials: every message can be read through the UI',
    },
  ],
  auth: [
    { on: 'cluster', status: [401, 403], shows: '401/403 from a proxy or Kafdrop basic auth' },
    { on: 'cluster', status: [302, 303], redirect: /login|oauth/i, shows: 'redirect to a login page' },
  ],
  measure: [
    {
      id: 'topics',
      kind: 'topic',
      request: { method: 'GET', path: '/', headers: { accept: 'application/json' } },
      list: 'topics',
      name: 'name',
    },
  ],
  severity: 'high',
  exposure: 'anyone can browse every topic and read its messages, and create or delete topics where enabled',
  remediation:
    'Put Kafdrop behind an authenticating proxy, set topic.deleteEnabled=false and topic.createEnabled=false, and keep it on a private network.',
  references: [
    'https://github.com/obsidiandynamics/kafdrop/blob/master/src/main/java/kafdrop/controller/ClusterController.java',
    'https://github.com/obsidiandynamics/kafdrop#readme',
  ],
  extract(r) {
    const b = r.cluster?.status === 200 ? r.cluster.json() : undefined;
    const brokers = jsonAt(b, 'brokers');
    return compact({ topics: jsonAt(b, 'summary.topicCount'), brokers: Array.isArray(brokers) ? brokers.length : undefined });
  },
});
