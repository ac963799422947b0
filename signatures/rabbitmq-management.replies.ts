import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'RabbitMQ management HTTP API docs (GET /api/overview; 401 Basic realm="RabbitMQ Management"); exposed = credentials injected by a proxy';

export default defineReplies({
  signature: 'rabbitmq-management',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.12.10',
      replies: [
        {
          path: '/api/overview',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            management_version: '3.12.10',
            rates_mode: 'basic',
            rabbitmq_version: '3.12.10',
            cluster_name: 'rabbit@mq-1',
            erlang_version: '25.3.2.8',
            object_totals: { queues: 12 },
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/overview',
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="RabbitMQ Management"' },
          body: { error: 'not_authorized', reason: 'Not_Authorized' },
          source,
        },
      ],
    },
  },
});
