import { defineReplies } from '../src/http-catalog/replies.js';

export default defineReplies({
  signature: 'mailpit',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.21.4',
      replies: [
        {
          path: '/api/v1/info',
          status: 200,
          body: {
            Version: 'v1.21.4',
            LatestVersion: 'v1.21.4',
            Database: '/data/mailpit.db',
            DatabaseSize: 9437184,
            Messages: 1342,
            Unread: 17,
            Tags: { 'password-reset': 211 },
            RuntimeStats: {
              Uptime: 864000,
              Memory: 41943040,
              MessagesDeleted: 0,
              SMTPAccepted: 1342,
              SMTPAcceptedSize: 52428800,
              SMTPRejected: 0,
              SMTPIgnored: 0,
            },
          },
          source: 'https://mailpit.axllent.org/docs/api-v1/view.html#get-/api/v1/info (Mailpit 1.21: AppInformation)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v1/info',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="Login"', 'content-type': 'text/plain; charset=utf-8' },
          body: 'Unauthorised.\n',
          source:
            'https://mailpit.axllent.org/docs/configuration/passwords/ (Mailpit 1.21 with --ui-auth-file: basic authentication on the UI and API)',
        },
      ],
    },
  },
});
