import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'Spring Boot actuator reference (links, env; actuator v3 media type); nuclei springboot-env / springboot-heapdump; Spring Security 401 error body';

export default defineReplies({
  signature: 'spring-boot-actuator',
  cases: {
    exposed: {
      expect: 'exposed',
      fallback: {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: { timestamp: '2026-01-01T00:00:00.000+00:00', status: 404, error: 'Not Found', path: '/' },
        source,
      },
      replies: [
        {
          path: '/actuator',
          status: 200,
          headers: { 'content-type': 'application/vnd.spring-boot.actuator.v3+json' },
          body: {
            _links: {
              self: { href: 'http://127.0.0.5:8080/actuator', templated: false },
              health: { href: 'http://127.0.0.5:8080/actuator/health', templated: false },
              env: { href: 'http://127.0.0.5:8080/actuator/env', templated: false },
              heapdump: { href: 'http://127.0.0.5:8080/actuator/heapdump', templated: false },
            },
          },
          source,
        },
        {
          path: '/actuator/env',
          status: 200,
          headers: { 'content-type': 'application/vnd.spring-boot.actuator.v3+json' },
          body: {
            activeProfiles: ['prod'],
            propertySources: [
              { name: 'server.ports', properties: { 'local.server.port': { value: 8080 } } },
              {
                name: 'systemEnvironment',
                properties: { DB_PASSWORD: { value: '******', origin: 'System Environment Property "DB_PASSWORD"' } },
              },
              {
                name: `Config resource 'class path resource [application.yml]' via location 'optional:classpath:/'`,
                properties: {},
              },
            ],
          },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      fallback: {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: { timestamp: '2026-01-01T00:00:00.000+00:00', status: 404, error: 'Not Found', path: '/' },
        source,
      },
      replies: [
        {
          path: '/actuator',
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="Realm"' },
          body: {
            timestamp: '2026-01-01T00:00:00.000+00:00',
            status: 401,
            error: 'Unauthorized',
            path: '/actuator',
          },
          source,
        },
        {
          path: '/actuator/env',
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="Realm"' },
          body: {
            timestamp: '2026-01-01T00:00:00.000+00:00',
            status: 401,
            error: 'Unauthorized',
            path: '/actuator/env',
          },
          source,
        },
      ],
    },
  },
});
