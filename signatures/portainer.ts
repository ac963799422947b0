import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'portainer',
  product: 'Portainer',
  defaultPorts: [9000, 9443],
  tlsPorts: [9443],
  requests: [
    { id: 'status', method: 'GET', path: '/api/status' },
    { id: 'admin-check', method: 'GET', path: '/api/users/admin/check' },
    { id: 'endpoints', method: 'GET', path: '/api/endpoints' },
  ],
  positive: [
    {
      on: 'admin-check',
      status: [404],
      contentType: /json/i,
      body: ['No administrator account found inside the database'],
      shows: 'no administrator account yet: the first visitor chooses the admin password and controls every environment',
      severity: 'critical',
    },
    {
      on: 'endpoints',
      status: [200],
      contentType: /json/i,
      jsonType: 'array',
      body: ['"Id"', '"URL"'],
      shows: 'the environments (Docker / Kubernetes endpoints) are listed without a token',
      severity: 'critical',
    },
    {
      on: 'status',
      status: [200],
      contentType: /json/i,
      json: ['Version', 'InstanceID'],
      shows: 'version and instance id (public by design)',
      publicByDesign: true,
    },
  ],
  auth: [
    {
      on: 'endpoints',
      status: [401],
      contentType: /json/i,
      body: [/"message"\s*:\s*"Unauthorized"|authori[sz]ation token is missing|Invalid JWT token/i],
      shows: '401 {"message":"Unauthorized","details":"A valid authorisation token is missing"}',
      identifies: true,
    },
  ],
  severity: 'critical',
  exposure: 'control of the managed Docker and Kubernetes environments (root-equivalent on their hosts)',
  remediation:
    'Create the administrator account immediately after installing (Portainer locks initial set-up after 5 minutes since 2.9), keep Portainer on a private network, and upgrade if /api/users/admin/check still reports no administrator.',
  references: ['https://docs.portainer.io/api/access', 'https://docs.portainer.io/start/install-ce/server/docker/linux'],
  extract(r) {
    const b = r.status?.json();
    const eps = r.endpoints?.status === 200 ? r.endpoints.json() : undefined;
    return compact({
      version: str(b, 'Version'),
      environments: Array.isArray(eps) ? eps.length : undefined,
      adminInitialised: r['admin-check']?.status === 204 ? true : r['admin-check']?.status === 404 ? false : undefined,
    });
  },
  summarize(reply) {
    if (reply.requestId === 'admin-check') return `${reply.status} No administrator account found inside the database`;
    const b = reply.json();
    return reply.requestId === 'endpoints'
      ? `${reply.status} ${Array.isArray(b) ? b.length : '?'} environments`
      : `${reply.status} Version=${str(b, 'Version') ?? '?'}`;
  },
});
