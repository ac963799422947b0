import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongodbProbe from '../../../probes/mongodb.js';
import { encodeOpMsg } from '../../../src/protocols/mongodb.js';
import { startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';
import { startMongoReplay, type MongoReplay } from '../../support/mongodb-replay.js';
import { createHarness } from '../../support/probe-harness.js';

// Replayed MongoDB 7.0/8.0 (no Debian package) on 127.0.1.41–43; wrong services and misbehaving peers on 127.0.1.44–49.
const harness = createHarness({ probes: [mongodbProbe] });
const replays: Record<string, MongoReplay> = {};
const fakes: Record<string, FakeServer> = {};
let redis: ServerInstance | undefined;
let closed = 0;

beforeAll(async () => {
  replays.open7 = await startMongoReplay('127.0.1.41', 'open-7.0');
  replays.open44 = await startMongoReplay('127.0.1.40', 'open-4.4.0');
  replays.open8 = await startMongoReplay('127.0.1.42', 'open-8.0');
  replays.auth = await startMongoReplay('127.0.1.43', 'auth-8.0');
  replays.stall = await startMongoReplay('127.0.1.50', 'stall-8.0');
  fakes.http = await startHttp('127.0.1.44', (_req, res) => res.end('<html>hello</html>'));
  fakes.garbage = await startRaw('127.0.1.45', { kind: 'reply', data: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]) });
  // A valid-looking header announcing 16 MiB, then an endless body: stops at the byte cap.
  fakes.oversized = await startRaw('127.0.1.46', {
    kind: 'endless',
    prefix: Buffer.from('00000001000000000100000000dd070000', 'hex').subarray(0, 16),
    chunk: 'A'.repeat(16 * 1024),
  });
  fakes.silent = await startRaw('127.0.1.47', { kind: 'silent' });
  // A MongoDB 3.4-era peer that answers OP_REPLY (opCode 1): not OP_MSG.
  fakes.opReply = await startRaw('127.0.1.48', {
    kind: 'reply',
    data: Buffer.from('2400000001000000010000000100000000000000000000000000000000000000000000', 'hex'),
  });
  redis = await startServer({ kind: 'redis', variant: 'open', host: '127.0.1.49' });
  closed = await closedPort('127.0.1.44');
}, 60_000);

afterAll(async () => {
  await harness.close();
  await Promise.all([...Object.values(replays), ...Object.values(fakes)].map((f) => f.close()));
  await stopAll();
});

describe('mongodb probe against replayed MongoDB 7.0 / 8.0', () => {
  it.each([
    ['7.0', 'open7', 21],
    ['8.0', 'open8', 25],
  ] as const)('open %s: exposed, with version, databases, sizes, collections and document counts', async (v, key, wire) => {
    const r = replays[key]!;
    const { observation: o } = await harness.probe('mongodb', r.host, r.port);
    expect(o.status).toBe('exposed');
    expect(o.evidence.product).toBe('MongoDB');
    expect(o.evidence.version).toMatch(new RegExp(`^${v.replace('.', '\\.')}\\.\\d+$`));
    expect(o.evidence.proof).toBe('listDatabases');
    expect(o.facts).toMatchObject({ maxWireVersion: wire });
    const items = o.data!.items;
    expect(items).toEqual(
      expect.arrayContaining([
        { kind: 'database', name: 'shop', bytes: 180224 },
        { kind: 'collection', name: 'shop.customers', rows: 3 },
        { kind: 'collection', name: 'shop.orders', rows: 50 },
      ]),
    );
    expect(o.data!.totals).toMatchObject({ databases: 4, bytes: 405504 });
    // Only OP_MSG, never OP_QUERY; local and config are not listed; system collections are not counted.
    expect(r.refused).toEqual([]);
    const names = r.commands.map((c) => `${Object.keys(c)[0]}:${String(c.$db)}`);
    expect(names.slice(0, 3)).toEqual(['hello:admin', 'buildInfo:admin', 'listDatabases:admin']);
    expect(names).not.toContain('listCollections:local');
    expect(names).not.toContain('listCollections:config');
    expect(r.commands.filter((c) => 'count' in c).map((c) => c.count)).toEqual(['customers', 'orders']);
    expect(r.commands.some((c) => 'find' in c)).toBe(false);
    r.commands.length = 0;
  });

  it('MongoDB 4.4.0 (before hello): CommandNotFound, then isMaster identifies it; listDatabases still decides', async () => {
    const r = replays.open44!;
    const { observation: o } = await harness.probe('mongodb', r.host, r.port);
    expect(o.status).toBe('exposed');
    expect(o.evidence.version).toBe('4.4.0');
    expect(o.facts).toMatchObject({ maxWireVersion: 9 });
    expect(r.commands.map((c) => Object.keys(c)[0]).slice(0, 4)).toEqual(['hello', 'isMaster', 'buildInfo', 'listDatabases']);
  });

  it('--sample 2: find with a limit on the sensitive-looking collection only; secrets counted', async () => {
    const r = replays.open8!;
    const { observation: o } = await harness.probe('mongodb', r.host, r.port, { sampleRows: 2 });
    expect(o.data!.sample?.sources).toEqual(['shop.customers']);
    expect(o.data!.sample?.rows).toBe(2);
    expect(o.data!.sample!.secrets.map((s) => s.pattern)).toEqual(expect.arrayContaining(['stripe-key', 'email']));
    const finds = r.commands.filter((c) => 'find' in c);
    expect(finds).toHaveLength(1);
    expect(finds[0]).toMatchObject({ find: 'customers', limit: 2, singleBatch: true, $db: 'shop' });
    r.commands.length = 0;
  });

  it('auth enabled: hello answers (public by design, proves nothing), listDatabases code 13 → auth-required', async () => {
    const r = replays.auth!;
    const { observation: o } = await harness.probe('mongodb', r.host, r.port);
    expect(o.status).toBe('auth-required');
    expect(o.evidence.reply).toBe('ok:0 code:13 Unauthorized: command listDatabases requires authentication');
    expect(o.evidence.version).toBe('8.0.4');
    expect(r.commands.map((c) => Object.keys(c)[0])).toEqual(['hello', 'buildInfo', 'listDatabases']);
    expect(o.data).toBeUndefined();
  });

  it('a server that stalls after listDatabases: still exposed (proven), listing marked truncated with the reason', async () => {
    const r = replays.stall!;
    const { observation: o } = await harness.probe('mongodb', r.host, r.port, { timeoutMs: 800 });
    expect(o.status).toBe('exposed');
    expect(o.data?.truncated).toBe(true);
    expect(o.data?.totals.databases).toBe(4);
    expect(o.evidence.notes?.join(' ')).toMatch(/admin: listing cut short \(EA_TIMEOUT/);
  });

  it('declares exactly the bytes of the fixed commands', () => {
    expect(mongodbProbe.meta.sends[0]!.request).toBe('OP_MSG {"hello":1,"$db":"admin"}');
    // The research note's hand-checked bytes for {hello:1,$db:"admin"} (shared/reference/datastores.md).
    expect(encodeOpMsg(1, { hello: 1, $db: 'admin' }).subarray(16).toString('hex')).toBe(
      '00000000001f0000001068656c6c6f000100000002246462000600000061646d696e0000',
    );
  });
});

describe('mongodb probe: wrong service and misbehaving peers', () => {
  it('real Redis on the port: it waits for a newline that OP_MSG never sends → timeout, never a verdict', async () => {
    const { observation: o } = await harness.probe('mongodb', redis!.host, redis!.ports.redis!, { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(o.evidence.product).toBeUndefined();
  });

  it.each([
    ['an HTTP server', 'http'],
    ['garbage bytes', 'garbage'],
    ['a legacy OP_REPLY', 'opReply'],
  ] as const)('%s → not-detected', async (_n, key) => {
    const f = fakes[key]!;
    const { observation: o } = await harness.probe('mongodb', f.host, f.port);
    expect(o.status).toBe('not-detected');
  });

  it('oversized reply: stops at the byte cap, never exposed', async () => {
    const f = fakes.oversized!;
    const { observation: o } = await harness.probe('mongodb', f.host, f.port, { maxBytes: 32 * 1024 });
    expect(['error', 'not-detected']).toContain(o.status);
  });

  it('silent server: timeout', async () => {
    const f = fakes.silent!;
    const { observation: o, ms } = await harness.probe('mongodb', f.host, f.port, { timeoutMs: 600 });
    expect(o.status).toBe('timeout');
    expect(ms).toBeLessThan(2100);
  });

  it('closed port: closed', async () => {
    const { observation: o } = await harness.probe('mongodb', '127.0.1.44', closed);
    expect(o.status).toBe('closed');
  });
});
