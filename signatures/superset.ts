import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

/**
 * Apache Superset (8088). The REST API needs a session or JWT unless AUTH_ROLE_PUBLIC / PUBLIC_ROLE_LIKE grants the
 * anonymous "Public" role permissions: then `GET /api/v1/dashboard/` lists dashboards (`count`, `ids`, `result`).
 * Without a login it answers 401 (`{"msg":"Missing Authorization Header"}` or `{"message":"Not authorized"}`).
 * CVE-2023-27524: the default SECRET_KEY lets anyone forge an admin session — never attempted here.
 */
export default defineSignature({
  id: 'superset',
  product: 'Apache Superset',
  category: 'BI tool',
  neverSends:
    'SQL Lab (/api/v1/sqllab/*, /superset/sql_json), chart data queries, database connection tests, forged session cookies (CVE-2023-27524), /login',
  defaultPorts: [8088],
  requests: [
    { id: 'dashboards', method: 'GET', path: '/api/v1/dashboard/' },
    { id: 'databases', method: 'GET', path: '/api/v1/database/' },
  ],
  positive: [
    {
      on: ['dashboards', 'databases'],
      status: [200],
      contentType: /json/i,
      json: ['count', 'ids', 'result'],
      body: [/"list_columns"|"dashboard_title"|"database_name"/],
      shows: 'dashboards or database connections readable by the anonymous Public role',
    },
  ],
  auth: [
    {
      on: ['dashboards', 'databases'],
      status: [401, 403],
      contentType: /json/i,
      body: [/"(msg|message)"\s*:\s*"(Missing Authorization Header|Not authorized|Forbidden)"/],
      shows: '401 "Missing Authorization Header" / "Not authorized" (login required)',
    },
  ],
  measure: [
    {
      id: 'dashboards',
      kind: 'dashboard',
      request: { method: 'GET', path: '/api/v1/dashboard/' },
      list: 'result',
      name: 'dashboard_title',
    },
    { id: 'databases', kind: 'database', request: { method: 'GET', path: '/api/v1/database/' }, list: 'result', name: 'database_name' },
  ],
  advisories: [{ id: 'CVE-2023-27524', summary: 'the default SECRET_KEY lets anyone forge an admin session cookie', fixedIn: '2.1.0' }],
  severity: 'high',
  exposure:
    'anonymous users read dashboards and the database connections behind them, and query data through the permissions of the Public role',
  remediation:
    'Leave AUTH_ROLE_PUBLIC / PUBLIC_ROLE_LIKE unset (or with no data permissions), set a random SECRET_KEY, upgrade past 2.1.0, and keep Superset behind SSO.',
  references: [
    'https://superset.apache.org/docs/security/#public',
    'https://superset.apache.org/docs/api/',
    'https://osv.dev/vulnerability/CVE-2023-27524',
  ],
  extract(r) {
    const count = (x: unknown): number | undefined => (typeof jsonAt(x, 'count') === 'number' ? (jsonAt(x, 'count') as number) : undefined);
    return compact({
      dashboards: r.dashboards?.status === 200 ? count(r.dashboards.json()) : undefined,
      databases: r.databases?.status === 200 ? count(r.databases.json()) : undefined,
    });
  },
});
