import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'consul',
  product: 'HashiCorp Consul',
  defaultPorts: [8500],
  requests: [{ id: 'self', method: 'GET', path: '/v1/agent/self', maxBytes: 128 * 1024 }],
  positive: [
    {
      on: 'self',
      status: [200],
      contentType: /json/i,
      json: ['Config.Datacenter', 'Config.Version', 'Member'],
      shows: 'the agent configuration as the anonymous token: datacenter, node, version, members',
    },
  ],
  auth: [
    {
      on: 'self',
      status: [403],
      body: [/Permission denied|ACL not found|lacks permission/i],
      shows: '403 Permission denied (ACLs with default deny)',
    },
    { on: 'self', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (authenticating proxy)' },
  ],
  severity: 'high',
  exposure:
    'the anonymous token reads agent configuration, the service catalog and KV keys; with write ACLs or script checks it can register services or run commands',
  remediation:
    'Enable ACLs with default_policy = "deny" and a minimal anonymous token policy; bind the HTTP API (client_addr) to 127.0.0.1 or a management network, and disable enable_script_checks.',
  references: [
    'https://developer.hashicorp.com/consul/api-docs/agent#read-configuration',
    'https://developer.hashicorp.com/consul/docs/security/acl',
  ],
  extract(r) {
    const b = r.self?.json();
    return compact({
      version: str(b, 'Config.Version'),
      datacenter: str(b, 'Config.Datacenter'),
      nodeName: str(b, 'Config.NodeName'),
      server: str(b, 'Config.Server'),
    });
  },
  summarize(reply) {
    const b = reply.json();
    return `${reply.status} Datacenter=${str(b, 'Config.Datacenter') ?? '?'} NodeName=${str(b, 'Config.NodeName') ?? '?'} Version=${str(b, 'Config.Version') ?? '?'}`;
  },
});
