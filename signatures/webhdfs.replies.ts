import { defineReplies } from '../src/http-catalog/replies.js';

const dir = (name: string, owner: string) => ({
  accessTime: 0,
  blockSize: 0,
  childrenNum: 3,
  fileId: 16386,
  group: 'supergroup',
  length: 0,
  modificationTime: 1764900000000,
  owner,
  pathSuffix: name,
  permission: '755',
  replication: 0,
  storagePolicy: 0,
  type: 'DIRECTORY',
});

export default defineReplies({
  signature: 'webhdfs',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 3 },
      replies: [
        {
          path: '/webhdfs/v1/?op=LISTSTATUS',
          status: 200,
          body: { FileStatuses: { FileStatus: [dir('data', 'hive'), dir('tmp', 'hdfs'), dir('user', 'hdfs')] } },
          source:
            'https://hadoop.apache.org/docs/current/hadoop-project-dist/hadoop-hdfs/WebHDFS.html#List_a_Directory (Hadoop 3.3, simple authentication)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/webhdfs/v1/?op=LISTSTATUS',
          status: 401,
          headers: { 'www-authenticate': 'Negotiate', 'content-type': 'text/html;charset=iso-8859-1' },
          body: '<html><body><h2>HTTP ERROR 401 Authentication required</h2></body></html>',
          source:
            'https://hadoop.apache.org/docs/current/hadoop-project-dist/hadoop-common/HttpAuthentication.html (Hadoop 3.3 with Kerberos: 401 Negotiate without a ticket)',
        },
      ],
    },
  },
});
