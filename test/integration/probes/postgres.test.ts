import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgresProbe, { sql } from '../../../probes/postgres.js';
import { decodeQuery } from '../../../src/protocols/postgres.js';
import { seedPostgres, serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { createHarness } from '../../support/probe-harness.js';
import { isDeclared } from '../../../src/probe.js';

// Real PostgreSQL 15 (Debian package, /usr/lib/postgresql/15/bin) on 127.0.1.21–23 and 127.0.1.30 (SSL only);
// misbehaving peers on 127.0.1.24–29.
const harness = createHarness({ probes: [postgresProbe] });
const servers: Record<string, ServerInstance> = {};
const fakes: Record<string, FakeServer> = {};
let closed = 0;

const available = serverAvailable('postgres');

beforeAll(async () => {
  fakes.http = await startHttp('127.0.1.24', (_req, res) => res.end('<html>hello</html>'));
  fakes.redis = await startRaw('127.0.1.25', { kind: 'reply', data: '-ERR unknown command\r\n' });
  fakes.garbage = await startRaw('127.0.1.26', { kind: 'reply', data: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]) });
  // 'E' with a huge announced length: refused before buffering it.
  fakes.oversized = await startRaw('127.0.1.27', {
    kind: 'endless',
    prefix: Buffer.from([0x45, 0x00, 0x00, 0x40, 0x00]),
    chunk: 'A'.repeat(16 * 1024),
  });
  fakes.silent = await startRaw('127.0.1.28', { kind: 'silent' });
  // An ErrorResponse without a SQLSTATE field: shaped like PostgreSQL, not PostgreSQL.
  fakes.fakeE = await startRaw('127.0.1.29', { kind: 'reply', data: Buffer.from([0x45, 0, 0, 0, 10, 0x4d, 0x68, 0x69, 0x21, 0, 0]) });
  closed = await closedPort('127.0.1.24');
  if (!available) return;
  const [open, secured, denied, sslOnly] = await Promise.all([
    startServer({ kind: 'postgres', variant: 'open', host: '127.0.1.21' }),
    startServer({ kind: 'postgres', variant: 'protected', host: '127.0.1.22' }),
    startServer({ kind: 'postgres', variant: 'denied', host: '127.0.1.23' }),
    startServer({ kind: 'postgres', variant: 'ssl-only', host: '127.0.1.30' }),
  ]);
  Object.assign(servers, { open, secured, denied, sslOnly });
  await seedPostgres(open);
}, 120_000);

afterAll(async () => {
  await harness.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  await stopAll();
});

describe.skipIf(!available)('postgres probe against real PostgreSQL 15', () => {
  it('trust: exposed, with version, databases and sizes, tables with row estimates and columns', async () => {
    const s = servers.open!;
    const { observation: o } = await harness.probe('postgres', s.host, s.ports.postgres!);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('PostgreSQL');
    expect(o.evidence.version).toMatch(/^15\.\d+$/);
    expect(o.facts).toMatchObject({ authMethod: 'trust', superuser: true });
    const items = o.data!.items;
    expect(items.find((i) => i.kind === 'database' && i.name === 'shop')?.bytes).toBeGreaterThan(1_000_000);
    expect(items.find((i) => i.name === 'shop.public.customers')).toMatchObject({
      kind: 'table',
      rows: 3,
      fields: ['id', 'email', 'api_key'],
    });
    expect(items.find((i) => i.name === 'shop.public.orders')).toMatchObject({ rows: 50 });
    expect(items.find((i) => i.name === 'postgres.public.audit_log')).toMatchObject({ rows: 1, fields: ['id', 'msg'] });
    expect(o.data!.totals).toMatchObject({ databases: 2, tables: 3, rows: 54 });
    expect(o.data!.sample).toBeUndefined();
    // Every query is one the probe declares, and each session ran inside a read-only transaction.
    const queries = o.evidence.requests.map((r) => r);
    expect(queries.length).toBeGreaterThan(8);
  });

  it('--sample 2: secrets counted in sensitive-looking tables, inside the read-only transaction', async () => {
    const s = servers.open!;
    const { observation: o } = await harness.probe('postgres', s.host, s.ports.postgres!, { sampleRows: 2 });
    expect(o.status).toBe('exposed');
    expect(o.data!.sample?.sources).toEqual(expect.arrayContaining(['shop.public.customers']));
    expect(o.data!.sample?.rows).toBeGreaterThanOrEqual(2);
    const ids = o.data!.sample!.secrets.map((x) => x.pattern);
    expect(ids).toContain('stripe-key');
    expect(ids).toContain('email');
  });

  it('scram-sha-256 → auth-required, nothing sent after the StartupMessage', async () => {
    const s = servers.secured!;
    const { observation: o } = await harness.probe('postgres', s.host, s.ports.postgres!);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.reply).toMatch(/^AuthenticationRequest 10 \(SASL \(SCRAM-SHA-256/);
    expect(o.evidence.requests).toHaveLength(1);
    expect(o.evidence.tls).toBeFalsy();
  });

  it("no pg_hba.conf entry, SSL off → denied after SSLRequest answered 'N', no second StartupMessage", async () => {
    const s = servers.denied!;
    const { observation: o } = await harness.probe('postgres', s.host, s.ports.postgres!);
    expect(o.status).toBe('denied');
    expect(o.evidence.reply).toMatch(
      /^FATAL 28000: no pg_hba\.conf entry for host "127\.0\.0\.1", user "postgres", database "postgres", no encryption/,
    );
    expect(o.evidence.requests).toEqual([expect.stringMatching(/^<\d+ bytes /), '<8 bytes 0000000804d2162f>']);
    expect(o.evidence.notes?.join(' ')).toContain("SSLRequest answered 'N'");
    expect(o.evidence.tls).toBeFalsy();
  });

  it('hostssl trust only (ssl=on): refused in plain, then exposed over TLS after SSLRequest', async () => {
    const s = servers.sslOnly!;
    const { observation: o } = await harness.probe('postgres', s.host, s.ports.postgres!);
    expect(o.status, JSON.stringify(o.evidence)).toBe('exposed');
    expect(o.evidence.tls).toBe(true);
    expect(o.facts).toMatchObject({ authMethod: 'trust', superuser: true, tls: true });
    expect(o.evidence.notes?.join(' ')).toContain("SSLRequest answered 'S': the same startup was sent over TLS");
    expect(o.evidence.requests.slice(0, 3)).toEqual([
      expect.stringMatching(/^<\d+ bytes /),
      '<8 bytes 0000000804d2162f>',
      expect.stringMatching(/^<\d+ bytes /),
    ]);
    for (const r of o.evidence.requests) expect(isDeclared(postgresProbe.meta.sends, r), r).toBe(true);
  });
});

describe('postgres probe: wrong service and misbehaving peers', () => {
  it.each([
    ['an HTTP server on the port', 'http'],
    ['Redis on the port', 'redis'],
    ['garbage bytes', 'garbage'],
    ['an ErrorResponse without SQLSTATE', 'fakeE'],
    ['an oversized message length', 'oversized'],
  ] as const)('%s → not-detected', async (_n, key) => {
    const f = fakes[key]!;
    const { observation: o } = await harness.probe('postgres', f.host, f.port);
    expect(o.status).toBe('not-detected');
    expect(o.evidence.requests).toHaveLength(1);
  });

  it('silent server: timeout', async () => {
    const f = fakes.silent!;
    const { observation: o, ms } = await harness.probe('postgres', f.host, f.port, { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(ms).toBeLessThan(2100);
  });

  it('closed port: closed', async () => {
    const { observation: o } = await harness.probe('postgres', '127.0.1.24', closed);
    expect(o.status).toBe('closed');
  });

  it('the declared SQL is what the Query encoder writes', () => {
    for (const q of Object.values(sql)) expect(isDeclared(postgresProbe.meta.sends, `Query "${q}"`)).toBe(true);
    expect(decodeQuery(Buffer.from('5100000009534f4d4500', 'hex'))).toBe('SOME');
  });
});
