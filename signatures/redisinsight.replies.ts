import { defineReplies } from '../src/http-catalog/replies.js';

const info = {
  path: '/api/info',
  status: 200,
  body: {
    id: 'a3f1c9e2-5b7d-4e11-9c0a-1f2e3d4c5b6a',
    createDateTime: '2026-11-02T09:00:00.000Z',
    appVersion: '2.58.0',
    osPlatform: 'linux',
    buildType: 'DOCKER_ON_PREMISE',
    appType: 'DOCKER',
    encryptionStrategies: ['PLAIN'],
  },
  source:
    'https://github.com/RedisInsight/RedisInsight/blob/main/redisinsight/api/src/modules/server/server.controller.ts (Redis Insight 2.58: GET /api/info)',
};
const db = (id: string, name: string, host: string) => ({
  id,
  host,
  port: 6379,
  name,
  db: 0,
  connectionType: 'STANDALONE',
  lastConnection: '2026-12-04T17:20:00.000Z',
  provider: 'REDIS',
  modules: [],
  tls: false,
});

export default defineReplies({
  signature: 'redisinsight',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.58.0',
      data: { items: 2 },
      replies: [
        info,
        {
          path: '/api/databases',
          status: 200,
          body: [
            db('0b1c2d3e-0000-4000-8000-000000000001', 'sessions-cache', 'redis-cache.internal'),
            db('0b1c2d3e-0000-4000-8000-000000000002', 'queue', 'redis-queue.internal'),
          ],
          source:
            'https://github.com/RedisInsight/RedisInsight/blob/main/redisinsight/api/src/modules/database/database.controller.ts (Redis Insight 2.58: GET /api/databases, passwords never returned)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/databases',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="redisinsight"', 'content-type': 'text/html' },
          body: '<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body></html>',
          source: 'https://nginx.org/en/docs/http/ngx_http_auth_basic_module.html (nginx 1.24 auth_basic in front of Redis Insight 2.58)',
        },
      ],
    },
  },
});
