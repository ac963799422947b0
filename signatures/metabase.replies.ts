import { defineReplies } from '../src/http-catalog/replies.js';

const props = (setup: boolean) => ({
  path: '/api/session/properties',
  status: 200,
  body: {
    'has-user-setup': setup,
    'setup-token': setup ? null : '2f4a9c1e-7b3d-4e5f-9a8b-0c1d2e3f4a5b',
    'site-name': 'Metabase',
    'anon-tracking-enabled': false,
    'available-locales': [['en', 'English']],
    version: { date: '2024-10-10', tag: 'v0.50.30', branch: 'release-x.50.x', hash: 'a1b2c3d' },
  },
  source:
    'https://github.com/metabase/metabase/issues/4240 (Metabase 0.50: public settings, setup-token non-null until setup, null afterwards)',
});

export default defineReplies({
  signature: 'metabase',
  cases: {
    exposed: {
      expect: 'exposed',
      unclaimed: true,
      version: '0.50.30',
      replies: [props(false)],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        props(true),
        {
          path: '/api/user/current',
          status: 401,
          headers: { 'content-type': 'text/plain' },
          body: 'Unauthenticated',
          source:
            'https://www.metabase.com/docs/latest/api/user#get-apiusercurrent (Metabase 0.50 without a session: 401 "Unauthenticated")',
        },
      ],
    },
  },
});
