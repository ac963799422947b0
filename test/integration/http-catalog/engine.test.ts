// The catalog engine's DSL features on small synthetic signatures, against replay servers on 127.0.0.130–139:
// measurements (with `each`, caps, the baseline), unclaimed, leaks, advisories, assess, default credentials
// (opt-in only), forbidden routes never sent. Product tables live in signatures/<id>.replies.ts.
import { afterAll, describe, expect, it } from 'vitest';
import couchdb from '../../../signatures/couchdb.js';
import { advisoriesFor, compareVersions, forbiddenReason, runCatalog, signatureProbe } from '../../../src/http-catalog/index.js';
import { jsonCount, jsonElements, jsonLookup } from '../../../src/http-catalog/json-path.js';
import { defineReplies, type RepliesCase } from '../../../src/http-catalog/replies.js';
import { defineSignature, type Signature } from '../../../src/http-catalog/signature.js';
import { defineProbe, type Probe } from '../../../src/probe.js';
import type { Observation } from '../../../src/types.js';
import { createHarness } from '../../support/probe-harness.js';
import { startReplayServer, type ReplayServer } from '../../support/replay-server.js';
import { repliesFor } from '../../support/replies.js';

const harness = createHarness({ timeoutMs: 10_000 });
afterAll(() => harness.close());

const src = 'synthetic reply for the engine test';
const json = (path: string, status: number, body: object, method?: 'GET' | 'POST') => ({
  ...(method ? { method } : {}),
  path,
  status,
  headers: { 'content-type': 'application/json' },
  body,
  source: src,
});

const base: Signature = {
  id: 'example-store',
  product: 'Example Store',
  defaultPorts: [7777],
  requests: [
    { id: 'status', method: 'GET', path: '/api/status' },
    { id: 'setup', method: 'GET', path: '/api/setup' },
    { id: 'collections', method: 'GET', path: '/api/collections' },
  ],
  positive: [{ on: 'collections', status: [200], json: ['collections'], shows: 'the collection list' }],
  unclaimed: [{ on: 'setup', status: [200], json: [{ path: 'needsAdmin', equals: true }], shows: 'set-up wizard: no administrator yet' }],
  leaks: [{ on: 'status', status: [200], json: ['version', 'nodeName'], shows: 'version and node name' }],
  auth: [
    { on: 'collections', status: [401], json: [{ path: 'error', equals: 'unauthorized' }], shows: '401 unauthorized', identifies: true },
  ],
  measure: [
    {
      id: 'collections',
      kind: 'collection',
      request: { method: 'GET', path: '/api/collections' },
      list: 'collections',
      name: 'name',
      fields: 'schema.*',
      each: { path: '/api/collections/{name}', rows: 'result.points_count', bytes: 'result.disk|result.bytes', max: 2 },
    },
  ],
  advisories: [
    { id: 'CVE-2099-0001', summary: 'example: unauthenticated read of snapshots', fixedIn: '1.10.0' },
    { id: 'CVE-2099-0002', summary: 'example: older issue', fixedIn: '1.2.0' },
  ],
  defaultCredentials: [{ user: 'admin', password: 'admin', source: 'https://example.org/docs/default-login', request: 'collections' }],
  severity: 'high',
  exposure: 'reads every collection',
  remediation: 'enable the API key and bind the service to a private interface',
  references: ['https://example.org/docs'],
  extract: (r) => ({ version: (r.status?.json() as { version?: string } | undefined)?.version }),
};
const sig = defineSignature(base);
const status = json('/api/status', 200, { version: '1.9.3', nodeName: 'store-1' });

async function observe(
  probe: Probe,
  served: RepliesCase | ((m: string, u: string) => never),
  host = '127.0.0.130',
): Promise<{ o: Observation; s: ReplayServer }> {
  const s = await startReplayServer(host, 0, served);
  try {
    const { observation } = await harness.probe(probe.meta.service, s.host, s.port, { probes: [probe] });
    return { o: observation, s };
  } finally {
    await s.close();
  }
}

describe('measurements', () => {
  const exposed = defineReplies({
    signature: 'example-store',
    cases: {
      exposed: {
        expect: 'exposed',
        replies: [
          status,
          json('/api/collections', 200, {
            collections: [{ name: 'users', schema: { email: {}, password_hash: {} } }, { name: 'logs' }, { name: 'a/b' }, { name: '..' }],
          }),
          json('/api/collections/users', 200, { result: { points_count: 1200, disk: 4096 } }),
          json('/api/collections/logs', 200, { result: { points_count: 7, bytes: 100 } }),
          json('/api/collections/a%2Fb', 200, { result: { points_count: 1 } }),
        ],
      },
    },
  });

  it('names, fields, per-item counts (alternatives with |), capped by `each.max`, totals, truncated', async () => {
    const { o, s } = await observe(signatureProbe(sig), exposed.cases.exposed!);
    expect(o.status).toBe('exposed');
    expect(o.data?.items).toEqual([
      { kind: 'collection', name: 'users', rows: 1200, bytes: 4096, fields: ['email', 'password_hash'] },
      { kind: 'collection', name: 'logs', rows: 7, bytes: 100 },
      { kind: 'collection', name: 'a/b' },
      { kind: 'collection', name: '..' },
    ]);
    expect(o.data?.totals).toEqual({ rows: 1207, bytes: 4196 });
    expect(o.data?.truncated).toBe(true); // each.max = 2: a/b was not followed up
    // The follow-ups went out URL-encoded, `..` never; each is declared as a template.
    expect(s.requests.filter((r) => r.startsWith('GET /api/collections/'))).toEqual([
      'GET /api/collections/users',
      'GET /api/collections/logs',
    ]);
    expect(o.advisories).toEqual([{ id: 'CVE-2099-0001', summary: 'example: unauthenticated read of snapshots', fixedIn: '1.10.0' }]);
    expect(o.unclaimed).toBeUndefined();
    expect(o.assessment).toMatchObject({ severity: 'high', exposure: base.exposure, remediation: base.remediation });
  });

  it('a listing capped by ctx.caps.items', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ name: `c${i}` }));
    const { o } = await observe(signatureProbe(sig), {
      expect: 'exposed',
      replies: [json('/api/collections', 200, { collections: many })],
    });
    expect(o.data?.items.length).toBeLessThan(2000);
    expect(o.data?.truncated).toBe(true);
  });

  it('a JSON catch-all that answers every path alike (listing included) yields nothing', async () => {
    const body = { collections: [{ name: 'x' }], result: { points_count: 5 } };
    const { o } = await observe(signatureProbe(sig), (() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body,
      source: src,
    })) as never);
    expect(o.status).not.toBe('exposed');
    expect(o.data).toBeUndefined();
  });

  it('per-item counts are dropped when the random path yields them too', async () => {
    const perItem = { result: { points_count: 99 } };
    const served = ((_m: string, url: string) =>
      url === '/api/collections'
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: { collections: [{ name: 'users' }] }, source: src }
        : {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: url.startsWith('/ea-') ? { ...perItem, other: 'x'.repeat(200) } : perItem,
            source: src,
          }) as never;
    const { o } = await observe(signatureProbe(sig), served);
    expect(o.data?.items).toEqual([{ kind: 'collection', name: 'users' }]);
  });

  it('CouchDB: database names from /_all_dbs, doc_count and sizes.active per database', async () => {
    const c = repliesFor('couchdb')!.cases.exposed!;
    const { o } = await observe(signatureProbe(couchdb), c, '127.0.0.131');
    expect(o.data?.items.map((i) => [i.name, i.rows, i.bytes])).toEqual([
      ['_replicator', 0, 2316],
      ['_users', 2, 5610],
      ['orders', 61428, 48213312],
      ['sessions', 1204, 907264],
    ]);
    expect(o.data?.totals).toMatchObject({ rows: 62634, databases: 4 });
    expect(o.evidence.requests).toContain('GET /orders');
  });
});

describe('unclaimed, leaks, advisories, assess', () => {
  it('an unclaimed set-up is exposed, critical, and says so', async () => {
    const { o } = await observe(signatureProbe(sig), {
      expect: 'exposed',
      replies: [status, json('/api/setup', 200, { needsAdmin: true }), json('/api/collections', 401, { error: 'unauthorized' })],
    });
    expect(o.status).toBe('exposed');
    expect(o.unclaimed).toBe('set-up wizard: no administrator yet');
    expect(o.assessment?.severity).toBe('critical');
    expect(o.assessment?.reason).toMatch(/unclaimed/);
    expect(o.data).toBeUndefined(); // the listing answered 401: nothing measured
  });

  it('secured but leaking: auth-required, with the public route listed', async () => {
    const { o } = await observe(signatureProbe(sig), {
      expect: 'auth-required',
      replies: [status, json('/api/setup', 200, { needsAdmin: false }), json('/api/collections', 401, { error: 'unauthorized' })],
    });
    expect(o.status).toBe('auth-required');
    expect(o.leaks).toEqual([{ request: 'GET /api/status', shows: 'version and node name' }]);
    expect(o.advisories?.map((a) => a.id)).toEqual(['CVE-2099-0001']);
    expect(o.assessment).toBeUndefined();
  });

  it('assess() sets the typed severity and reason', async () => {
    const rce = defineSignature({
      ...base,
      id: 'example-rce',
      assess: (_r, data) => ({ severity: 'critical', reason: `remote code execution (${data.items.length} collections)` }),
    });
    const { o } = await observe(signatureProbe(rce), {
      expect: 'exposed',
      replies: [json('/api/collections', 200, { collections: [{ name: 'a' }] })],
    });
    expect(o.assessment).toMatchObject({ severity: 'critical', reason: 'remote code execution (1 collections)', exposure: base.exposure });
  });

  it('compares versions dot by dot', () => {
    expect(compareVersions('1.9.3', '1.10.0')).toBe(-1);
    expect(compareVersions('v2.0', '2.0.0')).toBe(0);
    expect(compareVersions('3.3.3', '3.3.2')).toBe(1);
    expect(advisoriesFor(sig, 'unknown')).toEqual([]);
    expect(advisoriesFor(sig, '1.1.0').length).toBe(2);
  });
});

describe('default credentials: only when the run opts in', () => {
  const secured: RepliesCase = { expect: 'auth-required', replies: [json('/api/collections', 401, { error: 'unauthorized' })] };
  const check = (m: string, url: string, auth: string | undefined) => {
    void m;
    if (url === '/api/collections' && auth === `Basic ${Buffer.from('admin:admin').toString('base64')}`)
      return json(url, 200, { collections: [] });
    return json(url, 401, { error: 'unauthorized' });
  };

  it('not tried by default', async () => {
    const { o, s } = await observe(signatureProbe(sig), secured);
    expect(o.defaultCredential).toBeUndefined();
    expect(s.requests.filter((r) => r === 'GET /api/collections')).toHaveLength(1);
  });

  it('tried with tryDefaultCredentials: the documented default is reported', async () => {
    const http = await import('node:http');
    const server = http.createServer((req, res) => {
      const r = check(req.method ?? 'GET', req.url ?? '/', req.headers.authorization);
      res.writeHead(r.status, r.headers);
      res.end(JSON.stringify(r.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.132', resolve));
    const opted: Probe = defineProbe({
      meta: { ...signatureProbe(sig).meta },
      run: (t, ctx) => runCatalog([sig], t, { ...ctx, tryDefaultCredentials: true }),
    });
    try {
      const { observation: o } = await harness.probe(opted.meta.service, '127.0.0.132', (server.address() as { port: number }).port, {
        probes: [opted],
      });
      expect(o.status).toBe('auth-required');
      expect(o.defaultCredential).toEqual({ user: 'admin', source: 'https://example.org/docs/default-login' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('forbidden routes', () => {
  it.each([
    ['POST', '/api/generate'],
    ['POST', '/api/chat'],
    ['POST', '/api/embed'],
    ['POST', '/v1/chat/completions'],
    ['POST', '/v1/completions'],
    ['POST', '/v1/embeddings'],
    ['POST', '/v1/responses'],
    ['POST', '/generate_stream'],
    ['POST', '/v2/models/resnet/infer'],
    ['POST', '/v2/models/resnet/versions/1/infer'],
    ['POST', '/api/pull'],
    ['DELETE', '/api/delete'],
    ['POST', '/api/jobs/'],
    ['GET', '/health'],
    ['POST', '/prompt'],
    ['PUT', '/anything'],
    ['PATCH', '/anything'],
    ['GET', '/actuator/heapdump'],
  ])('%s %s is forbidden', (method, path) => {
    expect(forbiddenReason(method, path)).toBeDefined();
  });

  it.each([
    ['GET', '/api/tags'],
    ['GET', '/v1/models'],
    ['GET', '/api/jobs/'],
    ['GET', '/api/v1/health'],
    ['GET', '/v2/models/resnet'],
  ])('%s %s is allowed', (method, path) => {
    expect(forbiddenReason(method, path)).toBeUndefined();
  });

  it.each([
    [
      'a forbidden request',
      {
        requests: [
          {
            id: 'status',
            method: 'POST' as const,
            path: '/api/generate',
            body: '{}',
            justification: 'this would run inference, and is refused',
          },
        ],
      },
    ],
    [
      'a forbidden measurement',
      {
        measure: [
          {
            id: 'm',
            kind: 'model' as const,
            request: { method: 'POST' as const, path: '/v1/embeddings', justification: 'embedding costs compute: refused here' },
            list: '',
          },
        ],
      },
    ],
    [
      'a forbidden each path',
      {
        measure: [
          {
            id: 'm',
            kind: 'model' as const,
            request: { method: 'GET' as const, path: '/api/tags' },
            list: 'models',
            each: { path: '/api/generate?model={name}' },
          },
        ],
      },
    ],
  ])('defineSignature rejects %s', (_what, patch) => {
    expect(() => defineSignature({ ...base, ...(patch as Partial<Signature>) })).toThrow(/forbidden/);
  });

  it('an each path built from a server-chosen name is checked before it is sent', async () => {
    const tags = defineSignature({
      ...base,
      id: 'example-tags',
      measure: [
        {
          id: 'm',
          kind: 'model',
          request: { method: 'GET', path: '/api/collections' },
          list: 'collections',
          name: 'name',
          each: { path: '/{name}' },
        },
      ],
    });
    // The server names an item `health`: /{name} would be GET /health (LiteLLM's costly health check). Never sent.
    const { s } = await observe(signatureProbe(tags), {
      expect: 'exposed',
      replies: [json('/api/collections', 200, { collections: [{ name: 'health' }, { name: 'prompt' }, { name: 'ok' }] })],
    });
    expect(s.requests).toContain('GET /ok');
    expect(s.requests).not.toContain('GET /health');
    expect(s.requests).not.toContain('GET /prompt');
    for (const r of s.requests) expect(forbiddenReason(r.split(' ')[0]!, r.split(' ')[1]!)).toBeUndefined();
  });

  it('json-path: own properties only, arrays by index, `.*` keys, `|` alternatives', () => {
    expect(jsonLookup({ a: [{ b: 1 }] }, 'a.0.b')).toEqual({ found: true, value: 1 });
    expect(jsonLookup({}, '__proto__').found).toBe(false);
    expect(jsonLookup({ a: 1 }, 'constructor').found).toBe(false);
    expect(jsonElements({ m: { x: 1, y: 2 } }, 'm.*')?.map((e) => e.name)).toEqual(['x', 'y']);
    expect(jsonElements(['a'], '')).toEqual([{ value: 'a' }]);
    expect(jsonCount({ b: '12' }, 'a|b')).toBe(12);
    expect(jsonCount({ a: -1 }, 'a')).toBeUndefined();
  });
});
