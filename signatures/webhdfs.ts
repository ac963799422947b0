import { compact, defineSignature, jsonAt } from '../src/http-catalog/signature.js';

/**
 * HDFS NameNode WebHDFS (9870 on Hadoop 3, 50070 on Hadoop 2). Without Kerberos ("simple" auth, the default) the
 * user is whatever `user.name=` says, so a listing of `/` proves access; no user name is sent here (the NameNode
 * uses its static user, dr.who). Kerberos answers 401 `WWW-Authenticate: Negotiate`.
 */
export default defineSignature({
  id: 'webhdfs',
  product: 'HDFS NameNode (WebHDFS)',
  category: 'query engine / notebook',
  neverSends:
    'op=OPEN (file contents), CREATE, APPEND, MKDIRS, RENAME, DELETE, SETOWNER, SETPERMISSION, GETDELEGATIONTOKEN, any user.name (never impersonates hdfs)',
  defaultPorts: [9870, 50070],
  requests: [{ id: 'root', method: 'GET', path: '/webhdfs/v1/?op=LISTSTATUS' }],
  positive: [
    {
      on: 'root',
      status: [200],
      contentType: /json/i,
      json: ['FileStatuses.FileStatus'],
      shows: 'the HDFS root listing without credentials: with simple auth anyone can read, write and delete every file as any user',
    },
  ],
  auth: [
    {
      on: 'root',
      status: [401],
      headers: { 'www-authenticate': /Negotiate/i },
      // Not `identifies`: YARN, Livy and every Hadoop web UI answer the same SPNEGO challenge.
      shows: '401 WWW-Authenticate: Negotiate (Kerberos SPNEGO)',
    },
    { on: 'root', status: [403], body: [/"RemoteException"/], shows: '403 RemoteException (permission denied)', identifies: true },
  ],
  measure: [
    {
      id: 'root',
      kind: 'object',
      request: { method: 'GET', path: '/webhdfs/v1/?op=LISTSTATUS' },
      list: 'FileStatuses.FileStatus',
      name: 'pathSuffix',
      bytes: 'length',
    },
  ],
  severity: 'critical',
  exposure: 'anyone can list, read, write and delete every HDFS file, claiming any user name (including the superuser)',
  remediation:
    'Enable Kerberos (hadoop.security.authentication = kerberos) with SPNEGO for the web endpoints, or disable WebHDFS (dfs.webhdfs.enabled = false), and keep the NameNode on a private network.',
  references: [
    'https://hadoop.apache.org/docs/current/hadoop-project-dist/hadoop-hdfs/WebHDFS.html',
    'https://hadoop.apache.org/docs/current/hadoop-project-dist/hadoop-common/HttpAuthentication.html',
  ],
  extract(r) {
    const list = jsonAt(r.root?.json(), 'FileStatuses.FileStatus');
    return compact({ rootEntries: Array.isArray(list) ? list.length : undefined });
  },
});
