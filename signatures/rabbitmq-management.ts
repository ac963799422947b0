import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'rabbitmq-management',
  product: 'RabbitMQ management',
  defaultPorts: [15672],
  requests: [{ id: 'overview', method: 'GET', path: '/api/overview' }],
  positive: [
    {
      on: 'overview',
      status: [200],
      contentType: /json/i,
      json: ['rabbitmq_version', 'management_version'],
      shows: 'the management API answers without credentials (an authenticating proxy or a default login in front of it)',
    },
  ],
  auth: [
    {
      on: 'overview',
      status: [401],
      headers: { 'www-authenticate': /RabbitMQ Management/i },
      shows: '401 with WWW-Authenticate: Basic realm="RabbitMQ Management"',
      identifies: true,
    },
    {
      on: 'overview',
      status: [401],
      contentType: /json/i,
      body: [/"error"\s*:\s*"not_authori[sz]ed"/],
      shows: '401 {"error":"not_authorised"}',
      identifies: true,
    },
  ],
  severity: 'high',
  exposure: 'reads and manages queues, exchanges, users and messages of every virtual host the session can reach',
  remediation:
    'Keep the management listener on a private interface (management.tcp.ip = 127.0.0.1), delete or restrict the guest user (loopback_users), and never inject credentials in a reverse proxy in front of it.',
  references: ['https://www.rabbitmq.com/docs/management#http-api', 'https://www.rabbitmq.com/docs/access-control#loopback-users'],
  extract(r) {
    const b = r.overview?.json();
    return compact({
      version: str(b, 'rabbitmq_version'),
      managementVersion: str(b, 'management_version'),
      clusterName: str(b, 'cluster_name'),
    });
  },
  summarize(reply) {
    const b = reply.json();
    return `${reply.status} rabbitmq_version=${str(b, 'rabbitmq_version') ?? '?'} cluster_name=${str(b, 'cluster_name') ?? '?'}`;
  },
});
