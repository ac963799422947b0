import { describeHttp, httpRequests, httpResponse, type ProbeReplies } from '../src/probe-replies.js';

/**
 * ClickHouse HTTP interface (https://clickhouse.com/docs/interfaces/http): TabSeparated results with the
 * X-ClickHouse-* headers every release since 18.x sends; a refused login carries X-ClickHouse-Exception-Code and
 * a `Code: N. DB::Exception: …` body (516 AUTHENTICATION_FAILED, src/Common/ErrorCodes.cpp).
 */
const headers = {
  'content-type': 'text/tab-separated-values; charset=UTF-8',
  'x-clickhouse-server-display-name': 'ch-replay',
  'x-clickhouse-query-id': '5b0f4d6e-0000-4000-8000-000000000001',
  'x-clickhouse-format': 'TabSeparated',
};
/** The proof query asks for a sum only a server that evaluates SQL can know: answered from the request. */
function version(request: Buffer): Buffer {
  const path = describeHttp(request)?.slice(4) ?? '';
  const sql = new URL(path, 'http://x').searchParams.get('query') ?? '';
  const m = /SELECT version\(\), (\d+)\+(\d+)/.exec(sql);
  return httpResponse(200, headers, `24.8.14.39\t${m ? Number(m[1]) + Number(m[2]) : 0}\n`);
}

export default {
  probe: 'clickhouse-http',
  frameRequest: httpRequests,
  describe: describeHttp,
  endless: {
    prefix: 'HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values; charset=UTF-8\r\n\r\n18.16.1\n',
    source: 'a version reply with neither Content-Length nor chunking: the body runs until close (RFC 9112 §6.3)',
  },
  cases: {
    'default-user-open': {
      state: 'exposed',
      source: 'ClickHouse 24.8 with the default user and no password: the challenge summed, metadata queries answered empty',
      exchanges: [
        { request: /^GET \/\?query=SELECT%20version\(\)/, reply: version },
        { request: /^GET \/\?query=/, reply: httpResponse(200, headers, '') },
      ],
      expect: { status: 'exposed', product: 'ClickHouse' },
    },
    'password-set': {
      state: 'secured',
      source: 'ClickHouse 24.x refusing the default user: 403 with X-ClickHouse-Exception-Code 516',
      exchanges: [
        {
          request: /./,
          reply: httpResponse(
            403,
            { ...headers, 'content-type': 'text/plain; charset=UTF-8', 'x-clickhouse-exception-code': '516' },
            'Code: 516. DB::Exception: default: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 24.8.14.39 (official build))\n',
          ),
        },
      ],
      expect: { status: 'auth-required', product: 'ClickHouse' },
    },
  },
} satisfies ProbeReplies;
