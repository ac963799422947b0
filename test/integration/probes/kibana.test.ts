// Kibana probe against the replayed-response stub (loopback 127.0.0.60–127.0.0.61, port 0).
import { afterAll, describe, expect, it } from 'vitest';
import kibana, { consoleProxyPath } from '../../../probes/kibana.js';
import type { Status } from '../../../src/types.js';
import { createHarness } from '../../support/probe-harness.js';
import { startStub, type StubVariant } from '../../fixtures/elasticsearch-stub.js';
import { commonPeerCases, type PeerCase } from '../../support/peer-cases.js';
import { isDeclared } from '../../../src/probe.js';

const HOST = '127.0.0.60';
const PEER_HOST = '127.0.0.61';
const TIMEOUT_MS = 1_500;

const harness = createHarness({ probes: [kibana], timeoutMs: TIMEOUT_MS });
afterAll(() => harness.close());
const probe = (host: string, port: number) => harness.probe('kibana', host, port);

const declared = (req: string) => isDeclared(kibana.meta.sends, req);
const statusReq = 'GET /api/status';
const proxyReq = `POST ${consoleProxyPath}`;

interface Case {
  variant: StubVariant;
  status: Status;
  product?: string;
  version?: string;
  limited?: boolean;
  dataReachable?: boolean;
  indices?: string[];
  truncated?: boolean;
  requests: string[];
}

const cases: Case[] = [
  {
    variant: 'kibana-open',
    status: 'exposed',
    product: 'Kibana',
    version: '8.1.2',
    dataReachable: true,
    indices: ['archive-2019', 'chat_messages', 'customers', 'logs-app-2024.06', 'read_me'],
    requests: [statusReq, proxyReq],
  },
  { variant: 'kibana-secured', status: 'auth-required', product: 'Kibana', requests: [statusReq] },
  { variant: 'kibana-secured-redacted', status: 'auth-required', product: 'Kibana', requests: [statusReq] },
  { variant: 'kibana-login-redirect', status: 'auth-required', product: 'Kibana', requests: [statusReq] },
  {
    variant: 'kibana-oversized',
    status: 'exposed',
    product: 'Kibana',
    version: '8.1.2',
    dataReachable: true,
    truncated: true,
    requests: [statusReq, proxyReq],
  },
];

describe('kibana probe: stub variants', () => {
  it.each(cases)('$variant → $status', async (c) => {
    const stub = await startStub(c.variant, HOST);
    try {
      const { probe: id, observation: o, ms } = await probe(HOST, stub.port);
      expect(id).toBe('kibana');
      expect(o.status).toBe(c.status);
      expect(o.evidence.product).toBe(c.product);
      expect(o.evidence.version).toBe(c.version);
      expect(o.evidence.limited).toBe(c.limited);
      expect(o.facts.dataReachable).toBe(c.dataReachable);
      expect(o.facts.kbnName).toBe('kibana-stub');
      if (c.indices) expect(o.data?.items.map((i) => i.name).sort()).toEqual(c.indices);
      if (!c.dataReachable) expect(o.data).toBeUndefined();
      expect(o.evidence.truncated).toBe(c.truncated);
      if (c.truncated) {
        expect(o.data?.truncated).toBe(true);
        expect(o.data?.items.length).toBe(500);
      }
      // Exactly what was declared, recorded and received: GETs, plus at most the one justified POST.
      expect(o.evidence.requests).toEqual(c.requests);
      expect(stub.requests).toEqual(c.requests);
      expect(o.evidence.requests.every(declared)).toBe(true);
      expect(stub.requests.filter((r) => !r.startsWith('GET '))).toEqual(c.requests.includes(proxyReq) ? [proxyReq] : []);
      expect(ms).toBeLessThan(TIMEOUT_MS + 1_000);
    } finally {
      await stub.close();
    }
  });

  it('kibana-open: indices read through the console proxy carry counts and sizes', async () => {
    const stub = await startStub('kibana-open', HOST);
    try {
      const { observation: o } = await probe(HOST, stub.port);
      expect(o.evidence.proof).toBe(proxyReq);
      expect(o.facts.statusReadable).toBe(true);
      expect(o.facts.overall).toBe('available');
      const customers = o.data?.items.find((i) => i.name === 'customers');
      // Default cat columns print human sizes (`46.1mb`): parsed back to bytes, to 0.1 of the unit.
      expect(customers?.rows).toBe(125_000);
      expect(Math.abs((customers?.bytes ?? 0) - 48_318_382)).toBeLessThan(0.1 * 1024 * 1024);
      expect(o.data?.totals.rows).toBe(125_000 + 2_100_000 + 9_800 + 1);
      expect(o.evidence.notes?.join('\n')).toMatch(/ransom note: read_me/);
    } finally {
      await stub.close();
    }
  });
});

describe('kibana probe: peers that are not Kibana', () => {
  const negative: PeerCase[] = [
    ...commonPeerCases(probe, PEER_HOST, TIMEOUT_MS, statusReq),
    {
      name: 'an Elasticsearch on the Kibana port',
      expect: ['not-detected'],
      run: async () => {
        const stub = await startStub('es7-open', PEER_HOST);
        try {
          const r = await probe(PEER_HOST, stub.port);
          expect(stub.requests).toEqual([statusReq]);
          return r;
        } finally {
          await stub.close();
        }
      },
    },
  ];

  it.each(negative)('$name → $expect', async (c) => {
    const { observation: o } = await c.run();
    expect(c.expect).toContain(o.status);
    expect(o.data).toBeUndefined();
    expect(o.evidence.requests).not.toContain(proxyReq);
    expect(o.evidence.requests.every(declared)).toBe(true);
  });
});
