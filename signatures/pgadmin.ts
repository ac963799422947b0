import { defineSignature } from '../src/http-catalog/signature.js';

/**
 * pgAdmin 4 (container 80/443, pip/wsgi installs 5050). In server mode (the container default) every page but
 * /login and /misc/ping redirects to `/login?next=…`. Desktop mode (SERVER_MODE = False) has no login: published on
 * a network it opens the saved servers (often with saved passwords) and the query tool to anyone.
 */
export default defineSignature({
  id: 'pgadmin',
  product: 'pgAdmin 4',
  category: 'store admin UI',
  neverSends:
    'the query tool and SQL endpoints (/sqleditor/*), server connections (/browser/server/connect/*), backup and restore jobs, /login and /authenticate',
  defaultPorts: [5050, 80],
  requests: [{ id: 'browser', method: 'GET', path: '/browser/' }],
  // Asked only where the landing page looks like pgAdmin: `/` redirects to /browser/ (desktop mode) or to
  // /login?next= (server mode), both from Flask/Werkzeug (pgadmin4 web/pgadmin/__init__.py index route).
  identify: { landing: [{ headers: { location: /^\/(browser\/|login\?next=)/ } }, { bodyAny: [/pgadmin/i] }] },
  positive: [
    {
      on: 'browser',
      status: [200],
      contentType: /html/i,
      body: [/<title>[^<]{0,40}pgAdmin 4[^<]{0,40}<\/title>/i, /pgadmin|pgBrowser/],
      shows: 'the pgAdmin browser without a login (desktop mode on a network): saved servers and the query tool are open',
    },
  ],
  auth: [
    { on: 'browser', status: [302, 303], redirect: /\/login\?next=/, shows: 'redirect to /login?next= (server mode)' },
    { on: 'browser', status: [401], shows: '401 (an authenticating proxy or webserver auth)' },
  ],
  advisories: [
    { id: 'CVE-2024-3116', summary: 'remote code execution through the validate-binary-path API on Windows installs', fixedIn: '8.5' },
  ],
  severity: 'critical',
  exposure: 'anyone can open the saved PostgreSQL connections (often with saved passwords) and run any SQL through the query tool',
  remediation:
    'Run pgAdmin in server mode (SERVER_MODE = True, the container default) with strong accounts or OAuth2, never publish a desktop-mode instance, and keep it behind a VPN or SSO proxy.',
  references: [
    'https://www.pgadmin.org/docs/pgadmin4/latest/server_deployment.html',
    'https://www.pgadmin.org/docs/pgadmin4/latest/config_py.html',
  ],
});
