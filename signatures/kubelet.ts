import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

function pods(body: unknown): { count: number; namespaces: string[] } | undefined {
  const items = jsonAt(body, 'items');
  if (!Array.isArray(items)) return undefined;
  const ns = new Set<string>();
  for (const it of items) {
    const n = jsonAt(it, 'metadata.namespace');
    if (typeof n === 'string') ns.add(n);
  }
  return { count: items.length, namespaces: [...ns].slice(0, 20) };
}

export default defineSignature({
  id: 'kubelet',
  product: 'Kubernetes kubelet',
  defaultPorts: [10250, 10255],
  tlsPorts: [10250],
  requests: [{ id: 'pods', method: 'GET', path: '/pods', maxBytes: 256 * 1024 }],
  positive: [
    {
      on: 'pods',
      status: [200],
      contentType: /json/i,
      body: [/"kind"\s*:\s*"PodList"/, /"apiVersion"\s*:\s*"v1"/],
      shows: 'every pod on the node with its spec (images, commands, environment values)',
    },
  ],
  auth: [
    { on: 'pods', status: [401], body: [/Unauthorized/], shows: '401 Unauthorized (anonymous auth off)' },
    {
      on: 'pods',
      status: [403],
      body: [/Forbidden \(user=system:anonymous/],
      shows: '403 Forbidden (user=system:anonymous …) (webhook authorization)',
      identifies: true,
    },
  ],
  severity: 'critical',
  exposure:
    'reads every pod spec on the node (environment values often hold secrets); on 10250 with anonymous auth, exec into any container',
  remediation:
    'Run the kubelet with --anonymous-auth=false and --authorization-mode=Webhook, and disable the read-only port (--read-only-port=0 / readOnlyPort: 0 in the KubeletConfiguration).',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/',
    'https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/kubernetes/kubernetes-pods.yaml',
  ],
  extract(r) {
    const p = pods(r.pods?.json());
    return compact({ pods: p?.count, namespaces: p?.namespaces });
  },
  summarize(reply) {
    const p = pods(reply.json());
    return `${reply.status} PodList with ${p?.count ?? '?'} pods in ${p?.namespaces.join(', ') || '?'} (specs not shown)`;
  },
});
