import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'kubelet authn/authz docs (403 Forbidden (user=system:anonymous …) with webhook authorization); PodList shape from the Kubernetes API';

export default defineReplies({
  signature: 'kubelet',
  cases: {
    exposed: {
      expect: 'exposed',
      replies: [
        {
          path: '/pods',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            kind: 'PodList',
            apiVersion: 'v1',
            metadata: {},
            items: [
              {
                metadata: { name: 'web-7d4b9c', namespace: 'default', uid: 'c1a3e2f0' },
                spec: {
                  containers: [{ name: 'web', image: 'nginx:1.25', env: [{ name: 'DB_PASSWORD', value: 's3cret' }] }],
                },
                status: { phase: 'Running', podIP: '127.0.0.17' },
              },
              {
                metadata: { name: 'coredns-5d78c9869d', namespace: 'kube-system' },
                spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.10.1' }] },
              },
            ],
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/pods',
          status: 403,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)',
          source,
        },
      ],
    },
  },
});
