import { defineReplies } from '../src/http-catalog/replies.js';

// One message in the shape MailHog stores it (github.com/mailhog/data Message), trimmed: the probe reads 512 bytes.
const message = {
  ID: 'x9Zq3mK1@mailhog.example',
  From: { Relays: null, Mailbox: 'no-reply', Domain: 'app.example', Params: '' },
  To: [{ Relays: null, Mailbox: 'alice', Domain: 'corp.example', Params: '' }],
  Content: {
    Headers: { Subject: ['Reset your password'] },
    Body: 'Follow this link to reset your password: https://app.example/reset?token=redacted',
    Size: 812,
    MIME: null,
  },
  Created: '2026-12-05T09:12:44.1Z',
  MIME: null,
  Raw: { From: 'no-reply@app.example', To: ['alice@corp.example'], Data: 'Subject: Reset your password\r\n\r\n…', Helo: 'app' },
};

export default defineReplies({
  signature: 'mailhog',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/api/v2/messages?limit=1',
          status: 200,
          headers: { 'content-type': 'text/json' },
          body: JSON.stringify({ total: 57, count: 1, start: 0, items: [message] }),
          source:
            'https://github.com/mailhog/MailHog-Server/blob/master/api/v2.go (MailHog 1.0.1: messagesResult {total,count,start,items}, Content-Type text/json)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v2/messages?limit=1',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="MailHog"', 'content-type': 'text/plain' },
          body: '',
          source: 'https://github.com/mailhog/MailHog/blob/master/docs/Auth.md (MailHog 1.0.1 with -auth-file: HTTP basic authentication)',
        },
      ],
    },
  },
});
