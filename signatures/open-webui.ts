import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Open WebUI (backend/open_webui/main.py get_app_config). `GET /api/config` needs no token and returns `features`;
 * `onboarding:true` appears only while the user table is empty (the first sign-up becomes admin), `features.auth:false`
 * is WEBUI_AUTH=False (no login at all). `name` is configurable: match the shape, never the name.
 * Never sent: /api/v1/auths/signup, /api/v1/auths/signin, chat completions, /api/v1/* with a token.
 */
const onboarding = { path: 'onboarding', equals: true } as const;

export default defineSignature({
  id: 'open-webui',
  product: 'Open WebUI',
  category: 'app / agent builder',
  neverSends: 'sign-up, sign-in, chat completions, token-authenticated /api/v1/*',
  defaultPorts: [8080, 3000],
  requests: [{ id: 'config', method: 'GET', path: '/api/config' }],
  positive: [
    {
      on: 'config',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'status', equals: true }, 'version', { path: 'features.auth', equals: false }, 'features.enable_signup'],
      shows: 'authentication is disabled (features.auth:false, WEBUI_AUTH=False): everyone is the admin',
    },
  ],
  unclaimed: [
    {
      on: 'config',
      status: [200],
      contentType: /json/i,
      json: [onboarding, { path: 'status', equals: true }, 'features.enable_signup'],
      shows: 'no admin yet (onboarding:true): the first visitor to sign up becomes the Open WebUI admin',
    },
  ],
  auth: [
    {
      on: 'config',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'status', equals: true }, { path: 'features.auth', equals: true }, 'features.enable_login_form'],
      body: [/^(?![^]*"onboarding"\s*:\s*true)/],
      shows: 'login required (features.auth:true, admin exists)',
    },
  ],
  leaks: [
    {
      on: 'config',
      status: [200],
      contentType: /json/i,
      json: [
        { path: 'features.auth', equals: true },
        { path: 'features.enable_signup', equals: true },
      ],
      body: [/^(?![^]*"onboarding"\s*:\s*true)/],
      shows:
        'self-registration is open (features.enable_signup:true): anyone can create an account (pending or user role per DEFAULT_USER_ROLE)',
    },
  ],
  assess(r) {
    const c = r.config?.json();
    return jsonAt(c, 'onboarding') === true
      ? {
          severity: 'critical',
          reason:
            'unclaimed setup: the first visitor becomes admin, and admins add Python functions and tools that run on the server with every connected backend key',
        }
      : {
          severity: 'critical',
          reason:
            'authentication disabled: every visitor is admin (chats, documents, connected model keys, Python functions and tools run on the server)',
        };
  },
  // The single-page app's index is titled "Open WebUI" (src/app.html) and answers every path.
  identify: { landing: [{ bodyAny: [/open webui/i] }] },
  severity: 'critical',
  exposure:
    'the visitor is (or becomes) administrator: chats and uploaded documents, connected model and API keys, and Python functions/tools that run on the server',
  remediation:
    'Keep WEBUI_AUTH on, create the admin account before exposing the port, set ENABLE_SIGNUP=false (or DEFAULT_USER_ROLE=pending), and put Open WebUI behind TLS on a private interface.',
  references: [
    'https://docs.openwebui.com/getting-started/env-configuration/',
    'https://github.com/open-webui/open-webui/blob/main/backend/open_webui/main.py',
  ],
  extract(r) {
    const c = r.config?.json();
    return compact({
      version: str(c, 'version'),
      name: str(c, 'name'),
      auth: str(c, 'features.auth'),
      signup: str(c, 'features.enable_signup'),
      onboarding: str(c, 'onboarding'),
    });
  },
});
