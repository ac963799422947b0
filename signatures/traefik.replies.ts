import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Traefik API docs (/api/overview, /api/version) and the basicAuth middleware (401, realm "traefik")';

export default defineReplies({
  signature: 'traefik',
  landing: {
    status: 302,
    headers: { location: '/dashboard/', 'content-type': 'text/html; charset=utf-8' },
    body: '<a href="/dashboard/">Found</a>.\n',
    source: 'https://doc.traefik.io/traefik/operations/dashboard/ (Traefik 2/3: "a redirect of the path / to the path /dashboard/")',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.10.7',
      replies: [
        {
          path: '/api/overview',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            http: {
              routers: { total: 3, warnings: 0, errors: 0 },
              services: { total: 4, warnings: 0, errors: 0 },
              middlewares: { total: 1, warnings: 0, errors: 0 },
            },
            tcp: { routers: { total: 0 }, services: { total: 0 } },
            udp: { routers: { total: 0 }, services: { total: 0 } },
            features: { tracing: '', metrics: '', accessLog: false },
            providers: ['Docker', 'File'],
          },
          source,
        },
        {
          path: '/api/version',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { Version: '2.10.7', Codename: 'saintmarcelin', startDate: '2026-01-01T00:00:00Z' },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          // The API router (PathPrefix /api, /dashboard) carries the basicAuth middleware; nothing routes /.
          path: '/',
          status: 404,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
          body: '404 page not found\n',
          source: 'Traefik 3 with the dashboard behind a router + basicAuth: an unrouted path gets Go net/http NotFound',
        },
        {
          path: '/api/overview',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="traefik"', 'content-type': 'text/plain; charset=utf-8' },
          body: `401 Unauthorized
`,
          source,
        },
        {
          path: '/api/version',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="traefik"', 'content-type': 'text/plain; charset=utf-8' },
          body: `401 Unauthorized
`,
          source,
        },
      ],
    },
  },
});
