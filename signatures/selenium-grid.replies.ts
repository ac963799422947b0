import { defineReplies } from '../src/http-catalog/replies.js';

const node = (n: number) => ({
  id: `5a1c2b3d-0000-4000-8000-00000000000${n}`,
  uri: `http://127.0.0.${30 + n}:5555`,
  maxSessions: 1,
  osInfo: { arch: 'amd64', name: 'Linux', version: '6.1.0' },
  heartbeatPeriod: 60000,
  availability: 'UP',
  version: '4.27.0 (revision d6e718d134)',
  slots: [
    {
      id: { hostId: `node-${n}`, id: `slot-${n}` },
      lastStarted: '1970-01-01T00:00:00Z',
      session: null,
      stereotype: { browserName: 'chrome', platformName: 'linux' },
    },
  ],
});

export default defineReplies({
  signature: 'selenium-grid',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 2 },
      replies: [
        {
          path: '/status',
          status: 200,
          body: { value: { ready: true, message: 'Selenium Grid ready.', nodes: [node(1), node(2)] } },
          source:
            'https://www.selenium.dev/documentation/grid/advanced_features/endpoints/#grid-status (Selenium Grid 4.27, no router credentials)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/status',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="selenium-server"', 'content-type': 'text/plain' },
          body: '',
          source:
            'https://www.selenium.dev/documentation/grid/configuration/cli_options/#router (Selenium Grid 4.27 with --username/--password: BasicAuthenticationFilter)',
        },
      ],
    },
  },
});
