import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Gitea / Forgejo / Gogs (3000). Public repositories are listable by anyone unless REQUIRE_SIGNIN_VIEW = true:
 * `GET /api/v1/repos/search` answers `{"ok":true,"data":[…]}` (Gogs uses the same envelope). With sign-in required
 * the API answers 401 "Only signed in user is allowed to call APIs." (routers/api/v1 reqToken / sign-in check).
 */
export default defineSignature({
  id: 'gitea',
  product: 'Gitea / Forgejo / Gogs',
  category: 'artifact store',
  neverSends: 'repository contents, archives and raw files, /install, sign-up and sign-in, any POST/PATCH/DELETE, guessed tokens',
  defaultPorts: [3000],
  requests: [
    { id: 'version', method: 'GET', path: '/api/v1/version' },
    { id: 'repos', method: 'GET', path: '/api/v1/repos/search?limit=50' },
  ],
  positive: [
    {
      on: 'repos',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'ok', equals: true }, 'data'],
      shows: 'repositories listed without an account: every public repository (code, issues, releases) is readable anonymously',
    },
  ],
  auth: [
    {
      on: 'repos',
      status: [401, 403],
      contentType: /json/i,
      body: [/Only signed in user is allowed to call APIs|token is required/i],
      shows: '401 "Only signed in user is allowed to call APIs." (REQUIRE_SIGNIN_VIEW)',
      identifies: true,
    },
  ],
  measure: [
    { id: 'repos', kind: 'repository', request: { method: 'GET', path: '/api/v1/repos/search?limit=50' }, list: 'data', name: 'full_name' },
  ],
  severity: 'medium',
  exposure:
    'anyone can read the public repositories (code, history, issues, releases); on an internal forge these often hold configuration and secrets',
  remediation:
    'Set [service] REQUIRE_SIGNIN_VIEW = true (and DISABLE_REGISTRATION = true) on internal forges, make repositories private, and keep the forge on a private network.',
  references: [
    'https://docs.gitea.com/administration/config-cheat-sheet#service-service',
    'https://docs.gitea.com/api/1.22/#tag/repository/operation/repoSearch',
    'https://github.com/go-gitea/gitea/blob/main/routers/api/v1/api.go',
  ],
  extract(r) {
    const data = jsonAt(r.repos?.status === 200 ? r.repos.json() : undefined, 'data');
    return compact({ version: str(r.version?.json(), 'version'), repositories: Array.isArray(data) ? data.length : undefined });
  },
});
