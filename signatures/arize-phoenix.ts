import { capture, compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

/**
 * Arize Phoenix (LLM trace store): `GET /arize_phoenix_version` answers the plain-text version (Phoenix's own
 * clients read it to detect the server); the REST API (`/v1/projects`) is open unless PHOENIX_ENABLE_AUTH is set.
 * Project ids are Relay global ids, base64 of `Project:<n>` ("UHJvamVjdDo…"): a marker no generic server writes.
 */
export default defineSignature({
  id: 'arize-phoenix',
  product: 'Arize Phoenix',
  category: 'LLM trace store',
  neverSends:
    'OTLP ingestion (/v1/traces), GraphQL (/graphql), span/annotation/dataset/experiment/prompt writes, span and trace reads, playground runs',
  defaultPorts: [6006],
  requests: [
    { id: 'version', method: 'GET', path: '/arize_phoenix_version' },
    { id: 'projects', method: 'GET', path: '/v1/projects' },
  ],
  positive: [
    {
      on: 'projects',
      status: [200],
      contentType: /json/i,
      json: ['data'],
      body: [/"id"\s*:\s*"UHJvamVjdDo/],
      shows:
        'the trace project list without credentials: prompts, completions and retrieved documents of every traced LLM call are readable',
    },
  ],
  auth: [
    { on: 'projects', status: [401, 403], shows: '401/403 from the Phoenix REST API (PHOENIX_ENABLE_AUTH)' },
    { on: 'projects', status: [302, 303], redirect: /login/i, shows: 'redirect to the Phoenix login page' },
  ],
  leaks: [
    {
      on: 'version',
      status: [200],
      body: [/^\s*\d+\.\d+\.\d+[\w.-]*\s*$/],
      shows: 'GET /arize_phoenix_version reveals the Phoenix version while the API demands credentials',
    },
  ],
  measure: [{ id: 'projects', kind: 'project', request: { method: 'GET', path: '/v1/projects' }, list: 'data', name: 'name' }],
  severity: 'high',
  exposure:
    'anyone can read every LLM trace (prompts, completions, retrieved documents, tool calls), datasets and prompts, and spend the provider keys stored for the playground',
  remediation:
    'Set PHOENIX_ENABLE_AUTH=true with a PHOENIX_SECRET, keep port 6006 on a private interface or behind an authenticating proxy, and never trace secrets.',
  references: [
    'https://arize.com/docs/phoenix/self-hosting/features/authentication',
    'https://github.com/Arize-ai/phoenix/blob/main/src/phoenix/server/api/routers/v1/projects.py',
  ],
  extract(r) {
    const data = jsonAt(r.projects?.status === 200 ? r.projects.json() : undefined, 'data');
    return compact({
      version: capture(r.version?.status === 200 ? r.version.text : undefined, /^\s*(\d+\.\d+\.\d+[\w.-]*)\s*$/),
      projects: Array.isArray(data) ? data.length : undefined,
    });
  },
});
