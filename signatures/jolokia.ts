import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'jolokia',
  product: 'Jolokia (JMX over HTTP)',
  defaultPorts: [8778, 8080],
  requests: [
    { id: 'version', method: 'GET', path: '/jolokia/version' },
    { id: 'actuator-version', method: 'GET', path: '/actuator/jolokia/version' },
  ],
  positive: [
    {
      status: [200],
      contentType: /json|javascript|text\/plain/i,
      json: [{ path: 'request.type', equals: 'version' }, 'value.agent', { path: 'status', equals: 200 }],
      shows: 'the JMX bridge answers without credentials: read and write MBean attributes and invoke operations',
    },
  ],
  auth: [
    { status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate (agent user/password)' },
    {
      status: [200, 403],
      body: [/"status"\s*:\s*40[13]/, /"error_type"|"error"\s*:/],
      json: ['status'],
      shows: 'Jolokia error reply with status 401/403 (policy or authenticator)',
      identifies: true,
    },
  ],
  // The JVM agent's JDK HTTP server, or the Java server or Spring Boot application it is deployed in, shows itself on
  // the random path (its 404 body, Server or X-Powered-By header).
  identify: {
    landing: [
      { bodyAny: [/No context found for request/, /Apache Tomcat/, /Jetty/, /Whitelabel Error Page/, /jolokia/i] },
      { headers: { server: /jetty|tomcat|coyote|undertow|wildfly|jboss|glassfish|payara|weblogic|jolokia/i } },
      { headers: { 'x-powered-by': /servlet|jsp|undertow/i } },
      { json: ['timestamp', 'status', 'error', 'path'] },
    ],
  },
  severity: 'critical',
  exposure: 'invokes JMX operations (e.g. logging or MBean loaders) without credentials: commonly a path to code execution',
  remediation:
    'Configure the agent with user/password or a client-certificate authenticator and a restrictive jolokia-access.xml policy; bind it to 127.0.0.1, or remove the Spring jolokia actuator from web exposure.',
  references: [
    'https://jolokia.org/reference/html/manual/security.html',
    'https://jolokia.org/reference/html/manual/jolokia_protocol.html',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/misconfiguration/springboot/springboot-jolokia.yaml',
  ],
  extract(r) {
    const b = (r.version?.status === 200 ? r.version : r['actuator-version'])?.json();
    return compact({ version: str(b, 'value.agent'), protocol: str(b, 'value.protocol'), serverProduct: str(b, 'value.info.product') });
  },
  summarize(reply) {
    const b = reply.json();
    return `${reply.status} agent=${str(b, 'value.agent') ?? '?'} protocol=${str(b, 'value.protocol') ?? '?'} product=${str(b, 'value.info.product') ?? '?'}`;
  },
});
