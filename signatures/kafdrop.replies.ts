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
          status: 302,
          headers: { location: '/oauth2/start?rd=%2F', 'content-type': 'text/html; charset=utf-8' },
          body: '<a href="/oauth2/start?rd=%2F">Found</a>.',
          source: 'https://oauth2-proxy.github.io/oauth2-proxy/ (oauth2-proxy 7.6 in front of Kafdrop 4, which has no login of its own)',
        },
      ],
    },
  },
});
