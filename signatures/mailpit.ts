import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Mailpit (web UI and API 8025, SMTP 1025), a mail catcher: password-reset and invitation mails of staging systems
 * end up there. No authentication unless --ui-auth-file (basic auth). `GET /api/v1/info` gives the version and
 * the message counts without reading any message.
 */
export default defineSignature({
  id: 'mailpit',
  product: 'Mailpit',
  category: 'mail catcher',
  neverSends:
    'message lists and bodies (/api/v1/messages, /api/v1/message/*), raw sources, attachments, search, release/relay (/api/v1/message/*/release), /api/v1/send, deletes',
  defaultPorts: [8025],
  requests: [{ id: 'info', method: 'GET', path: '/api/v1/info' }],
  positive: [
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: ['Version', 'Messages', 'Unread', 'Database'],
      shows: 'the mailbox counts without credentials: every caught mail (password resets, invitations, tokens) is readable',
    },
  ],
  auth: [{ on: 'info', status: [401], headers: { 'www-authenticate': /Basic/i }, shows: '401 WWW-Authenticate: Basic (--ui-auth-file)' }],
  severity: 'high',
  exposure: 'anyone can read every caught mail (password-reset links, invitations, one-time codes) and relay them to real addresses',
  remediation: 'Start Mailpit with --ui-auth-file (and --smtp-auth-file), never relay, and keep ports 8025 and 1025 on a private network.',
  references: [
    'https://mailpit.axllent.org/docs/api-v1/view.html#get-/api/v1/info',
    'https://mailpit.axllent.org/docs/configuration/passwords/',
  ],
  extract(r) {
    const b = r.info?.json();
    return compact({ version: str(b, 'Version')?.replace(/^v/, ''), messages: jsonAt(b, 'Messages'), unread: jsonAt(b, 'Unread') });
  },
});
