import { describeHttp, httpRequests, httpResponse, type ProbeReplies } from '../src/probe-replies.js';

/**
 * InfluxDB 1.8 /query results (https://docs.influxdata.com/influxdb/v1/tools/api/#query-http-endpoint) and the 1.x
 * auth error; InfluxDB 2.7's platform error for a missing token (https://docs.influxdata.com/influxdb/v2/api/,
 * influxdata/influxdb issue #20859).
 */
const v1 = { 'x-influxdb-version': '1.8.10', 'x-influxdb-build': 'OSS' };
const series = (name: string, columns: string[], values: unknown[][]) =>
  httpResponse(200, v1, { results: [{ statement_id: 0, series: [{ name, columns, values }] }] });
const notFound = { request: /./, reply: httpResponse(404, v1, '404 page not found\n') };

export default {
  probe: 'influxdb',
  frameRequest: httpRequests,
  describe: describeHttp,
  endless: {
    prefix: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Influxdb-Version: 1.8.10\r\n\r\n{"results":[',
    source: 'a /query result with neither Content-Length nor chunking: the body runs until close (RFC 9112 §6.3)',
  },
  cases: {
    'auth-disabled': {
      state: 'exposed',
      source: 'InfluxDB 1.8.10 with [http] auth-enabled = false (the default)',
      exchanges: [
        { request: /^GET \/query\?q=SHOW%20DATABASES$/, reply: series('databases', ['name'], [['_internal'], ['telemetry']]) },
        { request: /SHOW%20MEASUREMENTS/, reply: series('measurements', ['name'], [['cpu'], ['api_keys']]) },
        { request: /SHOW%20FIELD%20KEYS/, reply: series('cpu', ['fieldKey', 'fieldType'], [['usage', 'float']]) },
        { request: /SHOW%20RETENTION%20POLICIES/, reply: series('', ['name', 'duration', 'default'], [['autogen', '0s', true]]) },
        notFound,
      ],
      expect: { status: 'exposed', product: 'InfluxDB' },
    },
    'auth-enabled': {
      state: 'secured',
      source: 'InfluxDB 1.8 with auth-enabled = true and no credentials: 401 {"error":"unable to parse authentication credentials"}',
      exchanges: [{ request: /./, reply: httpResponse(401, v1, { error: 'unable to parse authentication credentials' }) }],
      expect: { status: 'auth-required' },
    },
  },
} satisfies ProbeReplies;
