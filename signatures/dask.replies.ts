import { defineReplies } from '../src/http-catalog/replies.js';

const worker = (n: number) => ({
  type: 'Worker',
  id: `dask-worker-${n}`,
  host: `127.0.0.${10 + n}`,
  resources: {},
  local_directory: `/tmp/dask-scratch-space/worker-${n}`,
  name: `dask-worker-${n}`,
  nthreads: 4,
  memory_limit: 8589934592,
  last_seen: 1764929000.5,
  services: { dashboard: 8789 },
  metrics: { task_counts: {}, bandwidth: {}, managed_bytes: 0, spilled_bytes: { memory: 0, disk: 0 } },
});

export default defineReplies({
  signature: 'dask',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 2 },
      replies: [
        {
          path: '/json/identity.json',
          status: 200,
          body: {
            type: 'Scheduler',
            id: 'Scheduler-6f0a4c1e-93d2-4c5e-8a1b-2f0e7c9d1a55',
            address: 'tcp://127.0.0.10:8786',
            services: { dashboard: 8787 },
            started: 1764900000.25,
            workers: { 'tcp://127.0.0.11:40123': worker(1), 'tcp://127.0.0.12:40123': worker(2) },
          },
          source:
            'https://distributed.dask.org/en/latest/http_services.html (distributed 2024.8: /json/identity.json = Scheduler.identity())',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/json/identity.json',
          status: 302,
          headers: { location: '/hub/login?next=%2Fjson%2Fidentity.json', 'content-type': 'text/html' },
          body: '',
          source:
            'https://jupyterhub.readthedocs.io/en/stable/reference/services.html (Dask dashboard proxied by JupyterHub 4: unauthenticated request redirected to /hub/login)',
        },
      ],
    },
  },
});
