import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Verdaccio (npm registry, 5.x). Package access is per pattern in config.yaml (`access: $all` in the sample
 * config). Anonymous listing: `GET /-/v1/search?text=` (the npm search API; Verdaccio answers with every local
 * package the caller may access) and the web UI's `GET /-/verdaccio/data/packages`. Both are FILTERED by access, so
 * a secured registry answers them with an empty list; the proof of a secured one is a package route: 401
 * `{"error":"authorization required to access package <name>"}` with `WWW-Authenticate: Basic, Bearer`.
 * `GET /` is the web UI (title Verdaccio, window.__VERDACCIO_BASENAME_UI_OPTIONS with the version), public by design.
 * Never sent: PUT /-/user/org.couchdb.user:* (registration or login), PUT /<package> (publish), DELETE, tarballs.
 * A package route on a registry with uplinks makes Verdaccio look the name up upstream, like any npm client would.
 */
export default defineSignature({
  id: 'verdaccio',
  product: 'Verdaccio (npm registry)',
  defaultPorts: [4873],
  requests: [
    { id: 'ui', method: 'GET', path: '/' },
    { id: 'search', method: 'GET', path: '/-/v1/search?text=&size=100' },
    { id: 'package', method: 'GET', path: '/exposure-audit-probe' },
  ],
  positive: [
    {
      on: 'search',
      status: [200],
      contentType: /json/i,
      json: ['objects.0.package.name', 'total'],
      shows: 'the private package list without credentials: every package (source code) can be downloaded',
    },
    {
      on: 'ui',
      status: [200],
      contentType: /html/i,
      body: [/<title>Verdaccio<\/title>/, /__VERDACCIO_BASENAME_UI_OPTIONS/],
      shows: 'the Verdaccio web UI with its version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: ['package', 'search'],
      status: [401, 403],
      contentType: /json/i,
      body: [/"error"\s*:\s*"(authorization required to access package|unregistered users are not allowed to access package)/],
      shows: '401 {"error":"authorization required to access package …"} (access: $authenticated)',
      identifies: true,
    },
  ],
  leaks: [
    {
      on: 'ui',
      status: [200],
      body: [/__VERDACCIO_BASENAME_UI_OPTIONS=\{[^<]{0,2000}"version":"\d/],
      shows: 'the web UI stays public: the Verdaccio version',
    },
  ],
  measure: [
    {
      id: 'packages',
      kind: 'package',
      request: { method: 'GET', path: '/-/v1/search?text=&size=100' },
      list: 'objects',
      name: 'package.name',
    },
  ],
  severity: 'high',
  exposure:
    'anyone can list and download the private packages (source code, often with internal URLs and keys); with open registration (max_users not -1) anyone can also sign up and publish',
  remediation:
    'Give private package patterns `access: $authenticated` (and `publish: $authenticated`), set auth.htpasswd.max_users: -1 to close registration, and keep the registry on a private interface or behind an authenticating proxy.',
  references: [
    'https://verdaccio.org/docs/configuration#packages',
    'https://verdaccio.org/docs/packages',
    'https://verdaccio.org/docs/plugin-auth',
    'https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md#get-v1search',
  ],
  extract(r) {
    const ui = r.ui?.status === 200 ? r.ui.text : '';
    const search = r.search?.status === 200 ? r.search.json() : undefined;
    return compact({
      version: /__VERDACCIO_BASENAME_UI_OPTIONS=\{[^<]{0,2000}?"version":"(\d[\w.-]{0,30})"/.exec(ui.slice(0, 16_384))?.[1],
      packages: str(search, 'total'),
    });
  },
  summarize(reply) {
    if (reply.requestId === 'search') return `${reply.status} ${str(reply.json(), 'total') ?? '?'} packages listed`;
    if (reply.requestId === 'ui') return `${reply.status} Verdaccio web UI`;
    return `${reply.status} ${str(reply.json(), 'error') ?? ''}`.trim();
  },
});
