import { defineReplies } from '../src/http-catalog/replies.js';

// Recorded from verdaccio 5.33.0 (npm, Node 20) here: config.yaml with listen on loopback, no uplinks, the
// htpasswd auth plugin (max_users: -1), storage seeded with one package; open = `access: $all`,
// secured = `access: $authenticated` on '**'.
const rec = 'recorded from verdaccio 5.33.0 here';
const json = { 'content-type': 'application/json; charset=utf-8', 'x-powered-by': 'hidden' };
const uiHtml = (version: string) =>
  `\n    <!DOCTYPE html>\n      <html lang="en-us">\n      <head>\n        <meta charset="utf-8">\n        <base href="http://127.0.0.75:4873/">\n        <title>Verdaccio</title>\n        <script>\n            window.__VERDACCIO_BASENAME_UI_OPTIONS={"darkMode":false,"basename":"/","base":"http://127.0.0.75:4873/","primaryColor":"#4b5e40","version":"${version}","logo":"","title":"Verdaccio","scope":"","language":"es-US"}\n        </script>\n      </head>\n      <body class="body">\n        <div id="root"></div>\n      </body>\n    </html>\n  `;
const ui = {
  path: '/',
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'x-powered-by': 'hidden' },
  body: uiHtml('5.33.0'),
  source: `${rec} (GET /, the web UI; options trimmed)`,
};
const noPackage = {
  status: 404,
  headers: json,
  body: '{\n  "error": "no such package available"\n}',
  source: `${rec} (a package name that does not exist, no uplinks)`,
};
const needsAuth = (name: string) => ({
  status: 401,
  headers: { ...json, 'www-authenticate': 'Basic, Bearer' },
  body: `{\n  "error": "authorization required to access package ${name}"\n}`,
  source: `${rec} (access: $authenticated)`,
});
const pkg = {
  package: {
    name: 'internal-billing-sdk',
    description: 'Billing client for the payments service',
    'dist-tags': { latest: '1.2.0' },
    maintainers: [{ name: 'Platform team' }],
    author: { name: 'Platform team' },
    readmeFilename: '',
    time: { modified: '2026-12-06T06:00:35.059Z' },
    license: 'UNLICENSED',
    versions: { '1.2.0': 'latest' },
  },
  flags: {},
  local: true,
  score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 0 } },
  searchScore: 100000,
};

export default defineReplies({
  signature: 'verdaccio',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '5.33.0',
      data: { items: 1 },
      fallback: noPackage,
      real: { kind: 'verdaccio', variant: 'open', port: 4873 },
      replies: [
        ui,
        {
          path: '/-/v1/search?text=&size=100',
          status: 200,
          headers: json,
          body: { objects: [pkg], total: 1, time: 'Sun, 06 Dec 2026 06:01:12 GMT' },
          source: `${rec} (GET /-/v1/search?text=, local packages the caller may access)`,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      leaks: 1,
      fallback: needsAuth('exposure-audit-probe'),
      real: { kind: 'verdaccio', variant: 'protected', port: 4873 },
      replies: [
        ui,
        {
          path: '/-/v1/search?text=&size=100',
          status: 200,
          headers: json,
          body: { objects: [], total: 0, time: 'Sun, 06 Dec 2026 06:01:13 GMT' },
          source: `${rec} (the search is filtered by access: empty for anonymous)`,
        },
        { path: '/exposure-audit-probe', ...needsAuth('exposure-audit-probe') },
      ],
    },
  },
});
