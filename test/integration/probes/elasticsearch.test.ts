// Elasticsearch/OpenSearch probe against the replayed-response stub (loopback 127.0.0.50–127.0.0.54, port 0).
import { afterAll, describe, expect, it } from 'vitest';
import elasticsearch, { catIndicesPath } from '../../../probes/elasticsearch.js';
import { parseCatIndices, parseSize } from '../../../src/protocols/elasticsearch.js';
import type { Observation, Status } from '../../../src/types.js';
import { createHarness } from '../../support/probe-harness.js';
import { startStub, type StubVariant } from '../../fixtures/elasticsearch-stub.js';
import { commonPeerCases, type PeerCase } from '../../support/peer-cases.js';
import { isDeclared } from '../../../src/probe.js';

const HOST = '127.0.0.50';
const PEER_HOST = '127.0.0.51';
const TIMEOUT_MS = 1_500;

const harness = createHarness({ probes: [elasticsearch], timeoutMs: TIMEOUT_MS });
afterAll(() => harness.close());
const probe = (host: string, port: number) => harness.probe('elasticsearch', host, port);

/** meta.sends through the probe API's one matcher: `<index>` stands for one path segment. */
const declared = (req: string) => isDeclared(elasticsearch.meta.sends, req);

const userIndices = ['archive-2019', 'chat_messages', 'customers', 'logs-app-2024.06', 'read_me'];
// Open, non-closed user indices get a mapping request each (closed `archive-2019` and `.`-indices do not).
const openRequests = [
  'GET /',
  `GET ${catIndicesPath}`,
  'GET /_cluster/health',
  'GET /read_me/_mapping',
  'GET /customers/_mapping',
  'GET /chat_messages/_mapping',
  'GET /logs-app-2024.06/_mapping',
  'GET /_cat/indices?format=json&h=index,creation.date',
  'GET /_nodes/stats/http',
];

interface Case {
  variant: StubVariant;
  status: Status;
  product: string;
  version?: string;
  limited?: boolean;
  indices?: string[];
  requests: string[];
  check?: (o: Observation) => void;
}

const cases: Case[] = [
  {
    variant: 'es7-open',
    status: 'exposed',
    product: 'Elasticsearch',
    version: '7.17.4',
    indices: userIndices,
    requests: openRequests,
    check: (o) => {
      expect(o.facts.securityDisabledWarning).toBe(true);
      expect(o.evidence.notes?.join('\n')).toMatch(/security features are not enabled/);
      expect(o.evidence.notes?.join('\n')).toMatch(/ransom note: read_me/);
      expect(o.facts.clusterName).toBe('audit-stub');
      expect(o.facts.clusterHealth).toEqual({ status: 'yellow', numberOfNodes: 1, numberOfDataNodes: 1, activeShards: 6 });
      expect(o.facts.dotIndices).toMatchObject({ count: 2, dataStreamBacking: 1 });
      expect(o.data?.totals).toEqual({ rows: 125_000 + 2_100_000 + 9_800 + 1, bytes: 48_318_382 + 1_288_490_188 + 7_340_032 + 5_325 });
      const customers = o.data?.items.find((i) => i.name === 'customers');
      expect(customers).toMatchObject({ kind: 'index', rows: 125_000, bytes: 48_318_382, oldest: '2023-03-14', ageFrom: 'created' });
      // No creation.date (null) is unknown, never "very old".
      expect(o.data?.items.find((i) => i.name === 'read_me')?.oldest).toBeUndefined();
      expect(o.access).toEqual({ source: '_nodes/stats', connectionsReceived: 1204, connectedClients: 3 });
      expect(customers?.fields).toEqual(['name', 'email', 'phone', 'address.street', 'address.city', 'address.postcode', 'created_at']);
      const logs = o.data?.items.find((i) => i.name === 'logs-app-2024.06');
      expect(logs?.fields).toContain('http.request.headers.authorization');
      expect(o.data?.items.find((i) => i.name === 'archive-2019')?.fields).toBeUndefined();
      expect(o.data?.truncated).toBeUndefined();
      expect(o.evidence.proof).toBe(`GET ${catIndicesPath}`);
    },
  },
  {
    variant: 'es8-open',
    status: 'exposed',
    product: 'Elasticsearch',
    version: '8.9.1',
    indices: userIndices,
    requests: openRequests,
    check: (o) => {
      expect(o.facts.elasticProductHeader).toBe('Elasticsearch');
      expect(o.facts.securityDisabledWarning).toBeUndefined();
      expect(o.facts.buildType).toBe('docker');
    },
  },
  {
    variant: 'opensearch-open',
    status: 'exposed',
    product: 'OpenSearch',
    version: '2.17.1',
    indices: userIndices,
    requests: openRequests,
    check: (o) => expect(o.facts.distribution).toBe('opensearch'),
  },
  {
    variant: 'es-secured',
    status: 'auth-required',
    product: 'Elasticsearch',
    requests: ['GET /'],
    check: (o) => {
      expect(o.evidence.reply).toMatch(/missing authentication credentials/);
      expect(o.facts.wwwAuthenticate).toMatch(/Basic realm="security"/);
    },
  },
  {
    variant: 'es6-secured',
    status: 'auth-required',
    product: 'Elasticsearch',
    requests: ['GET /'],
    check: (o) => expect(o.evidence.notes).toContain('≤ 6.8 wording (missing authentication token)'),
  },
  {
    variant: 'opensearch-secured',
    status: 'auth-required',
    product: 'OpenSearch',
    requests: ['GET /'],
    check: (o) => expect(o.evidence.reply).toBe('401 Unauthorized'),
  },
  {
    variant: 'es-anonymous-limited',
    status: 'exposed',
    product: 'Elasticsearch',
    limited: true,
    requests: ['GET /', `GET ${catIndicesPath}`],
    check: (o) => {
      expect(o.evidence.notes?.join('\n')).toMatch(/unauthorized for user \[_anonymous\]/);
      expect(o.data).toBeUndefined();
    },
  },
];

describe('elasticsearch probe: stub variants', () => {
  it.each(cases)('$variant → $status', async (c) => {
    const stub = await startStub(c.variant, HOST);
    try {
      const { probe: id, observation: o } = await probe(HOST, stub.port);
      expect(id).toBe('elasticsearch');
      expect(o.status).toBe(c.status);
      expect(o.evidence.product).toBe(c.product);
      if (c.version) expect(o.evidence.version).toBe(c.version);
      expect(o.evidence.limited).toBe(c.limited);
      if (c.indices) expect(o.data?.items.map((i) => i.name).sort()).toEqual(c.indices);
      else expect(o.data).toBeUndefined();
      // What the probe says it sent is what the server received, all of it declared, all of it GET.
      expect(o.evidence.requests).toEqual(c.requests);
      expect(stub.requests).toEqual(c.requests);
      expect(o.evidence.requests.every(declared)).toBe(true);
      expect(stub.requests.every((r) => r.startsWith('GET '))).toBe(true);
      expect(o.evidence.tls).toBeUndefined();
      c.check?.(o);
    } finally {
      await stub.close();
    }
  });
});

describe('elasticsearch probe: peers that are not a healthy Elasticsearch', () => {
  const negative: PeerCase[] = commonPeerCases(probe, PEER_HOST, TIMEOUT_MS, 'GET /');

  it.each(negative)('$name → $expect', async (c) => {
    const { observation: o } = await c.run();
    expect(c.expect).toContain(o.status);
    expect(o.status).not.toBe('exposed');
    expect(o.data).toBeUndefined();
    expect(o.evidence.requests.every(declared)).toBe(true);
  });

  it('oversized _cat/indices → exposed, truncated evidence, capped listing, no crash', async () => {
    const stub = await startStub('es-oversized', HOST);
    try {
      const { observation: o, ms } = await probe(HOST, stub.port);
      expect(o.status).toBe('exposed');
      expect(o.evidence.truncated).toBe(true);
      expect(o.data?.truncated).toBe(true);
      expect(o.data?.items.length).toBe(500);
      expect(o.facts.indices).toBeGreaterThan(500);
      expect(o.evidence.requests).toEqual(stub.requests);
      expect(o.evidence.requests.every(declared)).toBe(true);
      expect(ms).toBeLessThan(TIMEOUT_MS + 1_000);
    } finally {
      await stub.close();
    }
  });
});

describe('elasticsearch probe: parsing', () => {
  it.each([
    ['225b', 225],
    ['5.2kb', Math.round(5.2 * 1024)],
    ['1.1gb', Math.round(1.1 * 1024 ** 3)],
    ['48318382', 48_318_382],
    [null, undefined],
    ['n/a', undefined],
  ])('parseSize(%j) = %j', (input, want) => {
    expect(parseSize(input)).toBe(want);
  });

  it.each([
    ['a complete listing', '[{"index":"a","docs.count":"1","store.size":"10"}]', { rows: 1, complete: true }],
    ['an empty cluster', '[]', { rows: 0, complete: true }],
    [
      'a listing cut mid-row',
      '[{"index":"a","docs.count":"1"},{"index":"b","docs.count":"2"},{"index":"c","do',
      { rows: 2, complete: false },
    ],
    ['an ES root object', '{"name":"x","version":{"number":"7.17.4"}}', undefined],
    ['an array of other things', '[1,2,3]', undefined],
    ['HTML', '<html>hello</html>', undefined],
  ])('parseCatIndices: %s', async (_name, text, want) => {
    const got = await parseCatIndices(text);
    expect(got && { rows: got.rows.length, complete: got.complete }).toEqual(want);
  });
});
