import { defineReplies } from '../src/http-catalog/replies.js';

const buildinfo = {
  path: '/api/status/buildinfo',
  status: 200,
  body: { version: '2.6.1', revision: 'a2c9f6e', branch: 'HEAD', buildUser: '', buildDate: '', goVersion: 'go1.22.7' },
  source: 'https://grafana.com/docs/tempo/latest/api_docs/#status (Tempo 2.6: GET /api/status/buildinfo)',
};

export default defineReplies({
  signature: 'grafana-tempo',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.6.1',
      data: { items: 4 },
      replies: [
        buildinfo,
        {
          path: '/api/search/tags',
          status: 200,
          body: { tagNames: ['service.name', 'http.method', 'llm.model', 'db.statement'] },
          source: 'https://grafana.com/docs/tempo/latest/api_docs/#search-tags (Tempo 2.6: {"tagNames":[…]})',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        buildinfo,
        {
          path: '/api/search/tags',
          status: 401,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'no org id\n',
          source:
            'https://grafana.com/docs/tempo/latest/operations/manage-advanced-systems/multitenancy/ (Tempo 2.6, multitenancy_enabled: true, no X-Scope-OrgID: 401 "no org id")',
        },
      ],
    },
  },
});
