import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Langfuse web/API. `GET /api/public/health` ({"status":"OK","version"}) is public by design and identifies it; the
 * public API needs a project key pair (Basic auth) and the UI a login, so Langfuse itself has no open state to prove.
 * Its data lives in ClickHouse (traces: prompts and completions) and MinIO/S3: the compose file's defaults
 * (clickhouse/clickhouse, minio/miniosecret) belong to those services' own checks, not to this HTTP signature.
 * Never sent: ingestion, /api/auth/* (sign-up, sign-in), tRPC mutations.
 */
export default defineSignature({
  id: 'langfuse',
  product: 'Langfuse',
  category: 'app / agent builder',
  neverSends: 'ingestion, /api/auth/* (sign-up, sign-in), tRPC mutations',
  defaultPorts: [3000],
  requests: [
    { id: 'health', method: 'GET', path: '/api/public/health' },
    { id: 'projects', method: 'GET', path: '/api/public/projects' },
  ],
  positive: [
    {
      on: 'health',
      status: [200],
      contentType: /json/i,
      json: [
        { path: 'status', equals: 'OK' },
        { path: 'version', match: /^v?\d+\.\d+/ },
      ],
      body: [/^\s*\{\s*"status"\s*:\s*"OK"\s*,\s*"version"\s*:\s*"[^"]+"\s*\}\s*$/],
      shows: 'health and version (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'projects',
      status: [401],
      contentType: /json/i,
      json: ['message'],
      shows: '401 from the public API without a project key pair',
    },
  ],
  severity: 'medium',
  exposure: 'Langfuse requires a key pair or login; this check identifies it so that its ClickHouse and MinIO are audited too',
  remediation:
    'Set AUTH_DISABLE_SIGNUP=true unless self-service sign-up is wanted, replace every CHANGEME secret of the compose file (NEXTAUTH_SECRET, SALT, ENCRYPTION_KEY, ClickHouse, MinIO, Postgres, Redis), and keep ClickHouse and MinIO off public interfaces.',
  references: ['https://langfuse.com/self-hosting/docker-compose', 'https://api.reference.langfuse.com/#get-/api/public/health'],
  extract(r) {
    return compact({ version: str(r.health?.json(), 'version') });
  },
});
