import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'docker-engine',
  product: 'Docker Engine API',
  defaultPorts: [2375, 2376],
  tlsPorts: [2376],
  requests: [
    { id: 'version', method: 'GET', path: '/version' },
    { id: 'info', method: 'GET', path: '/info', maxBytes: 128 * 1024 },
  ],
  positive: [
    {
      on: 'version',
      status: [200],
      contentType: /json/i,
      json: ['ApiVersion', 'Version', 'Os'],
      shows: 'the Engine API answers without TLS client authentication: root-equivalent control of the host',
    },
    {
      on: 'info',
      status: [200],
      contentType: /json/i,
      json: ['Containers', 'Images', 'ServerVersion'],
      shows: 'daemon information: container and image counts, host name, kernel, registries',
    },
  ],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (authenticating proxy)' },
    {
      status: [403],
      contentType: /json/i,
      body: [/authorization denied by plugin/i],
      shows: '403 "authorization denied by plugin" (an authorization plugin)',
      identifies: true,
    },
  ],
  severity: 'critical',
  exposure: 'anyone can start privileged containers that mount the host file system: full control of the host (root-equivalent)',
  remediation:
    'Do not expose the daemon on TCP without mutual TLS: remove -H tcp://0.0.0.0:2375, or use 2376 with --tlsverify and client certificates; prefer SSH (DOCKER_HOST=ssh://) for remote access.',
  references: [
    'https://docs.docker.com/reference/api/engine/version/v1.43/#tag/System/operation/SystemVersion',
    'https://docs.docker.com/engine/security/protect-access/',
    'https://docs.docker.com/engine/extend/plugins_authorization/',
  ],
  extract(r) {
    const v = r.version?.json();
    const i = r.info?.json();
    return compact({
      version: str(v, 'Version') ?? str(i, 'ServerVersion'),
      apiVersion: str(v, 'ApiVersion'),
      os: str(v, 'Os'),
      kernelVersion: str(v, 'KernelVersion') ?? str(i, 'KernelVersion'),
      containers: str(i, 'Containers'),
      images: str(i, 'Images'),
    });
  },
  summarize(reply) {
    const b = reply.json();
    if (reply.requestId === 'info')
      return `${reply.status} ServerVersion=${str(b, 'ServerVersion') ?? '?'} Containers=${str(b, 'Containers') ?? '?'} Images=${str(b, 'Images') ?? '?'}`;
    return `${reply.status} Version=${str(b, 'Version') ?? '?'} ApiVersion=${str(b, 'ApiVersion') ?? '?'} Os=${str(b, 'Os') ?? '?'}`;
  },
});
