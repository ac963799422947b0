import { capture, compact, defineSignature } from '../src/http-catalog/signature.js';

/**
 * MailHog (UI and API 8025, SMTP 1025), a mail catcher. No authentication unless -auth-file (basic auth).
 * `GET /api/v2/messages?limit=1` is the smallest listing the API allows (limit ≤ 0 means 50: MailHog-Server
 * api/v2.go getStartLimit); only its first 512 bytes are read: the `{"total":N,"count":1,"start":0,"items":[`
 * envelope proves access and counts the mails, the message itself is cut off and never kept.
 */
export default defineSignature({
  id: 'mailhog',
  product: 'MailHog',
  category: 'mail catcher',
  neverSends:
    'message reads beyond the first 512 bytes, /api/v1/messages (every message), /api/v2/search, the event stream (/api/v1/events), release (/api/v1/messages/*/release), deletes',
  defaultPorts: [8025],
  requests: [{ id: 'messages', method: 'GET', path: '/api/v2/messages?limit=1', maxBytes: 512 }],
  positive: [
    {
      on: 'messages',
      status: [200],
      contentType: /json/i,
      body: [/^\s*\{\s*"total"\s*:\s*\d+\s*,\s*"count"\s*:\s*\d+\s*,\s*"start"\s*:\s*\d+\s*,\s*"items"\s*:\s*\[/],
      shows: 'the mailbox without credentials: every caught mail (password resets, invitations, tokens) is readable',
    },
  ],
  auth: [{ on: 'messages', status: [401], headers: { 'www-authenticate': /Basic/i }, shows: '401 WWW-Authenticate: Basic (-auth-file)' }],
  severity: 'high',
  exposure: 'anyone can read every caught mail (password-reset links, invitations, one-time codes) and release them to real addresses',
  remediation:
    'Start MailHog with -auth-file (bcrypt passwords), or replace it with Mailpit, and keep ports 8025 and 1025 on a private network.',
  references: [
    'https://github.com/mailhog/MailHog-Server/blob/master/api/v2.go',
    'https://github.com/mailhog/MailHog/blob/master/docs/Auth.md',
  ],
  extract(r) {
    const total = capture(r.messages?.status === 200 ? r.messages.text : undefined, /^\s*\{\s*"total"\s*:\s*(\d{1,12})/);
    return compact({ messages: total === undefined ? undefined : Number(total) });
  },
  summarize(reply) {
    const total = capture(reply.text, /^\s*\{\s*"total"\s*:\s*(\d{1,12})/);
    return `${reply.status} ${total ?? '?'} messages (bodies not read)`;
  },
});
