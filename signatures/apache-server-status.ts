import { capture, compact, defineSignature } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'apache-server-status',
  product: 'Apache HTTP Server (mod_status)',
  defaultPorts: [80, 443, 8080],
  tlsPorts: [443],
  requests: [{ id: 'status', method: 'GET', path: '/server-status?auto' }],
  positive: [
    {
      on: 'status',
      status: [200],
      body: [/^ServerVersion: Apache\//m],
      bodyAny: [/^Total Accesses: \d+/m, /^Scoreboard: /m, /^ServerMPM: /m],
      shows: 'server status: version, MPM, uptime, load and traffic counters (the HTML page also lists client addresses and request lines)',
    },
    {
      on: 'status',
      status: [200],
      contentType: /html/i,
      body: [/<title>Apache Status<\/title>|Apache Server Status for/i, /Server Version:/i],
      shows: 'the HTML server status page: client addresses, virtual hosts and request lines',
    },
  ],
  auth: [
    { on: 'status', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (AuthType Basic/Digest)' },
    {
      on: 'status',
      status: [403],
      body: [/You don't have permission to access|<title>403 Forbidden<\/title>/i],
      shows: '403 Forbidden (Require ip / Require all denied)',
    },
  ],
  // mod_status is served by Apache itself, which names itself in the Server header on every reply (ServerTokens
  // Prod still says "Apache"). Behind a proxy that replaces the header it is not asked about (README, "Identify first").
  identify: { landing: [{ headers: { server: /apache|httpd/i } }] },
  severity: 'low',
  exposure:
    'shows server version, load and traffic; the full page lists client IPs, virtual hosts and request URLs (which may carry tokens)',
  remediation:
    'Limit <Location "/server-status"> to `Require local` (or an admin network), or disable mod_status (a2dismod status); set ExtendedStatus Off if request lines must not be kept.',
  references: [
    'https://httpd.apache.org/docs/2.4/mod/mod_status.html',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/apache/apache-server-status.yaml',
  ],
  extract(r) {
    const t = r.status?.text;
    return compact({
      version: capture(t, /^ServerVersion: Apache\/(\S+)/m),
      serverVersion: capture(t, /^ServerVersion: (.+)$/m),
      mpm: capture(t, /^ServerMPM: (\S+)/m),
      uptimeSeconds: capture(t, /^ServerUptimeSeconds: (\d+)/m),
      totalAccesses: capture(t, /^Total Accesses: (\d+)/m),
    });
  },
  summarize(reply) {
    const lines = reply.text
      .split('\n')
      .filter((l) => /^(ServerVersion|ServerMPM|ServerUptimeSeconds|Total Accesses|BusyWorkers|IdleWorkers):/.test(l));
    return `${reply.status} ${lines.join('; ').slice(0, 240) || reply.text.slice(0, 120)}`;
  },
});
