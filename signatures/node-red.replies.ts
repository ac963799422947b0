import { defineReplies } from '../src/http-catalog/replies.js';

// Recorded from node-red 4.1.15 (npm, Node 20) here: settings.js with uiHost on loopback, a temporary userDir whose
// flows.json holds one tab with a function and an exec node; secured = adminAuth credentials with a bcrypt hash.
const rec = 'recorded from node-red 4.1.15 here';
const json = { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' };
const notFound = {
  status: 404,
  headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" },
  body: '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /</pre>\n</body>\n</html>\n',
  source: `${rec} (Express 404 for any unknown path)`,
};
/** The flows the real test server is seeded with (test/support/servers/longtail-recipes.ts), as GET /flows returns them. */
export const seededFlows = [
  { id: '7f3a1c2b9d4e5f60', type: 'tab', label: 'Billing sync', disabled: false, info: '' },
  {
    id: 'a1b2c3d4e5f60718',
    type: 'function',
    z: '7f3a1c2b9d4e5f60',
    name: 'map invoice',
    func: 'return msg;',
    outputs: 1,
    wires: [['b2c3d4e5f6071829']],
  },
  {
    id: 'b2c3d4e5f6071829',
    type: 'exec',
    z: '7f3a1c2b9d4e5f60',
    command: '/usr/local/bin/export-invoices',
    name: 'export',
    wires: [[], [], []],
  },
];
const settings = {
  httpNodeRoot: '/',
  version: '4.1.15',
  context: { default: 'memory', stores: ['memory'] },
  flowEncryptionType: 'disabled',
  diagnostics: { enabled: true, ui: true },
  runtimeState: { enabled: false, ui: false },
  functionExternalModules: true,
  functionTimeout: 0,
  tlsConfigDisableLocalFiles: false,
};
const unauthorized = {
  status: 401,
  headers: { 'access-control-allow-origin': '*', 'www-authenticate': 'Bearer realm="Users"' },
  body: 'Unauthorized',
  source: `${rec} (adminAuth type credentials: every admin route without a token)`,
};

export default defineReplies({
  signature: 'node-red',
  cases: {
    // The default: no adminAuth.
    exposed: {
      expect: 'exposed',
      version: '4.1.15',
      data: { items: 1 },
      fallback: notFound,
      real: { kind: 'node-red', variant: 'open', port: 1880 },
      replies: [
        {
          path: '/flows',
          status: 200,
          headers: json,
          body: { flows: seededFlows, rev: '9e772fefdbae795628e36e6dafb907adcd7dac1a51ea571110cff35269ff9b10' },
          source: `${rec} (GET /flows with Node-RED-API-Version: v2)`,
        },
        { path: '/settings', status: 200, headers: json, body: settings, source: `${rec} (GET /settings, editor settings)` },
      ],
    },
    // A fresh install: no flows deployed yet, still open.
    empty: {
      expect: 'exposed',
      version: '4.1.15',
      fallback: notFound,
      replies: [
        {
          path: '/flows',
          status: 200,
          headers: json,
          body: { flows: [], rev: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' },
          source: `${rec} (empty userDir)`,
        },
        { path: '/settings', status: 200, headers: json, body: settings, source: rec },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: notFound,
      real: { kind: 'node-red', variant: 'protected', port: 1880 },
      replies: [
        { path: '/flows', ...unauthorized },
        { path: '/settings', ...unauthorized },
      ],
    },
  },
});
