import { defineReplies } from '../src/http-catalog/replies.js';

// Recorded from a real Debian 12 docker-registry 2.8.2+ds1 here (config: storage.filesystem, http.addr on loopback;
// secured: auth.htpasswd with a bcrypt file), one repository pushed first as the test server's seed.
const rec = 'recorded from Debian 12 docker-registry 2.8.2 here';
const api = { 'docker-distribution-api-version': 'registry/2.0' };
const json = { 'content-type': 'application/json; charset=utf-8', ...api };
const notFound = {
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...api, 'x-content-type-options': 'nosniff' },
  body: '404 page not found\n',
  source: `${rec} (any path outside the API)`,
};
const unauthorized = (detail: unknown) => ({
  status: 401,
  headers: { ...json, 'www-authenticate': 'Basic realm="registry"' },
  body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail }] },
});

export default defineReplies({
  signature: 'docker-registry',
  cases: {
    // Default configuration: no auth section, anonymous pull and push.
    exposed: {
      expect: 'exposed',
      data: { items: 2 },
      fallback: notFound,
      real: { kind: 'docker-registry', variant: 'open', port: 5000 },
      replies: [
        { path: '/v2/', status: 200, headers: json, body: {}, source: `${rec} (GET /v2/, API version check)` },
        {
          path: '/v2/_catalog?n=100',
          status: 200,
          headers: json,
          body: { repositories: ['ml/train-api', 'payments-service'] },
          source: `${rec} (GET /v2/_catalog, names of this test's seed)`,
        },
        {
          path: '/v2/ml%2Ftrain-api/tags/list',
          status: 200,
          headers: json,
          body: { name: 'ml/train-api', tags: ['latest', 'v1', 'v2'] },
          source: `${rec} (an encoded slash routes like a plain one)`,
        },
        {
          path: '/v2/payments-service/tags/list',
          status: 200,
          headers: json,
          body: { name: 'payments-service', tags: ['1.4.2'] },
          source: rec,
        },
      ],
    },
    // A fresh registry: nothing pushed yet, still anonymous.
    empty: {
      expect: 'exposed',
      fallback: notFound,
      replies: [
        { path: '/v2/', status: 200, headers: json, body: {}, source: rec },
        { path: '/v2/_catalog?n=100', status: 200, headers: json, body: { repositories: [] }, source: `${rec} (empty storage)` },
      ],
    },
    // auth: htpasswd (bcrypt file): every API route answers 401 Basic.
    secured: {
      expect: 'auth-required',
      fallback: notFound,
      real: { kind: 'docker-registry', variant: 'protected', port: 5000 },
      replies: [
        { path: '/v2/', ...unauthorized(null), source: `${rec} (auth.htpasswd)` },
        {
          path: '/v2/_catalog?n=100',
          ...unauthorized([{ Type: 'registry', Class: '', Name: 'catalog', Action: '*' }]),
          source: `${rec} (auth.htpasswd)`,
        },
      ],
    },
    // auth: token: 401 Bearer with the token service's realm (never visited).
    'token-auth': {
      expect: 'auth-required',
      fallback: notFound,
      replies: [
        {
          path: '/v2/',
          status: 401,
          headers: { ...json, 'www-authenticate': 'Bearer realm="https://auth.registry.example/token",service="registry.example"' },
          body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] },
          source: 'https://distribution.github.io/distribution/spec/auth/token/ (distribution 2.8 token auth: 401 + Bearer realm)',
        },
        {
          path: '/v2/_catalog?n=100',
          status: 401,
          headers: {
            ...json,
            'www-authenticate': 'Bearer realm="https://auth.registry.example/token",service="registry.example",scope="registry:catalog:*"',
          },
          body: {
            errors: [
              { code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'registry', Name: 'catalog', Action: '*' }] },
            ],
          },
          source: 'https://distribution.github.io/distribution/spec/auth/token/ (distribution 2.8 token auth: scope on the challenge)',
        },
      ],
    },
  },
});
