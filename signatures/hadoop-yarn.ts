import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'hadoop-yarn',
  product: 'Hadoop YARN ResourceManager',
  defaultPorts: [8088],
  requests: [{ id: 'cluster-info', method: 'GET', path: '/ws/v1/cluster/info' }],
  positive: [
    {
      on: 'cluster-info',
      status: [200],
      contentType: /json/i,
      json: ['clusterInfo.resourceManagerVersion', 'clusterInfo.state'],
      shows: 'the ResourceManager REST API answers anonymously: applications can be listed and submitted (code execution on the cluster)',
    },
  ],
  auth: [
    {
      on: 'cluster-info',
      status: [401],
      headers: { 'www-authenticate': /Negotiate/i },
      shows: '401 WWW-Authenticate: Negotiate (Kerberos / SPNEGO)',
      identifies: false,
    },
    {
      on: 'cluster-info',
      status: [401, 403],
      body: [/Authentication required|anonymous requests are disallowed/i],
      shows: '401/403 (simple auth with anonymous disallowed)',
    },
    { on: 'cluster-info', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate' },
  ],
  severity: 'critical',
  exposure: 'anyone can submit YARN applications that run arbitrary commands on the cluster nodes, and read application logs',
  remediation:
    'Enable Kerberos (hadoop.security.authentication=kerberos with SPNEGO for the web UIs: hadoop.http.authentication.type=kerberos), or at least hadoop.http.authentication.simple.anonymous.allowed=false, and firewall 8088.',
  references: [
    'https://hadoop.apache.org/docs/stable/hadoop-yarn/hadoop-yarn-site/ResourceManagerRest.html#Cluster_Information_API',
    'https://hadoop.apache.org/docs/stable/hadoop-project-dist/hadoop-common/HttpAuthentication.html',
  ],
  extract(r) {
    const b = r['cluster-info']?.json();
    return compact({
      version: str(b, 'clusterInfo.resourceManagerVersion'),
      hadoopVersion: str(b, 'clusterInfo.hadoopVersion'),
      state: str(b, 'clusterInfo.state'),
      haState: str(b, 'clusterInfo.haState'),
    });
  },
  summarize(reply) {
    const b = reply.json();
    return `${reply.status} resourceManagerVersion=${str(b, 'clusterInfo.resourceManagerVersion') ?? '?'} state=${str(b, 'clusterInfo.state') ?? '?'}`;
  },
});
