import { afterAll, describe, expect, it } from 'vitest';
import cassandraProbe from '../../../probes/cassandra.js';
import influxProbe from '../../../probes/influxdb.js';
import kafkaProbe from '../../../probes/kafka.js';
import lokiProbe from '../../../probes/loki.js';
import neo4jProbe from '../../../probes/neo4j.js';
import s3Probe from '../../../probes/s3.js';
import zookeeperProbe from '../../../probes/zookeeper.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import { auditDefaults } from '../../../src/engine/audit.js';
import { HttpClient } from '../../../src/net/http.js';
import type { Endpoint } from '../../../src/types.js';
import type { FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';
import { startInflux2, startLoki, startNeo4j, startS3 } from '../../support/store-replays.js';
import { commonStoreRows } from '../../support/store-rows.js';

// Replayed servers (Debian 12 packages none of these) on 127.0.1.1–127.0.1.49, port 0.
const harness = createHarness({ probes: [cassandraProbe, influxProbe, kafkaProbe, lokiProbe, neo4jProbe, s3Probe, zookeeperProbe] });
const peers: FakeServer[] = [];
afterAll(async () => {
  await harness.close();
  await Promise.all(peers.map((p) => p.close()));
});
async function up<T extends FakeServer>(p: Promise<T>): Promise<T> {
  const s = await p;
  peers.push(s);
  return s;
}

// Cassandra and Kafka server states (exposed with schema, topics and --sample, SASL, version ranges) replay from
// probes/cassandra.replies.ts and probes/kafka.replies.ts in test/probes/probe-tester.test.ts; the common rows here.
describe('cassandra probe: the common store rows', () => {
  commonStoreRows(() => harness, 'cassandra', '127.0.1.4', 'tcp');
});

describe('kafka probe: the common store rows', () => {
  commonStoreRows(() => harness, 'kafka', '127.0.1.13', 'tcp');
});

describe('neo4j probe (replayed Neo4j 5.26 HTTP API)', () => {
  it('auth disabled: RETURN 1 → exposed, with databases, labels, property keys and counts', async () => {
    const s = await up(startNeo4j('127.0.1.20', { auth: false }));
    const { observation: o } = await harness.probe('neo4j', s.host, s.port);
    expect(o.status).toBe('exposed');
    expect(o.evidence).toMatchObject({ product: 'Neo4j', version: '5.26.2', proof: 'POST /db/neo4j/tx/commit RETURN 1' });
    expect(o.facts).toMatchObject({ nodes: 1234, relationships: 567, edition: 'community', labels: 3 });
    expect(o.data?.items).toEqual(
      expect.arrayContaining([
        { kind: 'database', name: 'neo4j', rows: 1234, fields: ['name', 'email', 'password_hash'] },
        { kind: 'label', name: 'Session' },
      ]),
    );
    expect(o.evidence.requests).toEqual(['POST /db/neo4j/tx/commit', 'POST /db/neo4j/tx/commit', 'POST /db/system/tx/commit']);
    expect(s.received.map(String).some((r) => r.startsWith('GET /'))).toBe(false);
  });

  it('auth enabled: 401 Neo.ClientError.Security.Unauthorized → auth-required (version from the public discovery page)', async () => {
    const s = await up(startNeo4j('127.0.1.21', { auth: true }));
    const { observation: o } = await harness.probe('neo4j', s.host, s.port);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.version).toBe('5.26.2');
    expect(o.evidence.requests).toEqual(['POST /db/neo4j/tx/commit', 'GET /']);
  });

  it('the discovery page alone proves nothing: a server answering only GET / (version JSON) is not exposed', async () => {
    const { startHttp } = await import('../../support/fake-servers.js');
    const s = await up(
      startHttp('127.0.1.22', (req, res) => {
        res.writeHead(req.method === 'GET' ? 200 : 405, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            neo4j_version: '5.26.2',
            neo4j_edition: 'community',
            transaction: 'http://127.0.1.22:7474/db/{databaseName}/tx',
          }),
        );
      }),
    );
    const { observation: o } = await harness.probe('neo4j', s.host, s.port);
    expect(o.status).toBe('not-detected');
  });

  commonStoreRows(() => harness, 'neo4j', '127.0.1.23', 'http');
});

describe('loki probe (replayed Loki 3.4)', () => {
  it('single-tenant: labels → exposed, with label value names and the version', async () => {
    const s = await up(startLoki('127.0.1.30', { multiTenant: false }));
    const { observation: o } = await harness.probe('loki', s.host, s.port);
    expect(o.status).toBe('exposed');
    expect(o.evidence).toMatchObject({ product: 'Loki', version: '3.4.2' });
    expect(o.data?.items).toEqual(
      expect.arrayContaining([{ kind: 'label', name: 'app', rows: 3, fields: ['checkout', 'payments', 'auth'] }]),
    );
    expect(o.data?.totals.keys).toBe(4);
    // Names only: never a query for log lines.
    expect(s.received.map(String).every((r) => /^GET \/loki\/api\/v1\/(labels|status\/buildinfo|label\/[^/]+\/values)$/.test(r))).toBe(
      true,
    );
  });

  it('multi-tenant without X-Scope-OrgID: 401 "no org id" → auth-required', async () => {
    const s = await up(startLoki('127.0.1.31', { multiTenant: true }));
    const { observation: o } = await harness.probe('loki', s.host, s.port);
    expect(o.status).toBe('auth-required');
    expect(o.facts.multiTenant).toBe(true);
  });

  it('a Prometheus-shaped labels API without Loki buildinfo is not Loki', async () => {
    const { startHttp } = await import('../../support/fake-servers.js');
    const s = await up(
      startHttp('127.0.1.32', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: ['__name__', 'job'] }));
      }),
    );
    const { observation: o } = await harness.probe('loki', s.host, s.port);
    expect(o.status).toBe('not-detected');
  });

  commonStoreRows(() => harness, 'loki', '127.0.1.33', 'http');
});

describe('s3 probe (replayed MinIO / S3 XML)', () => {
  const buckets = {
    'public-data': {
      public: true,
      objects: [
        { key: 'backups/db.sql.gz', size: 1_048_576 },
        { key: 'exports/customers.csv', size: 2048 },
        { key: 'secrets/api_key.txt', size: 40 },
      ],
    },
    private: { public: false, objects: [{ key: 'x', size: 1 }] },
  };
  /** The s3 probe with inventory-declared buckets, through the engine path (Endpoint.buckets → ProbeTarget). */
  async function withBuckets(host: string, port: number, names: string[]) {
    const http = new HttpClient({ connectTimeoutMs: 1000 });
    try {
      const endpoint: Endpoint = {
        host,
        port,
        service: 's3',
        asset: host,
        declaredHost: host,
        labels: {},
        buckets: names,
        source: { file: 't.yaml', line: 1, column: 1 },
      };
      return await probeEndpoint([s3Probe], endpoint, {
        timeoutMs: 2000,
        connectTimeoutMs: 1000,
        maxBytes: auditDefaults.maxBytes,
        caps: auditDefaults.caps,
        signal: new AbortController().signal,
        http,
      });
    } finally {
      await http.close();
    }
  }

  it('MinIO, no buckets declared: ListBuckets AccessDenied → auth-required, saying why', async () => {
    const s = await up(startS3('127.0.1.40', { listBuckets: false, buckets }));
    const { observation: o } = await harness.probe('s3', s.host, s.port);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.product).toBe('MinIO');
    expect(o.evidence.notes?.join(' ')).toMatch(/no buckets are declared/);
  });

  it('MinIO with a public bucket declared in the inventory → exposed, with object count, bytes and keys', async () => {
    const s = await up(startS3('127.0.1.41', { listBuckets: false, buckets }));
    const { observation: o } = await withBuckets(s.host, s.port, ['public-data', 'private', 'missing']);
    expect(o.status).toBe('exposed');
    expect(o.data?.items).toEqual([
      {
        kind: 'bucket',
        name: 'public-data',
        rows: 3,
        bytes: 1_050_664,
        fields: ['backups/db.sql.gz', 'exports/customers.csv', 'secrets/api_key.txt'],
      },
    ]);
    expect(o.facts.buckets).toEqual({ 'public-data': 'listable', private: 'AccessDenied', missing: 'NoSuchBucket' });
    expect(o.evidence.requests).toEqual([
      'GET /',
      'GET /public-data?list-type=2&max-keys=100',
      'GET /private?list-type=2&max-keys=100',
      'GET /missing?list-type=2&max-keys=100',
    ]);
  });

  it('MinIO with only private buckets declared → auth-required', async () => {
    const s = await up(startS3('127.0.1.42', { listBuckets: false, buckets }));
    const { observation: o } = await withBuckets(s.host, s.port, ['private']);
    expect(o.status).toBe('auth-required');
  });

  it('anonymous ListBuckets allowed (AWS-style): exposed with bucket names, public ones listed', async () => {
    const s = await up(startS3('127.0.1.43', { listBuckets: true, buckets, server: 'AmazonS3' }));
    const { observation: o } = await harness.probe('s3', s.host, s.port);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('Amazon S3');
    expect(o.data?.items.map((i) => i.name).sort()).toEqual(['private', 'public-data']);
    expect(o.data?.totals).toMatchObject({ rows: 3 });
  });

  it('XML with a DOCTYPE/ENTITY (billion laughs) is refused before parsing: not-detected', async () => {
    const { startHttp } = await import('../../support/fake-servers.js');
    const s = await up(
      startHttp('127.0.1.44', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/xml', server: 'MinIO' });
        res.end(
          '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><ListAllMyBucketsResult><Buckets><Bucket><Name>&b;</Name></Bucket></Buckets></ListAllMyBucketsResult>',
        );
      }),
    );
    const { observation: o } = await harness.probe('s3', s.host, s.port);
    expect(o.status).toBe('not-detected');
  });

  commonStoreRows(() => harness, 's3', '127.0.1.45', 'http');
});

describe('influxdb probe against InfluxDB 2.7 replays', () => {
  it('never onboarded: /api/v2/setup {"allowed":true} → exposed and unclaimed', async () => {
    const s = await up(startInflux2('127.0.1.46', { onboarded: false }));
    const { observation: o } = await harness.probe('influxdb', s.host, s.port);
    expect(o.status).toBe('exposed');
    expect(o.unclaimed).toMatch(/never onboarded/);
    expect(o.evidence).toMatchObject({ product: 'InfluxDB', version: 'v2.7.11', proof: 'GET /api/v2/setup' });
  });

  it('onboarded: /api/v2/buckets 401 → auth-required, no POST ever', async () => {
    const s = await up(startInflux2('127.0.1.47', { onboarded: true }));
    const { observation: o } = await harness.probe('influxdb', s.host, s.port);
    expect(o.status).toBe('auth-required');
    expect(o.facts.setupAllowed).toBe(false);
    expect(s.received.map(String).every((r) => r.startsWith('GET '))).toBe(true);
    expect(s.received.map(String)).not.toContain('GET /ping');
  });
});

// ZooKeeper's "not in the whitelist" reply replays from probes/zookeeper.replies.ts (words-disabled); the common rows here.
describe('zookeeper probe: the common store rows', () => {
  commonStoreRows(() => harness, 'zookeeper', '127.0.1.49', 'tcp');
});
