import { defineReplies } from '../src/http-catalog/replies.js';

const version = {
  path: '/api/v1/version',
  status: 200,
  body: {
    version: 'v3.5.12',
    buildDate: '2024-10-01T00:00:00Z',
    gitCommit: '1a2b3c4d',
    gitTag: 'v3.5.12',
    gitTreeState: 'clean',
    goVersion: 'go1.21.13',
    compiler: 'gc',
    platform: 'linux/amd64',
  },
  source: 'https://argo-workflows.readthedocs.io/en/latest/swagger/ (Argo Workflows 3.5: InfoService GetVersion)',
};
const unauth = {
  status: 401,
  body: { code: 16, message: 'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/' },
  source:
    'https://argo-workflows.readthedocs.io/en/latest/argo-server-auth-mode/ (Argo Workflows 3.5, --auth-mode=client without a bearer token: gRPC Unauthenticated as HTTP 401)',
};
const wf = (name: string) => ({
  metadata: { name, namespace: 'argo', uid: `uid-${name}`, creationTimestamp: '2026-12-05T08:00:00Z' },
  spec: { entrypoint: 'main' },
  status: { phase: 'Succeeded' },
});

export default defineReplies({
  signature: 'argo-workflows',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.5.12',
      data: { items: 2 },
      replies: [
        version,
        {
          path: '/api/v1/workflows/argo?listOptions.limit=50',
          status: 200,
          body: { metadata: { resourceVersion: '90112' }, items: [wf('nightly-train-7x2kq'), wf('etl-orders-29hf8')] },
          source:
            'https://argo-workflows.readthedocs.io/en/latest/swagger/ (Argo Workflows 3.5, --auth-mode=server: WorkflowService ListWorkflows)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { path: '/api/v1/version', ...unauth },
        { path: '/api/v1/workflows/argo?listOptions.limit=50', ...unauth },
      ],
    },
  },
});
