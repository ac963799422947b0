import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * Dask distributed scheduler dashboard (8787). The dashboard has no login; `GET /json/identity.json` returns the
 * scheduler's identity (`"type":"Scheduler"`, its comm address and workers). Whoever reaches the scheduler port
 * (8786, never contacted here) can submit arbitrary Python to every worker: Dask's design.
 */
export default defineSignature({
  id: 'dask',
  product: 'Dask distributed',
  category: 'query engine / notebook',
  impact: 'code-execution',
  neverSends: 'anything on the scheduler port 8786 (a client connection submits code), /proxy/* (worker proxying), /individual-* plots',
  defaultPorts: [8787],
  requests: [{ id: 'identity', method: 'GET', path: '/json/identity.json' }],
  positive: [
    {
      on: 'identity',
      status: [200],
      contentType: /json/i,
      json: [{ path: 'type', equals: 'Scheduler' }, 'id', 'address', 'workers'],
      shows: 'the scheduler identity and workers without credentials: the scheduler accepts arbitrary Python for every worker',
    },
  ],
  auth: [
    { on: 'identity', status: [401, 403], shows: '401/403 from a proxy in front of the dashboard (Dask has no login)' },
    { on: 'identity', status: [302, 303], redirect: /login|oauth|hub/i, shows: 'redirect to a login page (JupyterHub or an auth proxy)' },
  ],
  measure: [{ id: 'workers', kind: 'node', request: { method: 'GET', path: '/json/identity.json' }, list: 'workers.*' }],
  severity: 'critical',
  exposure:
    'the scheduler behind this dashboard runs arbitrary Python on every worker for any client; the dashboard leaks worker addresses and task names',
  remediation:
    'Keep the scheduler (8786) and dashboard (8787) on a private network, enable TLS with client certificates (distributed.comm.require-encryption and a Security object), and put the dashboard behind an authenticating proxy.',
  references: ['https://distributed.dask.org/en/latest/http_services.html', 'https://distributed.dask.org/en/latest/tls.html'],
  extract(r) {
    const b = r.identity?.json();
    const workers = jsonAt(b, 'workers');
    return compact({
      scheduler: str(b, 'id'),
      workers: workers && typeof workers === 'object' ? Object.keys(workers).length : undefined,
    });
  },
});
