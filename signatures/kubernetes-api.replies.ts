import { defineReplies } from '../src/http-catalog/replies.js';

const version = {
  path: '/version',
  status: 200,
  body: {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.4',
    gitCommit: 'a78aa47129b8539636eb86a9d00e31b2720fe06b',
    gitTreeState: 'clean',
    buildDate: '2024-12-10T11:38:25Z',
    goVersion: 'go1.22.10',
    compiler: 'gc',
    platform: 'linux/amd64',
  },
  source:
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles (Kubernetes 1.31: /version readable by system:unauthenticated; body = version.Info)',
};
const ns = (name: string) => ({
  metadata: {
    name,
    uid: `0000-${name}`,
    resourceVersion: '101',
    creationTimestamp: '2026-01-10T08:00:00Z',
    labels: { 'kubernetes.io/metadata.name': name },
  },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

export default defineReplies({
  signature: 'kubernetes-api',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.31.4',
      data: { items: 3 },
      replies: [
        version,
        {
          path: '/api/v1/namespaces?limit=100',
          status: 200,
          body: {
            kind: 'NamespaceList',
            apiVersion: 'v1',
            metadata: { resourceVersion: '48211' },
            items: [ns('default'), ns('kube-system'), ns('payments')],
          },
          source:
            'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/namespace-v1/ (Kubernetes 1.31, a ClusterRoleBinding granting system:anonymous list on namespaces)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        version,
        {
          path: '/api/v1/namespaces?limit=100',
          status: 403,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message:
              'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
            reason: 'Forbidden',
            details: { kind: 'namespaces' },
            code: 403,
          },
          source:
            'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests (Kubernetes 1.31 default: anonymous on, RBAC denies)',
        },
      ],
    },
    'anonymous-off': {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v1/namespaces?limit=100',
          status: 401,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'Unauthorized',
            reason: 'Unauthorized',
            code: 401,
          },
          source:
            'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests (Kubernetes 1.31 with --anonymous-auth=false: 401 Status)',
        },
      ],
    },
  },
});
