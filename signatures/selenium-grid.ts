import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Selenium Grid 4 router/hub (4444). W3C WebDriver defines no authentication; the router's basic auth is opt-in
 * (--username/--password, SE_ROUTER_USERNAME/PASSWORD). `GET /status` answers `{"value":{"ready":…,"message":…,
 * "nodes":[…]}}`. Anyone who reaches it can start browsers that run JavaScript inside the network.
 */
export default defineSignature({
  id: 'selenium-grid',
  product: 'Selenium Grid',
  category: 'CI/CD and cluster API',
  neverSends: 'POST /session (starts a browser), POST /graphql, DELETE /se/grid/*, node drain and session deletion',
  defaultPorts: [4444],
  requests: [{ id: 'status', method: 'GET', path: '/status' }],
  positive: [
    {
      on: 'status',
      status: [200],
      contentType: /json/i,
      json: ['value.ready', 'value.message'],
      body: [/"nodes"\s*:\s*\[|Selenium Grid/],
      shows: 'the grid status without credentials: anyone can start browsers that run JavaScript and reach internal URLs from the nodes',
    },
  ],
  auth: [
    {
      on: 'status',
      status: [401],
      headers: { 'www-authenticate': /Basic/i },
      shows: '401 WWW-Authenticate: Basic (router --username/--password)',
    },
  ],
  measure: [{ id: 'nodes', kind: 'node', request: { method: 'GET', path: '/status' }, list: 'value.nodes', name: 'id' }],
  severity: 'high',
  exposure:
    'anyone can start browser sessions on the nodes: run JavaScript, reach internal services from them (SSRF) and read what those browsers can open',
  remediation:
    'Enable router basic auth (--username/--password or SE_ROUTER_USERNAME/SE_ROUTER_PASSWORD) behind TLS, and keep port 4444 on a private network.',
  references: [
    'https://www.selenium.dev/documentation/grid/advanced_features/endpoints/#grid-status',
    'https://www.selenium.dev/documentation/grid/configuration/cli_options/#router',
  ],
  extract(r) {
    const nodes = jsonAt(r.status?.json(), 'value.nodes');
    return compact({ ready: str(r.status?.json(), 'value.ready'), nodes: Array.isArray(nodes) ? nodes.length : undefined });
  },
});
