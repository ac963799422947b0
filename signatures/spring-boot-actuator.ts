import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

const actuatorJson = /application\/(vnd\.spring-boot\.actuator\.v\d\+)?json/i;

export default defineSignature({
  id: 'spring-boot-actuator',
  product: 'Spring Boot Actuator',
  defaultPorts: [8080, 8081],
  requests: [
    { id: 'index', method: 'GET', path: '/actuator' },
    { id: 'env', method: 'GET', path: '/actuator/env' },
  ],
  positive: [
    {
      on: 'env',
      status: [200],
      contentType: actuatorJson,
      json: ['propertySources'],
      bodyAny: ['"activeProfiles"'],
      shows: 'the environment: property sources with configuration values (passwords are masked only when Boot sanitizes them)',
      severity: 'high',
    },
    {
      on: 'index',
      status: [200],
      contentType: actuatorJson,
      json: ['_links.self.href', '_links.heapdump.href'],
      shows:
        'the actuator index lists the heap dump endpoint (a JVM memory snapshot with secrets and sessions); detected from the link, never downloaded',
      severity: 'critical',
    },
    {
      on: 'index',
      status: [200],
      contentType: actuatorJson,
      json: ['_links.self.href'],
      shows: 'the actuator index: which management endpoints are exposed over HTTP',
      severity: 'medium',
    },
  ],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (Spring Security)' },
    {
      status: [401, 403],
      contentType: /json/i,
      body: [/"status"\s*:\s*40[13]/, /"error"\s*:\s*"(Unauthorized|Forbidden)"/],
      shows: 'Spring error body 401/403',
    },
    { status: [301, 302, 303, 307], redirect: /\/(login|signin|oauth2|sso)/i, shows: 'redirect to a same-origin login page' },
  ],
  // Spring Boot's own error reply (DefaultErrorAttributes JSON, the Whitelabel page, Boot 1's X-Application-Context)
  // answers the random path of any Boot application that has not replaced it.
  identify: {
    landing: [
      { json: ['timestamp', 'status', 'error', 'path'] },
      { bodyAny: [/Whitelabel Error Page/] },
      { headers: { 'x-application-context': true } },
    ],
  },
  severity: 'high',
  exposure:
    'reads the application environment and configuration without credentials; a listed heap dump leaks credentials and sessions from memory',
  remediation:
    'Expose only health (and info) over HTTP: management.endpoints.web.exposure.include=health; put the rest behind Spring Security with a role, or on a management port bound to localhost (management.server.address=127.0.0.1).',
  references: [
    'https://docs.spring.io/spring-boot/reference/actuator/endpoints.html',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/springboot/springboot-env.yaml',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/springboot/springboot-heapdump.yaml',
  ],
  extract(r) {
    const links = jsonAt(r.index?.json(), '_links');
    const env = r.env?.json();
    const sources = jsonAt(env, 'propertySources');
    return compact({
      endpoints:
        links && typeof links === 'object'
          ? Object.keys(links)
              .filter((k) => k !== 'self')
              .slice(0, 40)
          : undefined,
      heapdumpListed: links && typeof links === 'object' && 'heapdump' in links ? true : undefined,
      activeProfiles: Array.isArray(jsonAt(env, 'activeProfiles'))
        ? (jsonAt(env, 'activeProfiles') as unknown[]).map(String).slice(0, 10)
        : undefined,
      propertySources: Array.isArray(sources) ? sources.map((s) => str(s, 'name', 120) ?? '?').slice(0, 20) : undefined,
    });
  },
  summarize(reply) {
    const body = reply.json();
    if (reply.requestId === 'env') {
      const sources = jsonAt(body, 'propertySources');
      const profiles = jsonAt(body, 'activeProfiles');
      return `${reply.status} activeProfiles=${JSON.stringify(profiles ?? [])}; ${Array.isArray(sources) ? sources.length : 0} property sources (values not shown)`;
    }
    const links = jsonAt(body, '_links');
    return `${reply.status} actuator links: ${links && typeof links === 'object' ? Object.keys(links).join(', ').slice(0, 200) : '?'}`;
  },
});
