import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Apache Zeppelin (8080). Anonymous access is the default (conf/shiro.ini absent or `/** = anon`): `GET
 * /api/notebook` lists every note. With Shiro authentication the REST API answers 401 (`/api/** = authc`).
 * `GET /api/version` answers without credentials by design. Interpreters (shell, python, spark, jdbc) run code.
 */
export default defineSignature({
  id: 'zeppelin',
  product: 'Apache Zeppelin',
  category: 'query engine / notebook',
  impact: 'code-execution',
  neverSends:
    'note creation and runs (POST /api/notebook, /api/notebook/job/*), paragraph runs, interpreter settings, /api/configurations, log-level changes, the websocket (/ws)',
  defaultPorts: [8080],
  requests: [
    { id: 'version', method: 'GET', path: '/api/version' },
    { id: 'notebooks', method: 'GET', path: '/api/notebook' },
  ],
  // Asked only where the landing page is Zeppelin's web app (zeppelin-web src/index.html: <title>Zeppelin</title>).
  identify: { landing: [{ bodyAny: [/<title>Zeppelin<\/title>/i, /ng-app="zeppelinWebApp"/] }] },
  positive: [
    {
      on: 'notebooks',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'status', equals: 'OK' }, 'body'],
      body: [/"body"\s*:\s*\[/],
      shows: 'the note list without credentials: anyone can run shell, Python, Spark and JDBC paragraphs',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: [
        { path: 'status', equals: 'OK' },
        { path: 'message', equals: 'Zeppelin version' },
      ],
      shows: 'version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    { on: 'notebooks', status: [401, 403], shows: '401/403 from Shiro authentication (/api/** = authc)' },
    { on: 'notebooks', status: [302, 303], redirect: /login/i, shows: 'redirect to the login page' },
  ],
  measure: [{ id: 'notebooks', kind: 'notebook', request: { method: 'GET', path: '/api/notebook' }, list: 'body', name: 'id' }],
  severity: 'critical',
  exposure:
    'anyone can run arbitrary code through the interpreters (shell, Python, Spark, JDBC) and read every note with its results and credentials',
  remediation:
    'Enable Shiro authentication (conf/shiro.ini with /api/** = authc and no anon rule), restrict interpreters per user, and keep Zeppelin on a private network.',
  references: [
    'https://zeppelin.apache.org/docs/latest/usage/rest_api/notebook.html',
    'https://zeppelin.apache.org/docs/latest/usage/rest_api/zeppelin_server.html',
    'https://zeppelin.apache.org/docs/latest/setup/security/shiro_authentication.html',
  ],
  extract(r) {
    const v = r.version?.json();
    const notes = jsonAt(r.notebooks?.status === 200 ? r.notebooks.json() : undefined, 'body');
    return compact({ version: str(v, 'body.version') ?? str(v, 'body.0.version'), notes: Array.isArray(notes) ? notes.length : undefined });
  },
});
