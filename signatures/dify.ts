import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Dify (api/controllers/console/setup.py). `GET /console/api/setup` answers {"step":"not_started"} on a self-hosted
 * install without an admin — the POST that creates the admin is guarded only by the optional INIT_PASSWORD — else
 * {"step":"finished","setup_at":…}. `GET /console/api/system-features` is public by design (login options).
 * Never sent: POST /console/api/setup, /console/api/init, /console/api/login, app runs, /v1/* with guessed keys.
 */
export default defineSignature({
  id: 'dify',
  product: 'Dify',
  category: 'app / agent builder',
  neverSends: 'POST /console/api/setup, /console/api/init, login, app runs, guessed app keys',
  defaultPorts: [80, 443, 5001],
  tlsPorts: [443],
  requests: [
    { id: 'setup', method: 'GET', path: '/console/api/setup' },
    { id: 'features', method: 'GET', path: '/console/api/system-features' },
  ],
  positive: [
    {
      on: 'features',
      status: [200],
      contentType: /json/i,
      json: ['enable_email_password_login', 'is_allow_register', 'sso_enforced_for_signin'],
      shows: 'system features (public by design)',
      publicByDesign: true,
    },
  ],
  unclaimed: [
    {
      on: 'setup',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'step', equals: 'not_started' }],
      body: [/^\s*\{\s*"step"\s*:\s*"not_started"\s*\}\s*$/],
      shows: 'setup not started ({"step":"not_started"}): the first visitor creates the Dify admin account',
    },
  ],
  auth: [
    {
      on: 'setup',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'step', equals: 'finished' }, 'setup_at'],
      shows: 'setup finished: the console needs a login',
    },
    {
      on: 'setup',
      status: [401],
      contentType: /json/i,
      json: [{ path: 'code', equals: 'unauthorized' }],
      shows: '401 {"code":"unauthorized",…} from the Dify console API',
    },
  ],
  assess() {
    return {
      severity: 'critical',
      reason: 'unclaimed setup: the first visitor becomes admin of Dify, with its model provider keys, knowledge bases and code sandbox',
    };
  },
  // The web app redirects to /apps, /install or /signin (Next.js); the API (5001) answers JSON or Werkzeug's 404.
  identify: {
    landing: [
      { redirect: /apps|install|signin/i },
      { bodyAny: [/dify/i, /\/_next\//, /The requested URL was not found on the server/] },
      { headers: { 'x-powered-by': /next\.js/i } },
      { contentType: /json/i },
    ],
  },
  severity: 'critical',
  exposure:
    'anyone who reaches the console first becomes the administrator: model provider keys, knowledge bases (documents) and the code-execution sandbox',
  remediation:
    'Finish the setup (create the admin) before exposing Dify, set INIT_PASSWORD for installs that must be reachable while empty, change the compose defaults (SECRET_KEY, database, Redis, Weaviate/Qdrant keys) and keep the sidecars private.',
  references: [
    'https://docs.dify.ai/getting-started/install-self-hosted/docker-compose',
    'https://github.com/langgenius/dify/blob/main/api/controllers/console/setup.py',
  ],
  extract(r) {
    const s = r.setup?.json();
    return compact({ setupStep: str(s, 'step'), setupAt: str(s, 'setup_at'), registration: str(r.features?.json(), 'is_allow_register') });
  },
});
