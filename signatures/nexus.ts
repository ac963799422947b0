import { capture, compact, defineSignature } from '../src/http-catalog/signature.js';

/**
 * Sonatype Nexus Repository 3 (8081). Anonymous access (the nx-anonymous role, offered in the first-run wizard and
 * on by default before 3.17) lets anyone browse and download from every repository it covers: `GET
 * /service/rest/v1/repositories` then lists them. Without it the REST API answers 401 with
 * `WWW-Authenticate: BASIC realm="Sonatype Nexus Repository Manager"`. The `Server: Nexus/<version>` header names it.
 */
export default defineSignature({
  id: 'nexus',
  product: 'Sonatype Nexus Repository',
  category: 'artifact store',
  neverSends:
    'component and asset downloads, searches, uploads (/service/rest/v1/components), script API (/service/rest/v1/script), repository and security changes, the default admin password',
  defaultPorts: [8081],
  requests: [{ id: 'repositories', method: 'GET', path: '/service/rest/v1/repositories' }],
  positive: [
    {
      on: 'repositories',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [/"format"\s*:\s*"[a-z0-9]{1,20}"/, /"type"\s*:\s*"(hosted|proxy|group)"/],
      shows: 'the repository list as the anonymous user: anyone can browse and download the artifacts those repositories hold',
    },
  ],
  auth: [
    {
      on: 'repositories',
      status: [401],
      headers: { 'www-authenticate': /Sonatype Nexus/i },
      shows: '401 WWW-Authenticate: BASIC realm="Sonatype Nexus Repository Manager" (anonymous access off)',
      identifies: true,
    },
    { on: 'repositories', status: [401, 403], shows: '401/403 from Nexus or a proxy' },
  ],
  measure: [
    { id: 'repositories', kind: 'repository', request: { method: 'GET', path: '/service/rest/v1/repositories' }, list: '', name: 'name' },
  ],
  advisories: [
    {
      id: 'CVE-2024-4956',
      summary: 'unauthenticated path traversal reads any file on the server (e.g. /etc/passwd, the admin password file)',
      fixedIn: '3.68.1',
    },
  ],
  severity: 'medium',
  exposure: 'anyone can list the repositories and download the artifacts they hold (internal builds, configuration, embedded credentials)',
  remediation:
    'Disable anonymous access (Security → Anonymous Access) unless the repositories are meant to be public, keep hosted repositories private, and upgrade past 3.68.0.',
  references: [
    'https://help.sonatype.com/en/anonymous-access.html',
    'https://help.sonatype.com/en/repositories-api.html',
    'https://support.sonatype.com/hc/en-us/articles/29416509323923',
  ],
  extract(r) {
    const repos = r.repositories?.status === 200 ? r.repositories.json() : undefined;
    return compact({
      version: capture(r.repositories?.headers.server, /Nexus\/([\d.]+)/),
      repositories: Array.isArray(repos) ? repos.length : undefined,
    });
  },
});
