import { defineReplies } from '../src/http-catalog/replies.js';

const source = 'Jolokia protocol reference (version request and reply, text/plain content type) and security docs';

export default defineReplies({
  signature: 'jolokia',
  landing: {
    status: 404,
    headers: { 'content-type': 'text/html' },
    body: '<h1>404 Not Found</h1>No context found for request',
    source: 'the Jolokia JVM agent (port 8778) serves /jolokia from the JDK HTTP server, whose ServerImpl answers any other path so',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.7.2',
      replies: [
        {
          path: '/jolokia/version',
          status: 200,
          headers: { 'content-type': 'text/plain;charset=utf-8' },
          body: {
            request: { type: 'version' },
            value: {
              agent: '1.7.2',
              protocol: '7.2',
              config: { agentId: '127.0.0.5-1234-6b1c2d3e-servlet', agentType: 'servlet' },
              info: { product: 'tomcat', vendor: 'Apache', version: '9.0.83' },
            },
            timestamp: 1767225600,
            status: 200,
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/jolokia/version',
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="jolokia"', 'content-type': 'text/plain' },
          body: '',
          source,
        },
      ],
    },
  },
});
