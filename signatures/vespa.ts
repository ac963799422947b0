import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Vespa container (8080). Self-hosted Vespa has no authentication of its own (Vespa Cloud uses mTLS or tokens):
 * `GET /ApplicationStatus` answers the application's version, generation and its handlers and search chains.
 * Documents are only read through /document/v1 and /search/, which are never sent.
 */
export default defineSignature({
  id: 'vespa',
  product: 'Vespa',
  category: 'search engine',
  neverSends: '/search/ queries, /document/v1 reads and visits, feeds, deploys to the config server (19071)',
  defaultPorts: [8080],
  requests: [{ id: 'status', method: 'GET', path: '/ApplicationStatus' }],
  // Asked only where `/` is the container's handler listing (Vespa's RootHandler: {"handlers": [...]}).
  identify: { landing: [{ bodyAny: [/"handlers"\s*:\s*\[/, /com\.yahoo\./] }] },
  positive: [
    {
      on: 'status',
      status: [200],
      contentType: /json/i,
      json: ['application.vespa.version', 'handlers'],
      shows: 'the application status without credentials: every document can be queried, fed and removed through /document/v1 and /search/',
    },
  ],
  auth: [{ on: 'status', status: [401, 403], shows: '401/403 (token or mTLS data-plane access control, or a proxy)' }],
  severity: 'high',
  exposure: 'anyone can query, feed and delete documents of every schema through the container APIs',
  remediation:
    'Put the container behind mTLS or token data-plane access control (or an authenticating proxy) and keep ports 8080 and 19071 on a private network.',
  references: [
    'https://docs.vespa.ai/en/reference/application-status.html',
    'https://docs.vespa.ai/en/securing-your-vespa-installation.html',
  ],
  extract(r) {
    const handlers = jsonAt(r.status?.json(), 'handlers');
    return compact({
      version: str(r.status?.json(), 'application.vespa.version'),
      generation: str(r.status?.json(), 'application.meta.generation'),
      handlers: Array.isArray(handlers) ? handlers.length : undefined,
    });
  },
});
