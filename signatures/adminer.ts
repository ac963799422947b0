import { capture, compact, defineSignature } from '../src/http-catalog/signature.js';

const marker = /Adminer|adminer\.org/;

export default defineSignature({
  id: 'adminer',
  product: 'Adminer',
  defaultPorts: [80, 443, 8080],
  tlsPorts: [443],
  requests: [
    { id: 'adminer', method: 'GET', path: '/adminer.php' },
    { id: 'adminer-dir', method: 'GET', path: '/adminer/' },
  ],
  positive: [
    {
      status: [200],
      contentType: /html/i,
      body: [marker, /name=["']?logout["']?/i],
      shows: 'a logged-in Adminer session without a login (auto-login plugin or stored credentials): full database access',
    },
  ],
  negative: [{ body: [/name=["']?auth\[password\]/] }],
  auth: [
    {
      status: [200],
      contentType: /html/i,
      body: [marker, /name=["']?auth\[password\]/],
      shows: 'the Adminer login form: reachable, credentials required (also a target for password guessing)',
      identifies: true,
    },
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate in front of Adminer' },
  ],
  // A PHP script in a folder of any web server: nothing on the landing page says it is there.
  identify: 'behind-path',
  severity: 'high',
  exposure: 'a database administration page on the host; logged in, it reads and changes any database the account can reach',
  remediation:
    'Remove adminer.php from servers that do not need it, or restrict it to admin networks behind an authenticating proxy; never install auto-login plugins.',
  references: ['https://www.adminer.org/en/', 'https://www.adminer.org/en/plugins/'],
  extract(r) {
    const page = [r.adminer, r['adminer-dir']].find((p) => p && marker.test(p.text));
    return compact({ version: capture(page?.text, /<span class=["']?version["']?>\s*([\d.]+)/) });
  },
  summarize(reply) {
    return `${reply.status} Adminer page ${/auth\[password\]/.test(reply.text) ? 'with a login form' : 'with a logout button (logged in)'}`;
  },
});
