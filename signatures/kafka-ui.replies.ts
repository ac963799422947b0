import { defineReplies } from '../src/http-catalog/replies.js';

const info = {
  path: '/actuator/info',
  status: 200,
  body: {
    git: { commit: { id: 'fdd9ad9' } },
    build: { artifact: 'kafka-ui-api', name: 'kafka-ui-api', time: '2023-08-01T10:00:00.000Z', version: 'v0.7.1', group: 'com.provectus' },
  },
  source:
    'https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.info (Spring Boot build info of provectus/kafka-ui 0.7.1)',
};

export default defineReplies({
  signature: 'kafka-ui',
  landing: {
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"/><title>UI for Apache Kafka</title><script type="module" crossorigin src="/assets/index.js"></script></head><body><div id="root"></div></body></html>',
    source: 'provectus/kafka-ui kafka-ui-react-app/index.html (v0.7.2; kafbat/kafka-ui keeps the title)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.7.1',
      data: { items: 1 },
      replies: [
        info,
        {
          path: '/api/clusters',
          status: 200,
          body: [
            {
              name: 'local',
              defaultCluster: true,
              status: 'online',
              brokerCount: 3,
              onlinePartitionCount: 96,
              topicCount: 14,
              bytesInPerSec: 1024.5,
              bytesOutPerSec: 2048.25,
              readOnly: false,
              version: '3.6-IV2',
              features: ['TOPIC_DELETION', 'KAFKA_CONNECT'],
            },
          ],
          source:
            'https://github.com/provectus/kafka-ui/blob/master/kafka-ui-contract/src/main/resources/swagger/kafka-ui-api.yaml (0.7.1: Cluster schema, GET /api/clusters; AUTH_TYPE unset)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/clusters',
          status: 302,
          headers: { location: '/login', 'content-length': '0' },
          body: '',
          source:
            'https://docs.kafka-ui.provectus.io/configuration/authentication/basic-authentication (0.7.1 with AUTH_TYPE=LOGIN_FORM: redirect to /login)',
        },
      ],
    },
  },
});
