import { defineReplies } from '../src/http-catalog/replies.js';

const version = {
  path: '/api/version',
  status: 200,
  body: { status: 'OK', message: 'Zeppelin version', body: { 'git-commit-id': '', 'git-timestamp': '', version: '0.11.2' } },
  source: 'https://zeppelin.apache.org/docs/latest/usage/rest_api/zeppelin_server.html#get-zeppelin-version (Zeppelin 0.11)',
};

export default defineReplies({
  signature: 'zeppelin',
  landing: {
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: '<!doctype html><html ng-app="zeppelinWebApp"><head><meta charset="utf-8"><title>Zeppelin</title></head><body ng-class="{\'bodyAsIframe\': asIframe}"><div id="main"></div></body></html>',
    source: 'apache/zeppelin zeppelin-web/src/index.html (0.11: the AngularJS app served for /)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.11.2',
      data: { items: 2 },
      replies: [
        version,
        {
          path: '/api/notebook',
          status: 200,
          body: {
            status: 'OK',
            message: '',
            body: [
              { id: '2A94M5J1Z', path: '/Zeppelin Tutorial/Basic Features (Spark)' },
              { id: '2JKQ8W3PF', path: '/finance/revenue-by-region' },
            ],
          },
          source:
            'https://zeppelin.apache.org/docs/latest/usage/rest_api/notebook.html#list-of-the-notes (Zeppelin 0.11, anonymous access)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        version,
        {
          path: '/api/notebook',
          status: 401,
          headers: { 'content-type': 'text/plain' },
          body: '',
          source:
            'https://zeppelin.apache.org/docs/latest/setup/security/shiro_authentication.html (Zeppelin 0.11, /api/** = authc: 401 without a session)',
        },
      ],
    },
  },
});
