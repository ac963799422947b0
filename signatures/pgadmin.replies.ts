import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'pgadmin',
  landing: {
    status: 302,
    headers: { location: '/browser/', 'content-type': 'text/html; charset=utf-8' },
    body: '<!doctype html><title>Redirecting...</title><h1>Redirecting...</h1><p>You should be redirected automatically to the target URL: <a href="/browser/">/browser/</a>.</p>',
    source:
      'https://github.com/pgadmin-org/pgadmin4/blob/master/web/pgadmin/__init__.py (the index route redirects to the browser; in server mode Flask-Login answers /login?next= first)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/browser/',
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', server: 'Werkzeug/3.0.4 Python/3.12.6' },
          body: '<!DOCTYPE html><html lang="en"><head><title>pgAdmin 4</title><link rel="stylesheet" href="/static/js/generated/pgadmin.style.css"/></head><body><div id="root"></div><script>window.pgAdmin = {}; require(["pgadmin", "sources/generated/browser_nodes"], function() { pgBrowser.init(); });</script></body></html>',
          source:
            'https://github.com/pgadmin-org/pgadmin4/blob/master/web/pgadmin/browser/templates/browser/index.html (pgAdmin 8.12 in desktop mode, SERVER_MODE = False, bound to a network address)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/browser/',
          status: 302,
          headers: { location: '/login?next=%2Fbrowser%2F', 'content-type': 'text/html; charset=utf-8' },
          body: '<!doctype html><title>Redirecting...</title><h1>Redirecting...</h1><p>You should be redirected automatically to the target URL: <a href="/login?next=%2Fbrowser%2F">/login?next=%2Fbrowser%2F</a>.</p>',
          source:
            'https://www.pgadmin.org/docs/pgadmin4/latest/server_deployment.html (pgAdmin 8.12 container, server mode: Flask-Login redirects to /login?next=)',
        },
      ],
    },
  },
});
