import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'vespa',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '8.420.15',
      replies: [
        {
          path: '/ApplicationStatus',
          status: 200,
          body: {
            application: {
              vespa: { version: '8.420.15' },
              meta: {
                name: 'default',
                user: 'unknown',
                path: '/opt/vespa/var/db/vespa/config_server',
                generation: 4,
                timestamp: 1764900000000,
                date: 'Fri Dec 05 10:00:00 UTC 2026',
                checksum: 'b6f5c3',
              },
              user: { version: '' },
            },
            abstractComponents: [],
            handlers: [
              {
                id: 'com.yahoo.document.restapi.resource.DocumentV1ApiHandler',
                class: 'com.yahoo.document.restapi.resource.DocumentV1ApiHandler',
                bundle: 'vespaclient-container-plugin',
                serverBindings: ['http://*/document/v1/*'],
              },
              {
                id: 'com.yahoo.search.handler.SearchHandler',
                class: 'com.yahoo.search.handler.SearchHandler',
                bundle: 'container-search-and-docproc',
                serverBindings: ['http://*/search/*'],
              },
            ],
            searchChains: {},
          },
          source: 'https://docs.vespa.ai/en/reference/application-status.html (Vespa 8: GET /ApplicationStatus on a self-hosted container)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/ApplicationStatus',
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: { code: 401, message: 'Unauthorized' },
          source:
            'https://docs.vespa.ai/en/reference/services-container.html#clients (Vespa 8 token data-plane access control: a request without a token is refused)',
        },
      ],
    },
  },
});
