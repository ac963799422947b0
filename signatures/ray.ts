import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * Ray dashboard and Jobs API (python/ray/dashboard). Token authentication exists since Ray 2.52 and is off by
 * default (RAY_AUTH_MODE=disabled); with RAY_AUTH_MODE=token a request without a token gets 401 text
 * "Unauthorized: Missing authentication token". `GET /api/jobs/` lists jobs with their full entrypoints: whoever can
 * read it can also POST a job (remote code execution), which this check never does.
 * Never sent: POST /api/jobs/ (submission), DELETE /api/jobs/*, /api/v0/logs/file (CVE-2023-6021 LFI), /log_proxy.
 */
const jobsBody = /^\s*\[\s*(\]|\{[^]*"(submission_id|job_id)"[^]*"entrypoint")/;

export default defineSignature({
  id: 'ray',
  product: 'Ray dashboard / Jobs API',
  category: 'ML platform',
  neverSends: 'POST /api/jobs/ (submission), job stop/delete, /api/v0/logs/file (CVE-2023-6021), /log_proxy (SSRF)',
  defaultPorts: [8265],
  requests: [
    { id: 'version', method: 'GET', path: '/api/version' },
    { id: 'jobs', method: 'GET', path: '/api/jobs/' },
  ],
  positive: [
    {
      on: 'jobs',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: [jobsBody],
      shows: 'the Jobs API answers without a token: anyone can submit a job, i.e. run any command on the cluster',
    },
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: ['ray_version', 'ray_commit', 'session_name'],
      shows: 'Ray version and session (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: ['jobs', 'version'],
      status: [401, 403],
      body: [/^(Unauthorized: Missing authentication token|Forbidden: Invalid authentication token)/],
      shows: '401 "Unauthorized: Missing authentication token" (RAY_AUTH_MODE=token)',
      identifies: true,
    },
    {
      on: 'jobs',
      status: [401],
      headers: { 'www-authenticate': true },
      shows: '401 with WWW-Authenticate from a proxy in front of the dashboard',
    },
  ],
  leaks: [
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: ['ray_version', 'session_name'],
      shows: 'GET /api/version stays readable: Ray version, commit and session name',
    },
  ],
  measure: [{ id: 'jobs', kind: 'job', request: { method: 'GET', path: '/api/jobs/' }, list: '', name: 'submission_id' }],
  assess() {
    return {
      severity: 'critical',
      reason: 'remote code execution: the Jobs API runs any entrypoint command on the cluster (ShadowRay, CVE-2023-48022)',
    };
  },
  severity: 'critical',
  // Job submission is code execution: critical even when the job list measured holds no "data volume".
  impact: 'code-execution',
  exposure:
    'anyone can submit jobs that run arbitrary commands on every node, and read past entrypoints and runtime environments (often with secrets)',
  remediation:
    'Keep the dashboard on 127.0.0.1 (the default --dashboard-host), enable token authentication (RAY_AUTH_MODE=token, Ray 2.52+), and reach it through an authenticating proxy or an SSH tunnel.',
  references: [
    'https://docs.ray.io/en/latest/cluster/running-applications/job-submission/rest.html',
    'https://docs.ray.io/en/latest/ray-security/token-auth.html',
    'https://www.oligo.security/blog/shadowray-attack-ai-workloads-actively-exploited-in-the-wild',
  ],
  extract(r) {
    const v = r.version?.json();
    const jobs = r.jobs?.status === 200 ? r.jobs.json() : undefined;
    const list = Array.isArray(jobs) ? jobs : [];
    const byStatus: Record<string, number> = {};
    for (const j of list) {
      const s = str(j, 'status') ?? 'UNKNOWN';
      byStatus[s] = (byStatus[s] ?? 0) + 1;
    }
    return compact({
      version: str(v, 'ray_version'),
      commit: str(v, 'ray_commit'),
      jobs: Array.isArray(jobs) ? jobs.length : undefined,
      jobsByStatus: list.length ? byStatus : undefined,
      entrypoints: list.length
        ? list
            .map((j) => str(j, 'entrypoint', 160))
            .filter(Boolean)
            .slice(0, 10)
        : undefined,
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'jobs' && Array.isArray(b)) return `${reply.status} ${b.length} jobs (entrypoints readable)`;
    return `${reply.status} ray_version=${str(b, 'ray_version') ?? '?'}`;
  },
});
