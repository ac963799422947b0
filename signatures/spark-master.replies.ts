import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'https://github.com/apache/spark/blob/master/core/src/main/scala/org/apache/spark/deploy/JsonProtocol.scala (Spark 3.5: writeMasterState, served at /json/)';

export default defineReplies({
  signature: 'spark-master',
  landing: {
    status: 200,
    headers: { 'content-type': 'text/html;charset=utf-8' },
    body: '<!DOCTYPE html><html><head><title>Spark Master at spark://127.0.0.9:7077</title></head><body><h3 style="vertical-align: middle; display: inline-block;">Spark Master at spark://127.0.0.9:7077</h3></body></html>',
    source: 'apache/spark core/src/main/scala/org/apache/spark/deploy/master/ui/MasterPage.scala (3.5: the page title)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 3 },
      replies: [
        {
          path: '/json/',
          status: 200,
          body: {
            url: 'spark://spark-master:7077',
            workers: [
              {
                id: 'worker-20261205100000-127.0.0.21-35001',
                host: '127.0.0.21',
                port: 35001,
                webuiaddress: 'http://127.0.0.21:8081',
                cores: 8,
                coresused: 4,
                coresfree: 4,
                memory: 30720,
                memoryused: 4096,
                memoryfree: 26624,
                state: 'ALIVE',
                lastheartbeat: 1764929000000,
              },
              {
                id: 'worker-20261205100001-127.0.0.22-35001',
                host: '127.0.0.22',
                port: 35001,
                webuiaddress: 'http://127.0.0.22:8081',
                cores: 8,
                coresused: 0,
                coresfree: 8,
                memory: 30720,
                memoryused: 0,
                memoryfree: 30720,
                state: 'ALIVE',
                lastheartbeat: 1764929000000,
              },
            ],
            aliveworkers: 2,
            cores: 16,
            coresused: 4,
            memory: 61440,
            memoryused: 4096,
            resources: [],
            resourcesused: [],
            activeapps: [
              {
                id: 'app-20261205101500-0003',
                starttime: 1764929700000,
                name: 'nightly-etl',
                cores: 4,
                user: 'etl',
                memoryperexecutor: 4096,
                submitdate: 'Fri Dec 05 10:15:00 UTC 2026',
                state: 'RUNNING',
                duration: 120000,
              },
            ],
            completedapps: [],
            activedrivers: [],
            completeddrivers: [],
            status: 'ALIVE',
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/json/',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="spark"', 'content-type': 'text/html' },
          body: '<html><body>401 Authorization Required</body></html>',
          source:
            'https://spark.apache.org/docs/latest/security.html#web-ui (Spark 3.5 with spark.ui.filters set to an authentication filter, or nginx auth_basic in front)',
        },
      ],
    },
  },
});
