import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'prometheus',
  cases: {
    exposed: {
      expect: 'exposed',
      version: /^2\.\d+\.\d+/,
      fallback: {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
        body: `404 page not found
`,
        source:
          'recorded from the real server: Debian prometheus (scripts/servers, open variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'prometheus', variant: 'open', port: 9090 },
      replies: [
        {
          path: '/api/v1/status/buildinfo',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            status: 'success',
            data: {
              version: '2.42.0+ds',
              revision: '2.42.0+ds-5+deb12u1',
              branch: 'debian/sid',
              buildUser: 'team+pkg-go@tracker.debian.org',
              buildDate: '20260604-00:58:54',
              goVersion: 'go1.19.8',
            },
          },
          source: 'recorded from the real server: Debian prometheus (scripts/servers, open variant), 2026-12-01',
        },
        {
          path: '/api/v1/status/config',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            status: 'success',
            data: {
              yaml: `global:
  scrape_interval: 1m
  scrape_timeout: 10s
  evaluation_interval: 1m
`,
            },
          },
          source: 'recorded from the real server: Debian prometheus (scripts/servers, open variant), 2026-12-01',
        },
        {
          path: '/api/v1/targets?state=active',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { status: 'success', data: { activeTargets: [], droppedTargets: [] } },
          source: 'recorded from the real server: Debian prometheus (scripts/servers, open variant), 2026-12-01',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      siteWide: true,
      fallback: {
        status: 401,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'www-authenticate': 'Basic',
          'x-content-type-options': 'nosniff',
        },
        body: `Unauthorized
`,
        source:
          'recorded from the real server: Debian prometheus (scripts/servers, protected variant), 2026-12-01: its answer to an unknown path',
      },
      real: { kind: 'prometheus', variant: 'protected', port: 9090 },
      replies: [
        {
          path: '/api/v1/status/buildinfo',
          status: 401,
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'www-authenticate': 'Basic',
            'x-content-type-options': 'nosniff',
          },
          body: `Unauthorized
`,
          source: 'recorded from the real server: Debian prometheus (scripts/servers, protected variant), 2026-12-01',
        },
        {
          path: '/api/v1/status/config',
          status: 401,
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'www-authenticate': 'Basic',
            'x-content-type-options': 'nosniff',
          },
          body: `Unauthorized
`,
          source: 'recorded from the real server: Debian prometheus (scripts/servers, protected variant), 2026-12-01',
        },
        {
          path: '/api/v1/targets?state=active',
          status: 401,
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'www-authenticate': 'Basic',
            'x-content-type-options': 'nosniff',
          },
          body: `Unauthorized
`,
          source: 'recorded from the real server: Debian prometheus (scripts/servers, protected variant), 2026-12-01',
        },
      ],
    },
  },
});
