import { capture, compact, defineSignature } from '../src/http-catalog/signature.js';

const marker = /phpMyAdmin/;

export default defineSignature({
  id: 'phpmyadmin',
  product: 'phpMyAdmin',
  defaultPorts: [80, 443, 8080],
  tlsPorts: [443],
  requests: [
    { id: 'pma', method: 'GET', path: '/phpmyadmin/' },
    { id: 'root', method: 'GET', path: '/' },
  ],
  positive: [
    {
      status: [200],
      contentType: /html/i,
      body: [marker],
      bodyAny: [/id=["']pma_navigation["']/, /route=\/server\/databases/, /server_databases\.php/, /id=["']pma_navigation_tree/],
      shows: 'logged in without a login: the database tree and SQL box (auth_type config with stored credentials)',
    },
  ],
  negative: [{ body: [/name=["']pma_password["']|id=["']input_password["']/] }],
  auth: [
    {
      status: [200],
      contentType: /html/i,
      body: [marker, /name=["']pma_password["']|id=["']input_password["']/],
      shows: 'the phpMyAdmin login form (auth_type cookie)',
      identifies: true,
    },
    {
      status: [401],
      headers: { 'www-authenticate': /phpMyAdmin/i },
      shows: '401 WWW-Authenticate realm phpMyAdmin (auth_type http)',
      identifies: true,
    },
    { on: 'pma', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate on /phpmyadmin/' },
  ],
  // A PHP application in a folder of any web server: nothing on the landing page says it is there.
  identify: 'behind-path',
  severity: 'critical',
  exposure: 'full SQL access to the configured database server with the stored account: read, change and drop any data it can',
  remediation:
    "Use auth_type = 'cookie' (never 'config' with a stored password), restrict the location to admin networks or put it behind an authenticating proxy, and remove phpMyAdmin from servers that do not need it.",
  references: [
    'https://docs.phpmyadmin.net/en/latest/setup.html#securing-your-phpmyadmin-installation',
    'https://docs.phpmyadmin.net/en/latest/config.html#cfg_Servers_auth_type',
  ],
  extract(r) {
    const page = [r.pma, r.root].find((p) => p && marker.test(p.text));
    return compact({ version: capture(page?.text, /phpMyAdmin\s+(\d+\.\d+\.\d+)/) ?? capture(page?.text, /[?&]v=(\d+\.\d+\.\d+)/) });
  },
  summarize(reply) {
    return `${reply.status} phpMyAdmin page at ${reply.request.replace(/^GET /, '')} ${/pma_password/.test(reply.text) ? 'with a login form' : 'with the database navigation (no login form)'}`;
  },
});
