import { defineReplies } from '../src/http-catalog/replies.js';

const topic = (name: string) => ({
  name,
  partitions: [{ id: 0, firstOffset: 0, size: 1200, leader: { id: 1 } }],
  config: {},
  totalSize: 1200,
});

export default defineReplies({
  signature: 'kafdrop',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 2 },
      replies: [
        {
          path: '/',
          status: 200,
          body: {
            summary: { topicCount: 2, partitionCount: 2, underReplicatedCount: 0, preferredReplicaPercent: 1.0, expectedBrokerIds: [1] },
            brokers: [{ id: 1, host: 'kafka-1', port: 9092, rack: null, controller: true }],
            topics: [topic('orders'), topic('payments')],
          },
          source:
            'https://github.com/obsidiandynamics/kafdrop/blob/master/src/main/java/kafdrop/controller/ClusterController.java (Kafdrop 4: GET / produces application/json = ClusterInfoVO)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="kafdrop"', 'content-type': 'text/plain' },
          body: 'Unauthorized',
          source: 'https://nginx.org/en/docs/http/ngx_http_auth_basic_module.html (nginx auth_basic in front of Kafdrop 4)',
        },
      ],
    },
  },
});
