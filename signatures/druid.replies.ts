import { defineReplies } from '../src/http-catalog/replies.js';

const status = {
  path: '/status',
  status: 200,
  body: {
    version: '30.0.1',
    modules: [
      { name: 'org.apache.druid.storage.hdfs.HdfsStorageDruidModule', artifact: 'druid-hdfs-storage', version: '30.0.1' },
      { name: 'org.apache.druid.query.aggregation.datasketches.theta.SketchModule', artifact: 'druid-datasketches', version: '30.0.1' },
    ],
    memory: { maxMemory: 1073741824, totalMemory: 536870912, freeMemory: 301989888, usedMemory: 234881024, directMemory: 1073741824 },
  },
  source: 'https://druid.apache.org/docs/latest/operations/api-reference/#status (Druid 30: GET /status, no auth extension)',
};
const unauthorized = {
  status: 401,
  headers: { 'content-type': 'text/html;charset=iso-8859-1', 'www-authenticate': 'Basic realm="druid"' },
  body: '<html><body><h2>HTTP ERROR 401 Unauthorized</h2></body></html>',
  source:
    'https://druid.apache.org/docs/latest/development/extensions-core/druid-basic-security/ (Druid 30 with druid-basic-security: 401 without credentials)',
};

export default defineReplies({
  signature: 'druid',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '30.0.1',
      data: { items: 2 },
      replies: [
        status,
        {
          path: '/druid/v2/datasources',
          status: 200,
          body: ['wikipedia', 'clickstream'],
          source:
            'https://druid.apache.org/docs/latest/api-reference/legacy-metadata-api/#datasources (Druid 30: GET /druid/v2/datasources on the broker/router)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { path: '/status', ...unauthorized },
        { path: '/druid/v2/datasources', ...unauthorized },
      ],
    },
  },
});
