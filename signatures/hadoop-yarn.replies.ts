import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'Hadoop ResourceManager REST API docs (Cluster Information API) and HTTP authentication docs (SPNEGO: 401 Negotiate on every page)';

export default defineReplies({
  signature: 'hadoop-yarn',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.3.6',
      replies: [
        {
          path: '/ws/v1/cluster/info',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            clusterInfo: {
              id: 1767225600000,
              startedOn: 1767225600000,
              state: 'STARTED',
              haState: 'ACTIVE',
              resourceManagerVersion: '3.3.6',
              resourceManagerBuildVersion: '3.3.6 from 1be78238',
              hadoopVersion: '3.3.6',
            },
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      siteWide: true,
      fallback: {
        status: 401,
        headers: { 'www-authenticate': 'Negotiate', 'content-type': 'text/html;charset=iso-8859-1' },
        body: '<html><head><title>Error 401 Authentication required</title></head></html>',
        source,
      },
      replies: [],
    },
  },
});
