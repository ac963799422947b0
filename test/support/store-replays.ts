import type http from 'node:http';
import net from 'node:net';
import { startHttp, type FakeServer } from './fake-servers.js';

/**
 * Protocol-faithful local replays of stores Debian 12 does not package (InfluxDB 2, Neo4j 5, Loki 3, MinIO,
 * Cassandra 5, Kafka 3.9/4.x), and ZooKeeper's "not in the whitelist" reply. Each reply cites where its shape comes
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

// ---------------------------------------------------------------------------------------------------------------
// Raw TCP replays: one handler per connection, fed whole request frames.

interface TcpReplay extends FakeServer {
  /** Requests seen, decoded to a short description (opcode / api key), in order. */
  requests: string[];
}

function startTcp(
  host: string,
  frameOf: (buf: Buffer) => number | undefined,
  onFrame: (frame: Buffer, socket: net.Socket, log: string[]) => void,
): Promise<TcpReplay> {
  const received: Buffer[] = [];
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      received.push(d);
      buf = Buffer.concat([buf, d]);
      for (let n = frameOf(buf); n !== undefined && !socket.destroyed; n = frameOf(buf)) {
        const frame = buf.subarray(0, n);
        buf = buf.subarray(n);
        onFrame(frame, socket, requests);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve({
        host,
        port: (server.address() as net.AddressInfo).port,
        received,
        requests,
        connections: () => accepted,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

// Cassandra 5.0 speaking CQL native protocol v4 (apache/cassandra doc/native_protocol_v4.spec §2, §4.2;
// SUPPORTED keys as Cassandra 5.0 sends them: CQL_VERSION 3.4.7, PROTOCOL_VERSIONS incl. 6/v6-beta).

/** [string]: unsigned short length, then the bytes. */
export const cqlStr = (s: string) => {
  const b = Buffer.from(s);
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length);
  return Buffer.concat([l, b]);
};
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
export const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cqlBytes = (b: Buffer | null) => (b === null ? i32(-1) : Buffer.concat([i32(b.length), b]));
const bigint = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

/** A v4 response frame: version 0x84, flags, stream, opcode, length (native_protocol_v4.spec §2). */
export function cqlFrame(stream: number, opcode: number, body: Buffer): Buffer {
  const h = Buffer.alloc(9);
  h[0] = 0x84;
  h.writeInt16BE(stream, 2);
  h[4] = opcode;
  h.writeInt32BE(body.length, 5);
  return Buffer.concat([h, body]);
}

/** RESULT Rows with global table spec; columns are varchar (0x000D) or bigint (0x0002). */
function cqlRows(ks: string, table: string, cols: Array<[string, 'text' | 'bigint']>, rows: Array<Array<string | number>>): Buffer {
  const parts = [i32(0x0002), i32(0x0001), i32(cols.length), cqlStr(ks), cqlStr(table)];
  for (const [name, type] of cols) parts.push(cqlStr(name), u16(type === 'text' ? 0x000d : 0x0002));
  parts.push(i32(rows.length));
  for (const row of rows) for (const v of row) parts.push(cqlBytes(typeof v === 'number' ? bigint(v) : Buffer.from(v)));
  return Buffer.concat(parts);
}

export const cassandraSchema: Record<string, Record<string, string[]>> = {
  shop: { customers: ['id', 'email', 'password_hash'], orders: ['id', 'customer_id', 'total'] },
  metrics: { events: ['day', 'ts', 'payload'] },
};

export function startCassandra(host: string, opts: { auth: boolean }): Promise<TcpReplay> {
  const frameOf = (buf: Buffer) => (buf.length >= 9 && buf.length >= 9 + buf.readInt32BE(5) ? 9 + buf.readInt32BE(5) : undefined);
  return startTcp(host, frameOf, (frame, socket, log) => {
    const stream = frame.readInt16BE(2);
    const opcode = frame[4]!;
    const body = frame.subarray(9);
    if (frame[0] !== 0x04) {
      // Cassandra answers an unsupported version with a protocol ERROR (0x000A) framed in a version it speaks.
      log.push(`version ${frame[0]}`);
      return socket.write(
        cqlFrame(
          stream,
          0x00,
          Buffer.concat([
            i32(0x000a),
            cqlStr(`Invalid or unsupported protocol version (${frame[0]}); supported versions are (3/v3, 4/v4, 5/v5, 6/v6-beta)`),
          ]),
        ),
      );
    }
    if (opcode === 0x05) {
      log.push('OPTIONS');
      const mm: Array<[string, string[]]> = [
        ['CQL_VERSION', ['3.4.7']],
        ['COMPRESSION', ['snappy', 'lz4']],
        ['PROTOCOL_VERSIONS', ['3/v3', '4/v4', '5/v5', '6/v6-beta']],
      ];
      const parts = [u16(mm.length)];
      for (const [k, vs] of mm) parts.push(cqlStr(k), u16(vs.length), ...vs.map(cqlStr));
      return socket.write(cqlFrame(stream, 0x06, Buffer.concat(parts)));
    }
    if (opcode === 0x01) {
      log.push('STARTUP');
      return socket.write(
        opts.auth
          ? cqlFrame(stream, 0x03, cqlStr('org.apache.cassandra.auth.PasswordAuthenticator'))
          : cqlFrame(stream, 0x02, Buffer.alloc(0)),
      );
    }
    if (opcode === 0x07) {
      const q = body.toString('utf8', 4, 4 + body.readInt32BE(0));
      log.push(`QUERY ${q}`);
      if (opts.auth) return socket.write(cqlFrame(stream, 0x00, Buffer.concat([i32(0x0100), cqlStr('Unauthorized')])));
      let result: Buffer;
      const tables = Object.entries(cassandraSchema).flatMap(([ks, ts]) => Object.keys(ts).map((t) => [ks, t] as const));
      if (q.startsWith('SELECT release_version'))
        result = cqlRows(
          'system',
          'local',
          [
            ['release_version', 'text'],
            ['cluster_name', 'text'],
          ],
          [['5.0.3', 'Test Cluster']],
        );
      else if (q.includes('system_schema.keyspaces'))
        result = cqlRows(
          'system_schema',
          'keyspaces',
          [['keyspace_name', 'text']],
          [['system'], ['system_schema'], ...Object.keys(cassandraSchema).map((k) => [k])],
        );
      else if (q.includes('system_schema.tables'))
        result = cqlRows(
          'system_schema',
          'tables',
          [
            ['keyspace_name', 'text'],
            ['table_name', 'text'],
          ],
          [['system', 'local'], ...tables.map(([k, t]) => [k, t])],
        );
      else if (q.includes('system_schema.columns'))
        result = cqlRows(
          'system_schema',
          'columns',
          [
            ['keyspace_name', 'text'],
            ['table_name', 'text'],
            ['column_name', 'text'],
          ],
          tables.flatMap(([k, t]) => cassandraSchema[k]![t]!.map((c) => [k, t, c])),
        );
      else if (q.includes('system.size_estimates'))
        result = cqlRows(
          'system',
          'size_estimates',
          [
            ['keyspace_name', 'text'],
            ['table_name', 'text'],
            ['partitions_count', 'bigint'],
            ['mean_partition_size', 'bigint'],
          ],
          [
            ['shop', 'customers', 1000, 200],
            ['shop', 'customers', 500, 200],
          ],
        );
      else if (q === 'SELECT * FROM "shop"."customers" LIMIT 5')
        result = cqlRows(
          'shop',
          'customers',
          [
            ['id', 'text'],
            ['email', 'text'],
            ['password_hash', 'text'],
          ],
          [
            ['1', 'a@example.com', 'sk-proj-FAKE0000esREPLAYnotREALkey'],
            ['2', 'b@example.com', '$2y$10$abcdefghijklmnopqrstuv'],
          ],
        );
      else return socket.write(cqlFrame(stream, 0x00, Buffer.concat([i32(0x2000), cqlStr('replay: unexpected query')])));
      return socket.write(cqlFrame(stream, 0x08, result));
    }
    log.push(`opcode ${opcode}`);
    socket.write(cqlFrame(stream, 0x00, Buffer.concat([i32(0x000a), cqlStr('unexpected opcode')])));
  });
}

// Kafka broker (https://kafka.apache.org/protocol; ApiVersions v0 and Metadata v1/v4 layouts from apache/kafka
// clients/src/main/resources/common/message/*.json). SASL listener behaviour: SaslServerAuthenticator closes the
// connection on any request but ApiVersions/SaslHandshake before authentication.

const kStr = (s: string | null) => {
  if (s === null) return Buffer.from([0xff, 0xff]);
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

export interface KafkaReplayOptions {
  sasl: boolean;
  /** Metadata version range the broker advertises (Kafka 3.9: 0–12; Kafka 4.x drops old versions, KIP-896). */
  metadata: [number, number];
  topics: Record<string, number>;
}

export function startKafka(host: string, opts: KafkaReplayOptions): Promise<TcpReplay> {
  const frameOf = (buf: Buffer) => (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0) ? 4 + buf.readInt32BE(0) : undefined);
  return startTcp(host, frameOf, (frame, socket, log) => {
    const key = frame.readInt16BE(4);
    const version = frame.readInt16BE(6);
    const corr = frame.readInt32BE(8);
    log.push(`key ${key} v${version}`);
    const reply = (body: Buffer) => socket.write(Buffer.concat([i32(body.length + 4), i32(corr), body]));
    if (key === 18) {
      const apis: Array<[number, number, number]> = [
        [0, 3, 11],
        [1, 4, 17],
        [3, opts.metadata[0], opts.metadata[1]],
        [17, 0, 1],
        [18, 0, 4],
        [36, 0, 2],
      ];
      return reply(
        Buffer.concat([Buffer.from([0, 0]), i32(apis.length), ...apis.map(([k, mn, mx]) => Buffer.concat([u16(k), u16(mn), u16(mx)]))]),
      );
    }
    if (opts.sasl) return socket.destroy(); // IllegalSaslStateException → connection closed
    if (key === 3 && (version === 1 || version === 4)) {
      const broker = Buffer.concat([i32(1), kStr(host), i32(9092), kStr(null)]);
      const topics = Object.entries(opts.topics).map(([name, parts]) =>
        Buffer.concat([
          u16(0),
          kStr(name),
          Buffer.from([name.startsWith('__') ? 1 : 0]),
          i32(parts),
          ...Array.from({ length: parts }, (_, p) => Buffer.concat([u16(0), i32(p), i32(1), i32(1), i32(1), i32(1), i32(1)])),
        ]),
      );
      const head = version === 4 ? [i32(0)] : [];
      const cluster = version === 4 ? [kStr('MkU3OEVBNTcwNTJENDM2Qk')] : [];
      return reply(Buffer.concat([...head, i32(1), broker, ...cluster, i32(1), i32(topics.length), ...topics]));
    }
    socket.destroy();
  });
}

// ZooKeeper 4lw (apache/zookeeper NIOServerCnxn / FourLetterCommands): reply, then close. For the cases the real
// Debian server cannot produce here (a fork or build whose srvr is off).

export function startZkText(host: string, reply: string): Promise<FakeServer> {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (d) => {
      received.push(d);
      socket.end(reply);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve({
        host,
        port: (server.address() as net.AddressInfo).port,
        received,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}
