import { defineReplies } from '../src/http-catalog/replies.js';

const info = {
  path: '/info',
  status: 200,
  body: { zipkin: { version: '3.4.2', commit: '2a5b1c0d' } },
  source: 'https://github.com/openzipkin/zipkin/tree/master/zipkin-server#endpoints (Zipkin 3.4: /info provides the version)',
};

export default defineReplies({
  signature: 'zipkin',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.4.2',
      data: { items: 2 },
      replies: [
        info,
        {
          path: '/api/v2/services',
          status: 200,
          body: ['checkout', 'llm-gateway'],
          source: 'https://zipkin.io/zipkin-api/#/default/get_services (Zipkin 3.4: JSON array of service names)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/v2/services',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="zipkin"', 'content-type': 'text/plain' },
          body: 'Unauthorized',
          source: 'https://nginx.org/en/docs/http/ngx_http_auth_basic_module.html (nginx auth_basic in front of Zipkin 3.4)',
        },
      ],
    },
  },
});
