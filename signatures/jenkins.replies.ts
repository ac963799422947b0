import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'Jenkins remote access API docs and security docs (403 with X-Jenkins, X-You-Are-Authenticated-As); nuclei jenkins-api-panel';

export default defineReplies({
  signature: 'jenkins',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.426.1',
      fallback: {
        status: 404,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'x-jenkins': '2.426.1',
          'x-hudson': '1.395',
          'x-jenkins-session': '2f1b7c1a',
        },
        body: '<html><body>Not Found</body></html>',
        source,
      },
      replies: [
        {
          path: '/api/json?tree=mode,useSecurity,jobs[name]',
          status: 200,
          headers: {
            'content-type': 'application/json',
            'x-jenkins': '2.426.1',
            'x-hudson': '1.395',
            'x-jenkins-session': '2f1b7c1a',
          },
          body: {
            _class: 'hudson.model.Hudson',
            mode: 'NORMAL',
            useSecurity: false,
            jobs: [{ _class: 'hudson.model.FreeStyleProject', name: 'deploy-prod' }],
          },
          source,
        },
        {
          path: '/script',
          status: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'x-jenkins': '2.426.1',
            'x-hudson': '1.395',
            'x-jenkins-session': '2f1b7c1a',
          },
          body: '<html><head><title>Jenkins</title></head><body><h1>Script Console</h1><form method="post" action="script"><textarea name="script" class="script"></textarea><input type="submit" value="Run"></form></body></html>',
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 403,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'x-jenkins': '2.426.1',
          'x-hudson': '1.395',
          'x-jenkins-session': '2f1b7c1a',
          'x-you-are-authenticated-as': 'anonymous',
          'x-required-permission': 'hudson.model.Hudson.Read',
        },
        body: '<html><head><meta http-equiv="refresh" content="1;url=/login?from=%2F"/></head><body>Authentication required</body></html>',
        source,
      },
      replies: [],
    },
  },
});
