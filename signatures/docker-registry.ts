import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Docker Registry HTTP API v2 (CNCF distribution 2.x, Debian `docker-registry`; also pulp, GitLab and Harbor's
 * registry). `GET /v2/` answers 200 `{}` with `Docker-Distribution-Api-Version: registry/2.0` when anonymous pulls are
 * allowed; with htpasswd or token auth every /v2/ route answers 401 with that header and `WWW-Authenticate: Basic`
 * or `Bearer realm=…` (a token realm is never visited: fetching an anonymous token would be authenticating).
 * Proof: `GET /v2/_catalog?n=100` lists repositories (an empty list still proves anonymous read: anyone can push or
 * pull as soon as a repository exists). Measured: repository names, and the tags of at most 5 of them.
 * Never sent: POST /v2/<name>/blobs/uploads/ (push), PUT/PATCH/DELETE, blob or manifest downloads.
 */
const apiHeader = { 'docker-distribution-api-version': /^registry\/2\.0/i };

export default defineSignature({
  id: 'docker-registry',
  product: 'Docker Registry (distribution v2)',
  defaultPorts: [5000],
  requests: [
    { id: 'base', method: 'GET', path: '/v2/' },
    { id: 'catalog', method: 'GET', path: '/v2/_catalog?n=100' },
  ],
  positive: [
    {
      on: 'catalog',
      status: [200],
      contentType: /json/i,
      headers: apiHeader,
      json: ['repositories'],
      jsonType: 'object',
      shows: 'the repository catalog without credentials: every image can be pulled (and, unless a proxy blocks it, pushed)',
    },
  ],
  auth: [
    {
      on: ['base', 'catalog'],
      status: [401],
      headers: { ...apiHeader, 'www-authenticate': /^(Basic|Bearer)\b/i },
      shows: '401 with WWW-Authenticate (Basic: htpasswd; Bearer realm=…: token auth) and Docker-Distribution-Api-Version',
      identifies: true,
    },
    {
      on: ['base', 'catalog'],
      status: [401, 403],
      headers: { 'www-authenticate': /^(Basic|Bearer)\b/i },
      shows: '401 with WWW-Authenticate from a proxy in front of the registry',
    },
  ],
  measure: [
    {
      id: 'repositories',
      kind: 'repository',
      request: { method: 'GET', path: '/v2/_catalog?n=100' },
      list: 'repositories',
      // The tag names of the first few repositories (their count is the measurement; tags/list is a read).
      each: { path: '/v2/{name}/tags/list', fields: 'tags', max: 5 },
    },
  ],
  severity: 'high',
  exposure:
    'anyone can pull every image (layers often carry source code, keys and credentials) and, unless push is blocked, replace images that hosts deploy',
  remediation:
    'Enable authentication (auth: htpasswd or token) on the registry, serve it over TLS, keep it on a private interface, and give anonymous users no pull or push rights.',
  references: [
    'https://distribution.github.io/distribution/spec/api/',
    'https://distribution.github.io/distribution/about/configuration/#auth',
    'https://distribution.github.io/distribution/spec/auth/token/',
  ],
  extract(r) {
    const cat = r.catalog?.status === 200 ? r.catalog.json() : undefined;
    const repos = cat && typeof cat === 'object' ? (cat as { repositories?: unknown }).repositories : undefined;
    return compact({
      api: r.base?.headers['docker-distribution-api-version'] ?? r.catalog?.headers['docker-distribution-api-version'],
      repositories: Array.isArray(repos) ? repos.length : undefined,
      authScheme: str({ v: r.base?.headers['www-authenticate'] ?? r.catalog?.headers['www-authenticate'] }, 'v', 40)?.split(/\s/)[0],
    });
  },
  summarize(reply) {
    const b = reply.json();
    const repos = b && typeof b === 'object' ? (b as { repositories?: unknown }).repositories : undefined;
    if (reply.requestId === 'catalog' && Array.isArray(repos)) return `${reply.status} ${repos.length} repositories`;
    return `${reply.status} ${reply.headers['docker-distribution-api-version'] ?? ''}`.trim();
  },
});
