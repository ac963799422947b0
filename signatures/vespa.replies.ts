import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'vespa',
  landing: {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"handlers":[{"id":"com.yahoo.container.usability.BindingsOverviewHandler","class":"com.yahoo.container.usability.BindingsOverviewHandler","bundle":"container-disc:8.0.0","serverBindings":["http://*/"]},{"id":"com.yahoo.container.handler.observability.ApplicationStatusHandler","serverBindings":["http://*/ApplicationStatus"]}]}',
    source: 'vespa-engine/vespa container-disc BindingsOverviewHandler (the JSON at / of a Vespa 8 container)',
  },
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
