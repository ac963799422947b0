import { defineReplies } from '../src/http-catalog/replies.js';

const version = {
  path: '/api/version',
  status: 200,
  body: {
    Version: 'v2.13.2+dc43124',
    BuildDate: '2024-12-11T00:00:00Z',
    GitCommit: 'dc43124058130db9a747d141d86d7c2f4aac7bf9',
    GitTreeState: 'clean',
    GoVersion: 'go1.22.9',
    Compiler: 'gc',
    Platform: 'linux/amd64',
    KustomizeVersion: 'v5.4.3',
    HelmVersion: 'v3.15.4',
    KubectlVersion: 'v0.31.0',
    JsonnetVersion: 'v0.20.0',
  },
  source:
    'https://argo-cd.readthedocs.io/en/stable/developer-guide/api-docs/ (Argo CD 2.13: VersionService, public with anonymous access, PR #5422)',
};
const app = (name: string) => ({
  metadata: { name, namespace: 'argocd' },
  spec: {
    source: { repoURL: `https://git.corp.example/platform/${name}.git`, path: 'deploy', targetRevision: 'main' },
    destination: { server: 'https://kubernetes.default.svc', namespace: name },
    project: 'default',
  },
  status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
});

export default defineReplies({
  signature: 'argo-cd',
  landing: {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Argo CD</title><base href="/"></head><body><noscript><p>Your browser does not support JavaScript. Please enable JavaScript to view the site. Alternatively, Argo CD can be used with the <a href="https://argoproj.github.io/argo-cd/cli_installation/">Argo CD CLI</a>.</p></noscript><div id="app"></div></body></html>',
    source: 'argo-cd ui/src/app/index.html (served for / by argocd-server 2.13)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.13.2',
      data: { items: 2 },
      replies: [
        version,
        {
          path: '/api/v1/applications',
          status: 200,
          body: { metadata: { resourceVersion: '771201' }, items: [app('checkout'), app('billing')] },
          source:
            'https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/#anonymous-access (Argo CD 2.13, users.anonymous.enabled "true", policy.default role:readonly)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v1/applications',
          status: 401,
          body: { error: 'no session information', code: 16, message: 'no session information' },
          source:
            'https://github.com/argoproj/argo-cd/blob/master/server/server.go (Argo CD 2.13, anonymous off: ErrNoSession "no session information", gRPC Unauthenticated as 401)',
        },
      ],
    },
  },
});
