// The http-admin probe, table-driven: every case of every signatures/<id>.replies.ts (exposed, secured, ...).
// Replayed recorded responses (node:http) for every case; where Debian packages the server (nginx, Apache,
// Prometheus, etcd via test/support/servers) the case also runs against the real one. Everything on loopback
// 127.0.0.70–127.0.0.99, IP literals only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import httpAdmin, { baselinePattern, type SignatureMatch } from '../../../probes/http-admin.js';
import { serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { auditDefaults } from '../../../src/engine/audit.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import { signatures } from '../../../signatures/index.js';
import { signatureById as byId } from '../../../src/http-catalog/index.js';
import type { RepliesCase } from '../../../src/http-catalog/replies.js';
import type { Signature } from '../../../src/http-catalog/signature.js';
import { HttpClient } from '../../../src/net/http.js';
import type { Endpoint, Observation, Status } from '../../../src/types.js';
import { startReplayServer as startReplay, type ReplayServer } from '../../support/replay-server.js';
import { allReplies } from '../../support/replies.js';
import { isDeclared } from '../../../src/probe.js';

/** One case of one replies file. */
interface CatalogRow {
  signature: string;
  name: string;
  case: RepliesCase;
}
const catalogRows: CatalogRow[] = allReplies.flatMap((r) =>
  Object.entries(r.cases).map(([name, c]) => ({ signature: r.signature, name, case: c })),
);
const signatureById = (id: string): Signature | undefined => byId(signatures, id);
type RealVariant = NonNullable<RepliesCase['real']> & { kind: Parameters<typeof serverAvailable>[0] };
const realOf = (row: CatalogRow): RealVariant | undefined => row.case.real as RealVariant | undefined;

const T = 60_000;
const client = new HttpClient({ connectTimeoutMs: 1000 });

function endpointFor(host: string, port: number): Endpoint {
  return {
    host,
    port,
    service: 'http',
    asset: `test-${host}`,
    declaredHost: host,
    labels: {},
    source: { file: 'targets.yaml', line: 1, column: 1 },
  };
}

async function audit(host: string, port: number): Promise<{ probe: string; observation: Observation }> {
  return probeEndpoint([httpAdmin], endpointFor(host, port), {
    timeoutMs: 10_000,
    connectTimeoutMs: 1000,
    maxBytes: auditDefaults.maxBytes,
    caps: auditDefaults.caps,
    signal: new AbortController().signal,
    http: client,
  });
}

const sigs = (o: Observation): SignatureMatch[] => (o.facts.signatures as SignatureMatch[] | undefined) ?? [];
/** Signature ids with this verdict (one signature may prove it with several replies: listed once here). */
const ids = (o: Observation, verdict: SignatureMatch['verdict']): string[] => [
  ...new Set(
    sigs(o)
      .filter((s) => s.verdict === verdict)
      .map((s) => s.id),
  ),
];

/** Every request the probe sent is declared in meta.sends (or is the random-path baseline). */
function expectDeclared(o: Observation): void {
  for (const r of o.evidence.requests) {
    if (!baselinePattern.test(r)) expect(isDeclared(httpAdmin.meta.sends, r), r).toBe(true);
  }
}

// ---- Real servers: one per (kind, variant), on the signature's default port, each on its own address ----

const realHosts = new Map<string, string>();
let nextReal = 80;
for (const row of catalogRows) {
  const v = realOf(row);
  if (v) realHosts.set(`${v.kind}/${v.variant}`, `127.0.0.${nextReal++}`);
}
const real = new Map<string, Promise<ServerInstance>>();
const extra: Record<string, Promise<ServerInstance>> = {};

function realServer(v: RealVariant): Promise<ServerInstance> {
  const p = real.get(`${v.kind}/${v.variant}`);
  if (!p) throw new Error(`${v.kind}/${v.variant} was not started`);
  return p;
}

function realPort(s: ServerInstance): number {
  return (s.ports.http ?? s.ports.client)!;
}

beforeAll(() => {
  for (const row of catalogRows) {
    const v = realOf(row);
    if (!v || !serverAvailable(v.kind)) continue;
    const key = `${v.kind}/${v.variant}`;
    if (real.has(key)) continue;
    const ports = v.kind === 'etcd' ? { client: v.port } : { http: v.port };
    const p = startServer({ kind: v.kind, variant: v.variant, host: realHosts.get(key)!, ports });
    p.catch(() => undefined); // reported by the test that awaits it
    real.set(key, p);
  }
  if (serverAvailable('nginx')) {
    // nginx on a port no signature names, so every signature runs against its catch-all `location /`.
    extra.nginxOpen = startServer({ kind: 'nginx', variant: 'open', host: '127.0.0.88' });
    extra.nginxProtected = startServer({ kind: 'nginx', variant: 'protected', host: '127.0.0.89' });
    for (const p of Object.values(extra)) p.catch(() => undefined);
  }
}, T);

afterAll(async () => {
  await client.close();
  await stopAll();
}, T);

// ---- The table ----

/** A signature's first default port that is plaintext and unprivileged (replays bind it on their own address). */
function replayPort(row: CatalogRow): number {
  const sig = signatureById(row.signature)!;
  const tls = httpAdmin.meta.tlsPorts ?? [];
  return sig.defaultPorts.find((p) => !tls.includes(p) && p >= 1024) ?? sig.defaultPorts.find((p) => !tls.includes(p))!;
}

function expected(row: CatalogRow): Status {
  return row.case.expect;
}

/** What every row asserts, whichever server answered. `allSignatures`: the port named no signature. */
function checkRow(row: CatalogRow, o: Observation, allSignatures: boolean): void {
  const sig = signatureById(row.signature)!;
  const status = expected(row);
  expect(o.status, JSON.stringify({ evidence: o.evidence, signatures: sigs(o) }, null, 1)).toBe(status);
  expectDeclared(o);
  if (status === 'exposed') {
    // Exactly this product, even when every signature ran: no cross-product false positive.
    expect(ids(o, 'exposed')).toEqual([row.signature]);
    expect(o.evidence.product).toBe(sig.product);
    expect(sig.requests.map((r) => `${r.method} ${r.path}`)).toContain(o.evidence.proof);
    expect(o.evidence.reply?.length).toBeGreaterThan(0);
    expect(o.evidence.reply!.length).toBeLessThanOrEqual(300);
    expect(o.facts.signature).toBe(row.signature);
    // The severity is typed (Observation.assessment), never a magic facts key.
    expect(['critical', 'high', 'medium', 'low', 'info']).toContain(o.assessment?.severity);
    expect(o.facts.severity).toBeUndefined();
    expect(o.assessment?.exposure).toBe(sig.exposure);
    expect(o.assessment?.remediation).toBe(sig.remediation);
    if (row.case.version !== undefined) expect(o.evidence.version).toMatch(row.case.version);
  } else {
    expect(ids(o, 'exposed')).toEqual([]);
  }
  if (status === 'auth-required') {
    if (row.case.siteWide) {
      expect(o.facts.siteWideAuth).toBe(true);
      expect(o.evidence.notes?.join(' ')).toMatch(/site-wide/);
    } else {
      expect(ids(o, 'auth-required')).toContain(row.signature);
      if (!allSignatures) expect(o.evidence.product).toBe(sig.product);
    }
  }
  if (status === 'not-detected' && sig.publicByDesign) {
    expect(o.evidence.product).toBe(sig.product);
    expect(ids(o, 'public-by-design')).toContain(row.signature);
    expect(o.evidence.notes?.join(' ')).toMatch(/public by design/);
  }
}

const replayRequests: string[] = [];

type Served = Parameters<typeof startReplay>[2];
const fixed = (status: number, headers: Record<string, string>, body: string | object): Served => ({
  expect: 'not-detected',
  replies: [],
  fallback: { status, headers, body, source: 'test server' },
});

async function withReplay<T>(v: Served, host: string, port: number, fn: (s: ReplayServer) => Promise<T>): Promise<T> {
  const server = await startReplay(host, port, v);
  try {
    return await fn(server);
  } finally {
    replayRequests.push(...server.requests);
    await server.close();
  }
}

describe('http-admin: every case of every signature (exposed, secured, ...)', () => {
  for (const [i, row] of catalogRows.entries()) {
    const status = expected(row);
    const v = realOf(row);
    if (v) {
      it.skipIf(!serverAvailable(v.kind))(
        `${row.signature} ${row.name} (real ${v.kind}, ${v.variant}) → ${status}`,
        async () => {
          const s = await realServer(v);
          const { probe, observation } = await audit(s.host, realPort(s));
          expect(probe).toBe('http-admin');
          checkRow(row, observation, false);
        },
        T,
      );
    }
    const port = replayPort(row);
    // Two addresses alternate so that a default port is never bound twice at once.
    it(`${row.signature} ${row.name} (replayed, default port ${port}) → ${status}`, async () => {
      await withReplay(row.case, i % 2 ? '127.0.0.70' : '127.0.0.71', port, async (s) => {
        const { observation } = await audit(s.host, s.port);
        checkRow(row, observation, false);
      });
    });
    it(`${row.signature} ${row.name} (replayed, a port no signature names: every signature runs) → ${status}`, async () => {
      await withReplay(row.case, i % 2 ? '127.0.0.72' : '127.0.0.73', 0, async (s) => {
        const { observation } = await audit(s.host, s.port);
        checkRow(row, observation, true);
      });
    });
  }

  it('replay servers only ever received declared requests (GET, plus the justified etcd, Milvus and TGI POSTs)', () => {
    expect(replayRequests.length).toBeGreaterThan(100);
    for (const r of replayRequests) {
      if (baselinePattern.test(r)) continue;
      expect(isDeclared(httpAdmin.meta.sends, r), r).toBe(true);
      if (r.startsWith('POST ')) expect(['POST /v3/kv/range', 'POST /v2/vectordb/collections/list', 'POST /tokenize']).toContain(r);
    }
  });
});

describe('http-admin: catch-alls, redirects and the wrong service', () => {
  it.skipIf(!serverAvailable('nginx'))(
    'nginx catch-all `location /` (200 for every path), every signature: only stub_status is exposed',
    async () => {
      const s = await extra.nginxOpen!;
      const { observation: o } = await audit(s.host, s.ports.http!);
      expect(o.status).toBe('exposed');
      expect(ids(o, 'exposed')).toEqual(['nginx-stub-status']);
      expectDeclared(o);
    },
    T,
  );

  it.skipIf(!serverAvailable('nginx'))(
    'nginx catch-all with stub_status protected, every signature: no exposed result',
    async () => {
      const s = await extra.nginxProtected!;
      const { observation: o } = await audit(s.host, s.ports.http!);
      expect(ids(o, 'exposed')).toEqual([]);
      expect(o.status).toBe('auth-required');
      expect(o.evidence.product).toBe('nginx (stub_status)');
    },
    T,
  );

  it('a node:http server answering the same JSON for every path: nothing exposed, catch-alls noted', async () => {
    const everything = {
      status: 'success',
      data: { version: '2.42.0', goVersion: 'go1.19', yaml: 'global:\n', activeTargets: [] },
      kind: 'PodList',
      apiVersion: 'v1',
      Version: '24.0.7',
      ApiVersion: '1.43',
      Os: 'linux',
      Config: { Datacenter: 'dc1', Version: '1.16.2' },
      Member: {},
      clusterInfo: { resourceManagerVersion: '3.3.6', state: 'STARTED' },
      http: { routers: {}, services: {} },
      features: {},
      rabbitmq_version: '3.12',
      management_version: '3.12',
      versionInfo: { version: '0.27.0' },
      config: { original: 'x' },
      cluster: { status: 'ready' },
      id: 1,
      name: 'Main Org.',
      address: {},
      propertySources: [],
      activeProfiles: [],
      _links: { self: { href: '/' }, heapdump: { href: '/' } },
    };
    await withReplay(fixed(200, {}, everything), '127.0.0.90', 0, async (s) => {
      const { observation: o } = await audit(s.host, s.port);
      expect(o.status).toBe('not-detected');
      expect(ids(o, 'exposed')).toEqual([]);
      expect(ids(o, 'catch-all').length).toBeGreaterThan(5);
      expect(o.evidence.notes?.join(' ')).toMatch(/catch-all/);
    });
  });

  it('a catch-all that echoes the path in its JSON: nothing exposed', async () => {
    const echo = (_m: string, url: string) => ({
      status: 200,
      source: 'test server',
      body: {
        path: url,
        status: 'success',
        data: { version: '1', goVersion: 'go', yaml: 'global:' },
        Version: '1',
        ApiVersion: '1',
        Os: 'linux',
      },
    });
    const s = await startReplay('127.0.0.91', 0, echo);
    try {
      const { observation: o } = await audit(s.host, s.port);
      expect(ids(o, 'exposed')).toEqual([]);
      expect(o.status).toBe('not-detected');
    } finally {
      await s.close();
    }
  });

  it('a redirect to another host is never followed and never counts', async () => {
    // The other host is another loopback address with a listener of its own: it must receive nothing.
    await withReplay(fixed(200, { 'content-type': 'text/plain' }, 'elsewhere'), '127.0.0.91', 0, async (other) => {
      const location = `http://127.0.0.91:${other.port}/login?next=%2F`;
      await withReplay(fixed(302, { location }, ''), '127.0.0.92', 0, async (s) => {
        const { observation: o } = await audit(s.host, s.port);
        expect(o.status).toBe('not-detected');
        expect(ids(o, 'exposed')).toEqual([]);
        expect(ids(o, 'auth-required')).toEqual([]);
        expect(o.evidence.notes?.join(' ')).toMatch(/another origin not followed/);
        // Every request went to this server: the client never follows.
        expect(s.requests.length).toBe(o.evidence.requests.length);
        expect(other.requests).toEqual([]);
      });
    });
  });

  it('a same-origin login redirect on every path: credentials demanded site-wide, product not named', async () => {
    await withReplay(fixed(302, { location: '/login?next=%2F' }, ''), '127.0.0.93', 0, async (s) => {
      const { observation: o } = await audit(s.host, s.port);
      expect(o.status).toBe('auth-required');
      expect(o.facts.siteWideAuth).toBe(true);
      expect(o.evidence.product).toBeUndefined();
    });
  });

  it('the wrong service (a plain "hello" server) → not-detected', async () => {
    await withReplay(fixed(200, { 'content-type': 'text/plain' }, 'hello\n'), '127.0.0.94', 0, async (s) => {
      const { observation: o } = await audit(s.host, s.port);
      expect(o.status).toBe('not-detected');
      expect(sigs(o).filter((m) => m.verdict !== 'catch-all')).toEqual([]);
      expect(o.evidence.proof).toMatch(baselinePattern);
    });
  });

  it('a server that answers the random path but drops every admin request → error (could not test), not not-detected', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/ea-')) res.end('ok');
      else req.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.96', resolve));
    try {
      const { observation: o } = await audit('127.0.0.96', (server.address() as AddressInfo).port);
      expect(o.status).toBe('error');
      expect(['EA_CLOSED', 'EA_RESET']).toContain(o.error?.code);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('nothing listening → closed (could not test, never "safe")', async () => {
    const s = await startReplay('127.0.0.95', 0, fixed(404, {}, ''));
    const port = s.port;
    await s.close();
    const { observation: o } = await audit('127.0.0.95', port);
    expect(o.status).toBe('closed');
  });
});

describe('http-admin exposures carry the signature severity as a typed assessment', () => {
  const exposedRow = (id: string) => catalogRows.find((r) => r.signature === id && r.case.expect === 'exposed')!;

  it.each([
    ['jupyter', 'critical'],
    ['nginx-stub-status', 'low'],
    ['spring-boot-actuator', 'critical'], // the heap dump link raises it above the signature's `high`
    ['grafana', 'medium'],
  ] as const)(
    '%s exposed → %s',
    async (id, severity) => {
      const row = exposedRow(id);
      const o = await withReplay(row.case, '127.0.0.74', 0, async (s) => (await audit(s.host, s.port)).observation);
      expect(o.assessment?.severity).toBe(severity);
      expect(o.assessment?.remediation).toBe(signatureById(id)!.remediation);
      expect(o.assessment?.exposure).toBe(signatureById(id)!.exposure);
      expect(o.assessment?.reason).toContain(signatureById(id)!.product);
      expect(o.facts.severity).toBeUndefined();
    },
    T,
  );

  it('a public-by-design reply alone (Vault health) is no exposure and carries no assessment', async () => {
    const row = exposedRow('vault') ?? catalogRows.find((r) => r.signature === 'vault' && r.name === 'exposed')!;
    const o = await withReplay(row.case, '127.0.0.75', 0, async (s) => (await audit(s.host, s.port)).observation);
    expect(o.status).toBe('not-detected');
    expect(o.assessment).toBeUndefined();
  });
});
