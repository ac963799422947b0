import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Airflow 2.7 stable REST API reference (health, version, dags; problem+json errors)';

export default defineReplies({
  signature: 'airflow',
  landing: {
    status: 302,
    headers: { location: '/home', 'content-type': 'text/html; charset=utf-8' },
    body: '<!doctype html>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="/home">/home</a>.',
    source: 'Airflow 2.7 webserver (Flask): the root redirects to the Airflow.index view at /home (Werkzeug redirect body)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.7.3',
      replies: [
        {
          path: '/api/v1/health',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            metadatabase: { status: 'healthy' },
            scheduler: { status: 'healthy', latest_scheduler_heartbeat: '2026-01-01T00:00:00+00:00' },
          },
          source,
        },
        {
          path: '/api/v1/version',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { version: '2.7.3', git_version: null },
          source,
        },
        {
          path: '/api/v1/dags?limit=1',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { dags: [{ dag_id: 'nightly_export', is_paused: false, owners: ['data'] }], total_entries: 14 },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v1/health',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            metadatabase: { status: 'healthy' },
            scheduler: { status: 'healthy', latest_scheduler_heartbeat: null },
          },
          source,
        },
        {
          path: '/api/v1/version',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { version: '2.7.3', git_version: null },
          source,
        },
        {
          path: '/api/v1/dags?limit=1',
          status: 401,
          headers: { 'content-type': 'application/problem+json' },
          body: {
            detail: null,
            status: 401,
            title: 'Unauthorized',
            type: 'https://airflow.apache.org/docs/apache-airflow/2.7.3/stable-rest-api-ref.html#section/Errors/Unauthenticated',
          },
          source,
        },
      ],
    },
  },
});
