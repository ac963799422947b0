import { defineReplies } from '../src/http-catalog/replies.js';

const version = {
  path: '/api/v1/version',
  status: 200,
  body: { version: '1.22.6' },
  source: 'https://docs.gitea.com/api/1.22/#tag/miscellaneous/operation/getVersion (Gitea 1.22)',
};
const repo = (owner: string, name: string) => ({
  id: name.length,
  owner: { login: owner },
  name,
  full_name: `${owner}/${name}`,
  private: false,
  size: 2048,
  default_branch: 'main',
  updated_at: '2026-12-01T10:00:00Z',
});

export default defineReplies({
  signature: 'gitea',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.22.6',
      data: { items: 2 },
      replies: [
        version,
        {
          path: '/api/v1/repos/search?limit=50',
          status: 200,
          body: { ok: true, data: [repo('platform', 'deploy-configs'), repo('ml', 'rag-service')] },
          source:
            'https://docs.gitea.com/api/1.22/#tag/repository/operation/repoSearch (Gitea 1.22: SearchResults {ok, data}, REQUIRE_SIGNIN_VIEW false)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v1/version',
          status: 401,
          body: { message: 'Only signed in user is allowed to call APIs.', url: 'https://git.corp.example/api/swagger' },
          source: 'https://github.com/go-gitea/gitea/blob/main/routers/api/v1/api.go (Gitea 1.22, REQUIRE_SIGNIN_VIEW = true)',
        },
        {
          path: '/api/v1/repos/search?limit=50',
          status: 401,
          body: { message: 'Only signed in user is allowed to call APIs.', url: 'https://git.corp.example/api/swagger' },
          source: 'https://github.com/go-gitea/gitea/blob/main/routers/api/v1/api.go (Gitea 1.22, REQUIRE_SIGNIN_VIEW = true)',
        },
      ],
    },
  },
});
