import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

/**
 * Apache Livy (8998): REST sessions over Spark. No authentication unless `livy.server.auth.type = kerberos`
 * (SPNEGO: 401 with `WWW-Authenticate: Negotiate`). `GET /sessions` answers `{"from":0,"total":N,"sessions":[…]}`.
 * A session runs arbitrary Scala, Python or R on the cluster (POST /sessions/{id}/statements, never sent).
 */
export default defineSignature({
  id: 'livy',
  product: 'Apache Livy',
  category: 'query engine / notebook',
  impact: 'code-execution',
  neverSends: 'POST /sessions, POST /batches, POST /sessions/*/statements (run code), session logs (/sessions/*/log), DELETE',
  defaultPorts: [8998],
  requests: [{ id: 'sessions', method: 'GET', path: '/sessions' }],
  positive: [
    {
      on: 'sessions',
      status: [200],
      contentType: /json/i,
      json: ['from', 'total', 'sessions'],
      body: [/"sessions"\s*:\s*\[/],
      shows: 'the session list without credentials: anyone can start a session and run Scala, Python or R on the cluster',
    },
  ],
  auth: [
    {
      on: 'sessions',
      status: [401],
      headers: { 'www-authenticate': /Negotiate|Basic/i },
      shows: '401 WWW-Authenticate: Negotiate (Kerberos SPNEGO)',
    },
    { on: 'sessions', status: [403], shows: '403 (access control list)' },
  ],
  measure: [{ id: 'sessions', kind: 'session', request: { method: 'GET', path: '/sessions' }, list: 'sessions', name: 'id' }],
  severity: 'critical',
  exposure: 'anyone can start Spark sessions and batches and run arbitrary code on the cluster as the Livy user (or any proxy user)',
  remediation:
    'Set livy.server.auth.type = kerberos (SPNEGO) and livy.server.access-control.enabled = true, and keep port 8998 on a private network.',
  references: [
    'https://livy.apache.org/docs/latest/rest-api.html',
    'https://github.com/apache/incubator-livy/blob/master/conf/livy.conf.template',
  ],
  extract(r) {
    const b = r.sessions?.status === 200 ? r.sessions.json() : undefined;
    const total = jsonAt(b, 'total');
    return compact({ sessions: typeof total === 'number' ? total : undefined });
  },
});
