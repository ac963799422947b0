import { defineReplies } from '../src/http-catalog/replies.js';

const server = 'Nexus/3.67.1-01 (OSS)';
const repo = (name: string, format: string, type: string) => ({
  name,
  format,
  type,
  url: `http://nexus:8081/repository/${name}`,
  attributes: type === 'proxy' ? { proxy: { remoteUrl: 'https://repo1.maven.org/maven2/' } } : {},
});

export default defineReplies({
  signature: 'nexus',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.67.1',
      data: { items: 3 },
      replies: [
        {
          path: '/service/rest/v1/repositories',
          status: 200,
          headers: { 'content-type': 'application/json', server },
          body: [
            repo('maven-central', 'maven2', 'proxy'),
            repo('maven-releases', 'maven2', 'hosted'),
            repo('npm-internal', 'npm', 'hosted'),
          ],
          source:
            'https://help.sonatype.com/en/repositories-api.html (Nexus 3.67: GET /service/rest/v1/repositories with anonymous access on)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/service/rest/v1/repositories',
          status: 401,
          headers: { 'www-authenticate': 'BASIC realm="Sonatype Nexus Repository Manager"', server, 'content-type': 'text/plain' },
          body: '',
          source:
            'https://help.sonatype.com/en/anonymous-access.html (Nexus 3.67 with anonymous access disabled: basic challenge on the REST API)',
        },
      ],
    },
  },
});
