import type http from 'node:http';
import { startHttp, type FakeServer } from './fake-servers.js';

/**
 * Protocol-faithful local replays of HTTP stores Debian 12 does not package (InfluxDB 2, Neo4j 5, Loki 3, MinIO), for
 * what a fixed list of exchanges cannot say: InfluxDB 2's setup state, Neo4j's statement-by-statement answers, Loki's
 * tenant header, S3 buckets declared in the inventory. (Cassandra, Kafka and ZooKeeper's refused four-letter word
 * replay from probes/<id>.replies.ts.) Each reply cites where its shape comes
 * from. Loopback only, port 0; every server records what it was sent so tests can assert read-only traffic.
 */

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

// ---------------------------------------------------------------------------------------------------------------
// InfluxDB 2.7 (https://docs.influxdata.com/influxdb/v2/api/ — GetHealth, GetSetup, GetBuckets; the 401 body is
// the platform error of influxdata/influxdb issue #20859: {"code":"unauthorized","message":"unauthorized access"}).

export function startInflux2(host: string, opts: { onboarded: boolean }): Promise<FakeServer> {
  const version = 'v2.7.11';
  return startHttp(host, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const common = { 'x-influxdb-build': 'OSS', 'x-influxdb-version': version };
    if (url.pathname === '/ping') {
      res.writeHead(204, common);
      return res.end();
    }
    if (url.pathname === '/health')
      return json(
        res,
        200,
        { name: 'influxdb', message: 'ready for queries and writes', status: 'pass', checks: [], version, commit: 'ae1d5ea' },
        common,
      );
    if (url.pathname === '/api/v2/setup') return json(res, 200, { allowed: !opts.onboarded }, common);
    return json(res, 401, { code: 'unauthorized', message: 'unauthorized access' }, { ...common, 'x-platform-error-code': 'unauthorized' });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Neo4j 5.26 HTTP API (https://neo4j.com/docs/http-api/current/ — discovery document, transactions/commit,
// result format {"results":[{"columns":[…],"data":[{"row":[…],"meta":[…]}]}],"errors":[],"lastBookmarks":[…]};
// 401 body from https://neo4j.com/docs/http-api/current/authentication-authorization/).

export function startNeo4j(host: string, opts: { auth: boolean }): Promise<FakeServer> {
  const version = '5.26.2';
  return startHttp(host, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/')
      return json(res, 200, {
        bolt_routing: `neo4j://${host}:7687`,
        query: `http://${host}:7474/db/{databaseName}/query/v2`,
        transaction: `http://${host}:7474/db/{databaseName}/tx`,
        bolt_direct: `bolt://${host}:7687`,
        neo4j_version: version,
        neo4j_edition: 'community',
      });
    const m = /^\/db\/([^/]+)\/tx\/commit$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return json(res, 404, { errors: [{ code: 'Neo.ClientError.Request.Invalid', message: 'Not Found' }] });
    if (opts.auth)
      return json(
        res,
        401,
        { errors: [{ code: 'Neo.ClientError.Security.Unauthorized', message: 'No authentication header supplied.' }] },
        { 'www-authenticate': 'Basic realm="Neo4j"' },
      );
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      let statements: Array<{ statement: string }> = [];
      try {
        statements = (JSON.parse(body) as { statements: Array<{ statement: string }> }).statements;
      } catch {
        return json(res, 400, {
          results: [],
          errors: [{ code: 'Neo.ClientError.Request.InvalidFormat', message: 'Unable to deserialize request' }],
        });
      }
      const table = (columns: string[], rows: unknown[][]) => ({ columns, data: rows.map((row) => ({ row, meta: row.map(() => null) })) });
      const results = statements.map(({ statement: s }) => {
        if (s === 'RETURN 1') return table(['1'], [[1]]);
        if (s.startsWith('CALL dbms.components()'))
          return table(['name', 'versions', 'edition'], [['Neo4j Kernel', [version], 'community']]);
        if (s.startsWith('CALL db.labels()')) return table(['label'], [['Person'], ['Customer'], ['Session']]);
        if (s.startsWith('CALL db.propertyKeys()')) return table(['propertyKey'], [['name'], ['email'], ['password_hash']]);
        if (s === 'MATCH (n) RETURN count(n)') return table(['count(n)'], [[1234]]);
        if (s === 'MATCH ()-[r]->() RETURN count(r)') return table(['count(r)'], [[567]]);
        if (s.startsWith('SHOW DATABASES') && m[1] === 'system')
          return table(
            ['name', 'currentStatus'],
            [
              ['neo4j', 'online'],
              ['system', 'online'],
            ],
          );
        return undefined;
      });
      if (results.some((r) => !r))
        return json(res, 200, {
          results: [],
          errors: [{ code: 'Neo.ClientError.Statement.SyntaxError', message: 'replay: unexpected statement' }],
        });
      json(res, 200, { results, errors: [], lastBookmarks: ['FB:kcwQ'] });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Grafana Loki 3.4 (https://grafana.com/docs/loki/latest/reference/loki-http-api/ — labels, label values,
// buildinfo; multi-tenant 401 "no org id": grafana/loki issue #7081 and docs operations/multi-tenancy).

export function startLoki(host: string, opts: { multiTenant: boolean }): Promise<FakeServer> {
  const values: Record<string, string[]> = {
    app: ['checkout', 'payments', 'auth'],
    env: ['prod', 'staging'],
    job: ['varlogs', 'nginx'],
    namespace: ['default'],
  };
  return startHttp(host, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ready') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('ready\n');
    }
    if (opts.multiTenant && req.headers['x-scope-orgid'] === undefined) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      return res.end('no org id\n');
    }
    if (url.pathname === '/loki/api/v1/status/buildinfo')
      return json(res, 200, {
        version: '3.4.2',
        revision: 'cad1ba2a',
        branch: 'release-3.4.x',
        buildUser: 'root@buildkitsandbox',
        buildDate: '2025-02-14T09:41:07Z',
        goVersion: 'go1.23.6',
      });
    if (url.pathname === '/loki/api/v1/labels') return json(res, 200, { status: 'success', data: Object.keys(values) });
    const m = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(url.pathname);
    if (m) return json(res, 200, { status: 'success', data: values[decodeURIComponent(m[1]!)] ?? [] });
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// MinIO RELEASE.2025 S3 API, path-style. Error body: minio/minio issue #3774 and the S3 error response reference
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html); ListObjectsV2 result:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html; ListBuckets result:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html. MinIO never allows anonymous ListBuckets.

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>\n';
function s3Error(res: http.ServerResponse, status: number, code: string, message: string, resource: string, server: string) {
  res.writeHead(status, { 'content-type': 'application/xml', server, 'x-amz-request-id': '1799E4C7C3F1F3A2', 'accept-ranges': 'bytes' });
  res.end(
    `${xmlHead}<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>1799E4C7C3F1F3A2</RequestId><HostId>dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8</HostId></Error>`,
  );
}

export interface S3ReplayOptions {
  /** Anonymous ListBuckets allowed (AWS-style public listing; never on MinIO). */
  listBuckets: boolean;
  /** Buckets and their objects; `public` ones list anonymously. */
  buckets: Record<string, { public: boolean; objects: Array<{ key: string; size: number }> }>;
  server?: string;
}

export function startS3(host: string, opts: S3ReplayOptions): Promise<FakeServer> {
  const server = opts.server ?? 'MinIO';
  return startHttp(host, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET') return s3Error(res, 403, 'AccessDenied', 'Access Denied.', url.pathname, server);
    if (url.pathname === '/') {
      if (!opts.listBuckets) return s3Error(res, 403, 'AccessDenied', 'Access Denied.', '/', server);
      res.writeHead(200, { 'content-type': 'application/xml', server, 'x-amz-request-id': '1799E4C7C3F1F3A3' });
      const buckets = Object.keys(opts.buckets)
        .map((b) => `<Bucket><Name>${b}</Name><CreationDate>2025-01-02T03:04:05.000Z</CreationDate></Bucket>`)
        .join('');
      return res.end(
        `${xmlHead}<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4</ID><DisplayName>minio</DisplayName></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
      );
    }
    const bucket = decodeURIComponent(url.pathname.slice(1));
    const b = opts.buckets[bucket];
    if (!b) return s3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', url.pathname, server);
    if (!b.public) return s3Error(res, 403, 'AccessDenied', 'Access Denied.', url.pathname, server);
    const max = Number(url.searchParams.get('max-keys') ?? 1000);
    const shown = b.objects.slice(0, max);
    const contents = shown
      .map(
        (o) =>
          `<Contents><Key>${o.key}</Key><LastModified>2025-01-10T10:00:00.000Z</LastModified><ETag>&#34;d41d8cd98f00b204e9800998ecf8427e&#34;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    res.writeHead(200, { 'content-type': 'application/xml', server, 'x-amz-request-id': '1799E4C7C3F1F3A4' });
    res.end(
      `${xmlHead}<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix></Prefix><KeyCount>${shown.length}</KeyCount><MaxKeys>${max}</MaxKeys><Delimiter></Delimiter><IsTruncated>${shown.length < b.objects.length}</IsTruncated>${contents}</ListBucketResult>`,
    );
  });
}
