import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Cerebro index page (ng-app="cerebro", appVersion) and its auth: every page redirects to /login';

export default defineReplies({
  signature: 'cerebro',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.9.4',
      fallback: {
        status: 404,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<h1>Action Not Found</h1>',
        source,
      },
      replies: [
        {
          path: '/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<!DOCTYPE html>
<html lang="en" ng-app="cerebro" ng-init="appVersion = 'v0.9.4'">
<head><meta charset="utf-8"><title>cerebro</title></head><body></body></html>`,
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      siteWide: true,
      fallback: {
        status: 303,
        headers: { location: '/login' },
        body: '',
        source,
      },
      replies: [],
    },
  },
});
