import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Metabase (3000). `GET /api/session/properties` holds the public settings by design; `setup-token` is non-null
 * only while setup is not done (`has-user-setup: false`): whoever completes the wizard first becomes admin and can
 * connect any database. After setup the token is null and `/api/user/current` answers 401 "Unauthenticated".
 * CVE-2023-38646: pre-auth code execution with the setup token (leaked after setup on affected versions).
 */
export default defineSignature({
  id: 'metabase',
  product: 'Metabase',
  category: 'BI tool',
  neverSends:
    'POST /api/setup and /api/setup/validate (CVE-2023-38646), POST /api/session (login), queries (/api/dataset, /api/card/*/query), public links',
  defaultPorts: [3000],
  requests: [
    { id: 'properties', method: 'GET', path: '/api/session/properties' },
    { id: 'current', method: 'GET', path: '/api/user/current' },
  ],
  positive: [
    {
      on: 'properties',
      status: [200],
      contentType: /json/i,
      json: ['has-user-setup', 'version.tag'],
      shows: 'public settings (public by design)',
      publicByDesign: true,
    },
  ],
  unclaimed: [
    {
      on: 'properties',
      status: [200],
      contentType: /json/i,
      json: [
        { path: 'has-user-setup', equals: false },
        { path: 'setup-token', match: /^[0-9a-f-]{36}$/ },
      ],
      shows: 'setup not completed and the setup token is public: the first visitor creates the admin account and connects databases',
    },
  ],
  auth: [
    {
      on: 'current',
      status: [401],
      body: [/^\s*"?Unauthenticated"?\s*$/],
      shows: '401 "Unauthenticated" (a session is required)',
      identifies: true,
    },
  ],
  advisories: [
    {
      id: 'CVE-2023-38646',
      summary: 'pre-auth remote code execution through /api/setup/validate with the (leaked) setup token',
      fixedIn: '0.46.6.1',
    },
  ],
  severity: 'critical',
  exposure: 'anyone can finish the set-up, become admin, connect databases and read them (pre-auth code execution on affected versions)',
  remediation:
    'Finish the setup right after installing (or set MB_SETUP_TOKEN handling via an init job), upgrade to a fixed release (0.46.6.1 / 1.46.6.1 or later), and keep Metabase behind SSO on a private network.',
  references: [
    'https://github.com/metabase/metabase/issues/4240',
    'https://www.metabase.com/blog/security-advisory',
    'https://www.metabase.com/docs/latest/api/session',
  ],
  extract(r) {
    const p = r.properties?.json();
    return compact({
      version: str(p, 'version.tag')?.replace(/^v/, ''),
      userSetup: typeof jsonAt(p, 'has-user-setup') === 'boolean' ? jsonAt(p, 'has-user-setup') : undefined,
    });
  },
  summarize(reply) {
    if (reply.requestId !== 'properties') return undefined;
    const p = reply.json();
    return `${reply.status} has-user-setup=${String(jsonAt(p, 'has-user-setup'))} setup-token=${jsonAt(p, 'setup-token') ? 'present (redacted)' : 'null'}`;
  },
});
