import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json; charset=utf-8' };
const version = {
  version: '4',
  ray_version: '2.52.1',
  ray_commit: 'f7b2e9a3c1d4b5e6a7f8091a2b3c4d5e6f708192',
  session_name: 'session_2026-12-01_09-12-44_331702_1',
};
const versionSrc = 'python/ray/dashboard/modules/version.py VersionResponse (Ray 2.52)';
const noToken = {
  status: 401,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'Unauthorized: Missing authentication token',
  source: 'python/ray/_private/authentication/http_token_authentication.py (Ray 2.52, RAY_AUTH_MODE=token)',
};

export default defineReplies({
  signature: 'ray',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.52.1',
      data: { items: 2 },
      replies: [
        { method: 'GET', path: '/api/version', status: 200, headers: json, body: version, source: versionSrc },
        {
          method: 'GET',
          path: '/api/jobs/',
          status: 200,
          headers: json,
          body: [
            {
              type: 'SUBMISSION',
              job_id: '02000000',
              submission_id: 'raysubmit_7aWbq1HsmY3x2LkP',
              driver_info: { id: '02000000', node_ip_address: '127.0.3.17', pid: '41233' },
              status: 'SUCCEEDED',
              entrypoint: 'python train.py --epochs 3',
              message: 'Job finished successfully.',
              error_type: null,
              start_time: 1764580000000,
              end_time: 1764583600000,
              metadata: {},
              runtime_env: { working_dir: 'gcs://_ray_pkg_3f2a.zip', env_vars: { WANDB_PROJECT: 'rlhf' } },
              driver_agent_http_address: 'http://127.0.3.17:52365',
              driver_node_id: 'a1b2c3',
              driver_exit_code: 0,
            },
            {
              type: 'SUBMISSION',
              job_id: null,
              submission_id: 'raysubmit_Q9mZt4vRkD2sH8eN',
              driver_info: null,
              status: 'RUNNING',
              entrypoint: 'python serve_eval.py',
              message: 'Job is currently running.',
              error_type: null,
              start_time: 1764590000000,
              end_time: null,
              metadata: {},
              runtime_env: {},
              driver_agent_http_address: null,
              driver_node_id: null,
              driver_exit_code: null,
            },
          ],
          source:
            'https://docs.ray.io/en/latest/cluster/running-applications/job-submission/doc/ray.job_submission.JobDetails.html (Ray 2.52, GET /api/jobs/)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: '/api/version', ...noToken },
        { method: 'GET', path: '/api/jobs/', ...noToken },
      ],
    },
    leaking: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        {
          method: 'GET',
          path: '/api/version',
          status: 200,
          headers: json,
          body: version,
          source: `${versionSrc}, left readable by a path-based proxy rule`,
        },
        { method: 'GET', path: '/api/jobs/', ...noToken },
      ],
    },
  },
});
