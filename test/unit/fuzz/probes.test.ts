import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditDefaults } from '../../../src/engine/audit.js';
import { runProbeOnce } from '../../../src/engine/run-probe.js';
import { EaError, errorCodes, type ErrorCode } from '../../../src/errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../src/net/http.js';
import type { Limits } from '../../../src/net/limits.js';
import type { Framer } from '../../../src/net/tcp.js';
import type { Probe, ProbeContext, ProbeResult } from '../../../src/probe.js';
import type { RespValue } from '../../../src/protocols/resp.js';
import { probes } from '../../../src/cli/registry.js';
import { statuses, type ProbeTarget } from '../../../src/types.js';
import { samplesFor } from '../../support/hostile-samples.js';
import { loadProbeReplies } from '../../support/probe-tester.js';
import * as myp from '../../../src/protocols/mysql.js';
import * as pgp from '../../../src/protocols/postgres.js';
import { bson as _bson, long, opMsg, type W } from '../../support/mongodb-replay.js';
import { encodeResp, encodeServerPacket, expectCleanPrototype, perInputMs, runs } from '../../support/fuzz.js';
import { describeWrite, isDeclared as isDeclaredSend } from '../../../src/probe.js';

/**
 * Every registered probe's decision logic, fed arbitrary replies without a network: HTTP probes through the
 * engine's own runProbeOnce with a scripted HttpClient, TCP probes through a scripted session that frames like
 * tcp.ts. Whatever the peer answers, a probe must return a known status (or let a network EaError through), never
 * crash (EA_PROBE_CRASH = a TypeError inside the probe), send only what meta.sends declares, and stay fast.
 */

const target: ProbeTarget = { host: '127.0.0.150', port: 1, tls: false };

/** meta.sends through the probe API's one matcher; no opt-in flag is set here, so opt-in sends are not allowed. */
function isDeclared(probe: Probe, request: string): boolean {
  return isDeclaredSend(probe.meta.sends, request, {});
}

// ---- HTTP replies ----

const s = (max = 30) => fc.string({ maxLength: max });
const hostileName = fc.constantFrom(
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '../../..',
  '%2e%2e',
  '<script>',
  '\u0000',
  '𝒳',
);
const word = fc.oneof(s(), hostileName);
const versionStr = fc.oneof(
  fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map((v) => v.join('.')),
  fc.constantFrom('18.16.1', '23.8.1.2992', '8.13.0', '7.17.0', '2.11.0', '6.8.23', '1.0', ''),
);
const json = (v: fc.Arbitrary<unknown>) => v.map((x) => JSON.stringify(x));
const body = fc.oneof(
  s(200),
  fc.string({ maxLength: 200, unit: 'binary' }),
  versionStr.map((v) => `${v}\n`),
  fc
    .tuple(fc.constantFrom(194, 192, 193, 195, 497, 516, 60, 81, 164, 0), word, fc.boolean())
    .map(([c, m, old]) =>
      old
        ? `Code: ${c}, e.displayText() = DB::Exception: ${m}, e.what() = DB::Exception\n`
        : `Code: ${c}. DB::Exception: ${m}. (ACCESS_DENIED)\n`,
    ),
  fc
    .array(fc.tuple(word, word, word, fc.oneof(fc.nat().map(String), word)), { maxLength: 12 })
    .map((rows) => rows.map((r) => r.join('\t')).join('\n') + '\n'),
  json(fc.jsonValue({ maxDepth: 3 })),
  json(
    fc.record(
      {
        name: word,
        cluster_name: word,
        cluster_uuid: word,
        version: fc.record(
          { number: versionStr, distribution: fc.constantFrom('opensearch', 'elasticsearch', 'x'), build_flavor: word },
          { requiredKeys: [] },
        ),
        tagline: fc.constantFrom('You Know, for Search', 'The OpenSearch Project: https://opensearch.org/', 'x'),
      },
      { requiredKeys: [] },
    ),
  ),
  json(
    fc.array(
      fc.record(
        {
          index: word,
          health: word,
          status: fc.constantFrom('open', 'close', 'x'),
          'docs.count': fc.oneof(fc.nat().map(String), word, fc.nat()),
          'store.size': fc.oneof(fc.nat().map(String), word, fc.constantFrom('5.2kb', '1.1gb', '-1')),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 30 },
    ),
  ),
  json(
    fc.record(
      {
        error: fc.oneof(
          word,
          fc.record(
            {
              type: fc.constantFrom('security_exception', 'index_not_found_exception', 'x'),
              reason: fc.oneof(
                word,
                fc.constantFrom(
                  'missing authentication credentials',
                  'action [cluster:monitor/main] is unauthorized for user [_anonymous]',
                ),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        status: fc.constantFrom(401, 403, 404, 500, '401'),
      },
      { requiredKeys: [] },
    ),
  ),
  json(
    fc.record(
      {
        name: word,
        version: fc.oneof(versionStr, fc.record({ number: versionStr })),
        status: fc.record({ overall: fc.record({ level: word, state: word }, { requiredKeys: [] }) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  ),
  json(
    fc.record(
      { statusCode: fc.constantFrom(401, 403, 200), error: fc.constantFrom('Unauthorized', 'Forbidden'), message: word },
      { requiredKeys: [] },
    ),
  ),
  fc.constantFrom('<html><title>Login</title><input type="password"></html>', '<html>ok</html>', 'Ok.\n', '{}', '[]', 'null', ''),
);
const headerName = fc.constantFrom(
  'content-type',
  'x-clickhouse-exception-code',
  'x-clickhouse-server-display-name',
  'x-clickhouse-summary',
  'www-authenticate',
  'location',
  'kbn-name',
  'x-elastic-product',
  'warning',
  'server',
  'x-console-proxy-status-code',
  'set-cookie',
  'x-powered-by',
  '__proto__',
  'constructor',
);
const headerValue = fc.oneof(
  s(40),
  fc.constantFrom(
    '516',
    '194',
    '497',
    ' 60 ',
    'Basic realm="security"',
    '/login?next=%2F',
    '/app/login',
    'http://127.0.0.199:1/',
    '//127.0.0.199/x',
    'Elasticsearch',
    'application/json',
    'text/html',
    'kibana',
  ),
);
type Scripted =
  { kind: 'reply'; status: number; headers: Record<string, string>; body: string; truncated: boolean } | { kind: 'fail'; code: ErrorCode };
const reply: fc.Arbitrary<Scripted> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('reply' as const),
      status: fc.oneof(fc.constantFrom(200, 200, 200, 301, 302, 307, 401, 403, 404, 500, 503), fc.integer({ min: 100, max: 599 })),
      headers: fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
      body,
      truncated: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('fail' as const),
      code: fc.constantFrom<ErrorCode>('EA_TIMEOUT', 'EA_RESET', 'EA_CLOSED', 'EA_TOO_LARGE', 'EA_PROTOCOL', 'EA_TLS', 'EA_REFUSED'),
    }),
  },
);

/** A stand-in for HttpClient.request: answers from the script (cycling), with the same cap and redirect logic. */
function scriptedClient(script: Scripted[], log: string[]): HttpClient {
  let i = 0;
  const client = {
    async request(t: ProbeTarget, req: HttpRequest, limits: Limits): Promise<HttpResponse> {
      if (!req.path.startsWith('/')) throw new EaError('EA_SCOPE', `refusing ${req.path}`);
      log.push(`${req.method ?? 'GET'} ${req.path}`);
      const r = script[i++ % script.length]!;
      await Promise.resolve();
      if (r.kind === 'fail') throw new EaError(r.code, `scripted ${r.code}`, { phase: 'read' });
      const cap = Math.min(req.maxBytes ?? limits.maxBytes, limits.maxBytes);
      const full = Buffer.from(r.body, 'utf8');
      const b = full.subarray(0, cap);
      const out: HttpResponse = {
        status: r.status,
        headers: { ...r.headers },
        body: b,
        text: b.toString('utf8'),
        truncated: r.truncated || full.length > cap,
        tls: t.tls,
        request: `${req.method ?? 'GET'} http://${t.host}:${t.port}${req.path}`,
      };
      const location = r.headers.location;
      if (r.status >= 300 && r.status < 400 && location) {
        let sameOrigin = false;
        try {
          sameOrigin = new URL(location, `http://${t.host}:${t.port}${req.path}`).origin === `http://${t.host}:${t.port}`;
        } catch {
          sameOrigin = false;
        }
        out.redirect = { location, sameOrigin };
      }
      return out;
    },
    async close() {},
  };
  return client as unknown as HttpClient;
}

const httpProbes = probes.filter((p) => p.meta.transport === 'http');
const tcpProbes = probes.filter((p) => p.meta.transport === 'tcp');

describe.each(httpProbes.map((p) => [p.meta.id, p] as const))('HTTP probe %s on arbitrary replies (fast-check)', (_id, probe) => {
  it('returns a known status, never crashes, sends only declared requests, and is fast', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(reply, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(64 * 1024, 1024 * 1024),
        async (script, maxBytes) => {
          const log: string[] = [];
          const t0 = performance.now();
          const obs = await runProbeOnce(probe, target, {
            timeoutMs: 5_000,
            connectTimeoutMs: 1_000,
            maxBytes,
            caps: auditDefaults.caps,
            signal: new AbortController().signal,
            http: scriptedClient(script, log),
          });
          const ms = performance.now() - t0;
          expect(ms).toBeLessThan(perInputMs * 4);
          expect(statuses).toContain(obs.status);
          seen.set(obs.status, (seen.get(obs.status) ?? 0) + 1);
          // A scripted network failure may surface as its own code; a crash inside the probe may not.
          if (obs.error) {
            expect(obs.error.code).not.toBe('EA_PROBE_CRASH');
            expect(Object.keys(errorCodes)).toContain(obs.error.code);
          }
          expect(obs.evidence.requests).toEqual(log);
          for (const r of log) expect(isDeclared(probe, r), `${r} is not in meta.sends`).toBe(true);
          expectCleanPrototype();
        },
      ),
      { numRuns: runs(probe.meta.sends.length > 20 ? 150 : 500) },
    );
    // The replies reach past the first branch: more than one verdict comes out.
    expect(seen.size, JSON.stringify([...seen])).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

// ---- TCP replies ----

/** A session that frames a scripted byte stream exactly like tcp.ts (framer errors → EA_PROTOCOL, end → EA_CLOSED). */
function scriptedTcpCtx(chunks: Buffer[], writes: Buffer[]): ProbeContext {
  const limits: Limits = {
    deadline: Date.now() + 5_000,
    connectTimeoutMs: 1_000,
    maxBytes: 1024 * 1024,
    signal: new AbortController().signal,
  };
  return {
    limits,
    caps: auditDefaults.caps,
    sample: { rows: 0, sources: 10 },
    async http() {
      throw new EaError('EA_PROBE_CRASH', 'a TCP probe asked for HTTP');
    },
    async tcp() {
      let buffered = Buffer.alloc(0);
      let next = 0;
      let total = 0;
      return {
        tls: false,
        get bytesRead() {
          return total;
        },
        async write(data: string | Buffer) {
          writes.push(Buffer.from(data));
        },
        async startTls() {
          throw new EaError('EA_TLS', 'the fuzz session has no TLS');
        },
        async read(frame: Framer) {
          for (let guard = 0; guard < 10_000; guard++) {
            let n: number | undefined;
            try {
              n = frame(buffered);
            } catch (err) {
              throw new EaError('EA_PROTOCOL', `unparseable reply: ${(err as Error).message}`, { partial: Buffer.from(buffered) });
            }
            if (n !== undefined) {
              const msg = Buffer.from(buffered.subarray(0, n));
              buffered = buffered.subarray(n);
              return msg;
            }
            if (next >= chunks.length)
              throw new EaError('EA_CLOSED', 'the peer closed the connection before a complete reply', {
                phase: 'read',
                partial: Buffer.from(buffered),
              });
            const c = chunks[next++]!;
            total += c.length;
            buffered = Buffer.concat([buffered, c]);
          }
          throw new Error('scripted session: too many chunks');
        },
        close() {},
      };
    },
  };
}

/**
 * Binary writes named the way meta.sends names them, so they can be matched against its `<placeholder>` templates:
 * each probe's replies file's `describe` (probes/<id>.replies.ts), one home for how a probe's requests read.
 * PostgreSQL's StartupMessage is named here with `<db>` for the database: any name the peer listed (PostgreSQL
 * allows spaces) stands for the template's placeholder.
 */
const describeBinary: Record<string, (b: Buffer) => string | undefined> = {
  ...Object.fromEntries((await loadProbeReplies()).flatMap((r) => (r.describe ? [[r.probe, r.describe]] : []))),
  postgres: (b) => {
    const q = pgp.decodeQuery(b);
    if (q !== undefined) return `Query "${q}"`;
    const s = pgp.decodeStartup(b);
    return s ? `StartupMessage user=${s.user} database=${s.database ? '<db>' : ''} application_name=${s.application_name}` : undefined;
  },
};

/** What the engine records for a write (run-probe.ts describeWrite), checked against meta.sends. */
function writeDeclared(probe: Probe, data: Buffer): boolean {
  const named = describeBinary[probe.meta.id]?.(data);
  return (named !== undefined && isDeclared(probe, named)) || isDeclared(probe, describeWrite(data));
}

const line = fc.string({ maxLength: 30 }).map((x) => x.replace(/[\r\n]/g, ''));
const infoText = fc
  .array(
    fc.tuple(
      fc.constantFrom('Server', 'Keyspace', 'Memory', 'Replication', 'Clients', '__proto__', 'constructor'),
      fc.array(
        fc.tuple(
          fc.constantFrom('redis_version', 'redis_mode', 'role', 'used_memory', 'connected_clients', 'db0', 'db1', '__proto__', 'os', 'x'),
          fc.oneof(line, fc.constantFrom('7.0.15', 'sentinel', 'standalone', 'keys=3,expires=0,avg_ttl=0', 'keys=abc', '__proto__=1')),
        ),
        { maxLength: 6 },
      ),
    ),
    { maxLength: 5 },
  )
  .map((sections) => sections.map(([n, kv]) => [`# ${n}`, ...kv.map(([k, v]) => `${k}:${v}`)].join('\r\n')).join('\r\n\r\n'));
const respReply: fc.Arbitrary<RespValue> = fc.oneof(
  fc.constantFrom<RespValue>(
    { type: 'simple', value: 'PONG' },
    { type: 'error', value: 'NOAUTH Authentication required.' },
    { type: 'error', value: 'DENIED Redis is running in protected mode' },
    { type: 'error', value: "NOPERM this user has no permissions to run the 'info' command" },
    { type: 'error', value: 'WRONGPASS x' },
    { type: 'simple', value: 'OK' },
  ),
  line.map((value): RespValue => ({ type: 'simple', value })),
  line.map((value): RespValue => ({ type: 'error', value })),
  infoText.map((t): RespValue => ({ type: 'bulk', value: Buffer.from(t) })),
  fc.array(fc.oneof(line, fc.constantFrom('session:1', 'user:42', '__proto__', '')), { maxLength: 10 }).map((names): RespValue => ({
    type: 'array',
    value: [
      { type: 'bulk', value: Buffer.from('0') },
      { type: 'array', value: names.map((n) => ({ type: 'bulk', value: Buffer.from(n) })) },
    ],
  })),
  fc.integer().map((value): RespValue => ({ type: 'integer', value })),
  fc.constantFrom<RespValue>({ type: 'bulk', value: null }, { type: 'array', value: null }, { type: 'array', value: [] }),
);
const chText = fc.string({ maxLength: 40 });
const chPacket = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const),
    name: fc.oneof(fc.constant('ClickHouse'), chText),
    major: fc.nat(99),
    minor: fc.nat(99),
    revision: fc.oneof(fc.constantFrom(54449, 54412, 54057), fc.nat(60000)),
    timezone: chText,
    displayName: chText,
    patch: fc.nat(99),
  }),
  fc.record({
    type: fc.constant('exception' as const),
    code: fc.oneof(fc.constantFrom(192, 193, 194, 195, 516, 497, 60), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
    name: chText,
    message: chText,
    nested: fc.boolean(),
  }),
);
const streamFor: Record<string, fc.Arbitrary<Buffer>> = {
  redis: fc.array(respReply, { minLength: 1, maxLength: 5 }).map((vs) => Buffer.concat(vs.map(encodeResp))),
  'clickhouse-native': fc.tuple(chPacket, chText).map(([p, stack]) => encodeServerPacket(p, stack)),
  zookeeper: fc
    .oneof(
      fc
        .tuple(
          fc.oneof(line, fc.constantFrom('3.8.0-${mvngit.commit.id}', '3.9.3', '__proto__')),
          fc.nat(),
          fc.constantFrom('standalone', 'leader', 'follower'),
        )
        .map(([v, n, mode]) => `Zookeeper version: ${v}, built on x\nZxid: 0x1\nMode: ${mode}\nNode count: ${n}\n`),
      fc.constantFrom(
        'srvr is not executed because it is not in the whitelist.\n',
        'mntr is not executed because it is not in the whitelist.\n',
        'zk_version\t3.9.3\nzk_znode_count\t7\n',
      ),
    )
    .map((t) => Buffer.from(t)),
};
// MongoDB: replies to requests 1..n, shaped like hello, buildInfo, listDatabases, listCollections, count, errors.
const dbName = fc.constantFrom('shop', 'admin', 'local', 'config', '__proto__', 'constructor', 'x.y', 'système');
const mongoBody: fc.Arbitrary<{ [k: string]: W }> = fc.oneof(
  fc.record(
    {
      isWritablePrimary: fc.boolean(),
      maxWireVersion: fc.oneof(fc.constantFrom(21, 25), fc.integer()),
      ok: fc.constantFrom<W>(1, 0, true, '1'),
    },
    { requiredKeys: ['ok'] },
  ),
  fc.record({ version: fc.oneof(fc.constantFrom('8.0.4', '7.0.14'), fc.string({ maxLength: 50 })), ok: fc.constant(1) }),
  fc.record(
    {
      databases: fc.array(
        fc.record(
          { name: fc.oneof(dbName, fc.integer()), sizeOnDisk: fc.oneof(fc.nat().map(long), fc.double(), fc.string()), empty: fc.boolean() },
          { requiredKeys: [] },
        ),
        { maxLength: 5 },
      ),
      totalSize: fc.nat().map(long),
      ok: fc.constant(1),
    },
    { requiredKeys: ['ok'] },
  ),
  fc.record(
    {
      cursor: fc.record(
        {
          id: fc.constantFrom(0, 5).map(long),
          firstBatch: fc.array(
            fc.record(
              {
                name: fc.oneof(fc.constantFrom('customers', 'system.views', 'sessions', '__proto__'), fc.integer()),
                type: fc.constantFrom('collection', 'view', 'timeseries'),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 5 },
          ),
        },
        { requiredKeys: [] },
      ),
      ok: fc.constant(1),
    },
    { requiredKeys: ['ok'] },
  ),
  fc.record({ n: fc.oneof(fc.nat(), fc.double(), fc.string({ maxLength: 4 })), ok: fc.constant(1) }),
  fc.record(
    {
      ok: fc.constant(0),
      code: fc.constantFrom(13, 18, 59, 8000),
      codeName: fc.constantFrom('Unauthorized', 'CommandNotFound'),
      errmsg: fc.string({ maxLength: 60 }),
    },
    { requiredKeys: ['ok'] },
  ),
);
void _bson;
const pgMsg = (type: string, body: Buffer) => {
  const h = Buffer.alloc(5);
  h.write(type, 0, 'latin1');
  h.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([h, body]);
};
const i32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const pgCell = fc.option(
  fc.oneof(
    fc.constantFrom('shop', 'postgres', 'public', 'customers', '-1', '123', '__proto__', 'x y', 'sk_live_0000000000000000aaaa'),
    fc.string({ maxLength: 10 }),
  ),
  { nil: null },
);
const pgRow = (cells: Array<string | null>) =>
  pgMsg(
    'D',
    Buffer.concat([
      Buffer.from([0, cells.length]),
      ...cells.map((c) => (c === null ? i32be(-1) : Buffer.concat([i32be(Buffer.byteLength(c)), Buffer.from(c)]))),
    ]),
  );
const pgReply = fc.oneof(
  fc
    .array(fc.array(pgCell, { minLength: 1, maxLength: 4 }), { maxLength: 5 })
    .map((rows) =>
      Buffer.concat([
        pgMsg('T', Buffer.from([0, 0])),
        ...rows.map(pgRow),
        pgMsg('C', Buffer.from('SELECT\0')),
        pgMsg('Z', Buffer.from('T')),
      ]),
    ),
  fc.constant(Buffer.concat([pgMsg('E', Buffer.from('SERROR\0C42501\0Mpermission denied\0\0')), pgMsg('Z', Buffer.from('E'))])),
  fc.constant(Buffer.concat([pgMsg('C', Buffer.from('BEGIN\0')), pgMsg('Z', Buffer.from('T'))])),
);
const pgStream = fc
  .tuple(
    fc.oneof(
      fc.constant(
        Buffer.concat([
          pgMsg('R', i32be(0)),
          pgMsg('S', Buffer.from('server_version\x0015.18\x00')),
          pgMsg('S', Buffer.from('is_superuser\x00on\x00')),
          pgMsg('Z', Buffer.from('I')),
        ]),
      ),
      fc.constantFrom(3, 5, 10, 7, 12).map((c) => pgMsg('R', Buffer.concat([i32be(c), Buffer.from(c === 10 ? 'SCRAM-SHA-256\0\0' : '')]))),
      fc.constantFrom('28000', '28P01', '3D000', 'xx', '').map((c) => pgMsg('E', Buffer.from(`SFATAL\0C${c}\0Mno pg_hba.conf entry\0\0`))),
      fc.constant(Buffer.concat([pgMsg('R', i32be(0)), pgMsg('E', Buffer.from('SFATAL\0C28000\0Mrole does not exist\0\0'))])),
    ),
    fc.array(pgReply, { maxLength: 8 }),
  )
  .map(([a, rest]) => Buffer.concat([a, ...rest]));
const myp4 = (seq: number, payload: Buffer) => myp.packet(seq, payload);
const lenenc = (s: string | null) =>
  s === null ? Buffer.from([0xfb]) : Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);
const myEof = (seq: number) => myp4(seq, Buffer.from([0xfe, 0, 0, 2, 0]));
const myResult = fc
  .integer({ min: 1, max: 5 })
  .chain((cols) =>
    fc
      .array(
        fc.array(
          fc.option(
            fc.oneof(fc.constantFrom('shop', 'customers', 'InnoDB', '3', '16384', 'api_key', '__proto__'), fc.string({ maxLength: 8 })),
            { nil: null },
          ),
          { minLength: cols, maxLength: cols },
        ),
        { maxLength: 5 },
      )
      .map((rows) =>
        Buffer.concat([
          myp4(1, Buffer.from([cols])),
          ...Array.from({ length: cols }, (_, c) => myp4(2 + c, lenenc(`c${c}`))),
          myEof(2 + cols),
          ...rows.map((r, i) => myp4(3 + cols + i, Buffer.concat(r.map(lenenc)))),
          myEof(3 + cols + rows.length),
        ]),
      ),
  );
const myGreeting = fc
  .constantFrom('5.5.5-10.11.19-MariaDB-0+deb12u1', '8.4.3', 'x', '')
  .map((v) =>
    myp4(
      0,
      Buffer.concat([
        Buffer.from([0x0a]),
        Buffer.from(`${v}\0`),
        Buffer.from([1, 0, 0, 0]),
        Buffer.from('abcdefgh'),
        Buffer.from([0]),
        Buffer.from([0xff, 0xf7]),
        Buffer.from([45]),
        Buffer.from([2, 0]),
        Buffer.from([0xff, 0x81]),
        Buffer.from([21]),
        Buffer.alloc(10),
        Buffer.from('ijklmnopqrst\0'),
        Buffer.from('caching_sha2_password\0'),
      ]),
    ),
  );
const myErr = (seq: number, code: number, text: string) =>
  myp4(seq, Buffer.concat([Buffer.from([0xff, code & 0xff, code >> 8]), Buffer.from(text)]));
const myLogin = fc.oneof(
  fc.constant(myp4(2, Buffer.from([0, 0, 0, 2, 0, 0, 0]))),
  fc.constant(myErr(2, 1045, "#28000Access denied for user 'root'@'127.0.0.1' (using password: NO)")),
  fc.constant(
    Buffer.concat([
      myp4(2, Buffer.concat([Buffer.from([0xfe]), Buffer.from('caching_sha2_password\0'), Buffer.alloc(20, 0x41), Buffer.from([0])])),
      myp4(4, Buffer.from([0, 0, 0, 2, 0, 0, 0])),
    ]),
  ),
  fc.constant(myp4(2, Buffer.from([0x01, 0x04]))),
);
const myStream = fc.oneof(
  fc
    .tuple(myGreeting, myLogin, fc.array(fc.oneof(myResult, fc.constant(myErr(1, 1142, '#42000SELECT command denied'))), { maxLength: 5 }))
    .map(([g, l, rs]) => Buffer.concat([g, l, ...rs])),
  fc.constantFrom(1130, 1129, 1040).map((c) => myErr(0, c, "Host '127.0.0.1' is not allowed to connect to this MariaDB server")),
);
const mcStream = fc
  .tuple(
    fc.constantFrom('VERSION 1.6.18\r\n', 'CLIENT_ERROR unauthenticated\r\n', 'ERROR\r\n', 'VERSION x y\r\n'),
    fc.array(
      fc.tuple(
        fc.constantFrom('pid', 'curr_items', 'bytes', 'uptime', '__proto__', 'items:1:number', 'items:x:number'),
        fc.oneof(fc.nat().map(String), fc.constantFrom('abc', '-1', '')),
      ),
      { maxLength: 8 },
    ),
    fc.array(fc.tuple(fc.nat(64), fc.nat()), { maxLength: 5 }),
  )
  .map(([v, stats, items]) =>
    Buffer.from(
      `${v}${stats.map(([k, x]) => `STAT ${k} ${x}\r\n`).join('')}END\r\n${items.map(([c, n]) => `STAT items:${c}:number ${n}\r\n`).join('')}END\r\n`,
    ),
  );
streamFor.mongodb = fc
  .array(mongoBody, { minLength: 1, maxLength: 8 })
  .map((bodies) => Buffer.concat(bodies.map((b, i) => opMsg(i + 1, b))));
streamFor.postgres = pgStream;
streamFor.mysql = myStream;
streamFor.memcached = mcStream;
// CONNACK with every return code (and reserved flags), then maybe a SUBACK and a $SYS PUBLISH.
streamFor.mqtt = fc
  .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.string({ maxLength: 40 }))
  .map(([rc, flags, more, version]) => {
    const topic = Buffer.from('$SYS/broker/version');
    const payload = Buffer.from(version);
    const publish = Buffer.concat([Buffer.from([0x30, 2 + topic.length + payload.length, 0, topic.length]), topic, payload]);
    return Buffer.concat([Buffer.from([0x20, 2, flags, rc]), ...(more ? [Buffer.from([0x90, 3, 0, 1, 0]), publish] : [])]);
  });
const anyStream = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));
/**
 * The probe's own recorded bytes (probes/<id>.replies.ts via the hostile samples): the exposed case's first reply and
 * the secured case's replies, cut and chunked like every other stream. Cassandra and Kafka have no generator of
 * their own: these are their protocol-shaped streams.
 */
function recorded(probe: Probe): fc.Arbitrary<Buffer> | undefined {
  const s = samplesFor(probe);
  return s.generic ? undefined : fc.constantFrom(s.valid, ...(s.auth ? [s.auth] : []));
}

describe.each(tcpProbes.map((p) => [p.meta.id, p] as const))('TCP probe %s on arbitrary byte streams (fast-check)', (id, probe) => {
  it('resolves with a known status or rejects with an EaError (never a crash), writes only declared bytes, and is fast', async () => {
    const seen = new Map<string, number>();
    const own = [streamFor[id], recorded(probe)].filter((a) => a !== undefined);
    const stream = fc.oneof(...own.map((arbitrary) => ({ weight: 3, arbitrary })), { weight: 1, arbitrary: anyStream });
    await fc.assert(
      fc.asyncProperty(
        stream,
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (bytes, cuts, truncate) => {
          const data = truncate ? bytes.subarray(0, Math.max(0, bytes.length - 1 - (cuts[0]! % 8))) : bytes;
          const chunks: Buffer[] = [];
          for (let off = 0, i = 0; off < data.length; i++) {
            const n = cuts[i % cuts.length]!;
            chunks.push(data.subarray(off, off + n));
            off += n;
          }
          const writes: Buffer[] = [];
          const t0 = performance.now();
          let result: ProbeResult | undefined;
          try {
            result = await probe.run(target, scriptedTcpCtx(chunks, writes));
          } catch (err) {
            expect(err, String((err as Error)?.stack ?? err)).toBeInstanceOf(EaError);
          }
          expect(performance.now() - t0).toBeLessThan(perInputMs * 4);
          if (result) expect(statuses).toContain(result.status);
          const k = result?.status ?? 'rejected';
          seen.set(k, (seen.get(k) ?? 0) + 1);
          for (const w of writes) expect(writeDeclared(probe, w), `${w.toString('latin1')} is not in meta.sends`).toBe(true);
          expectCleanPrototype();
        },
      ),
      { numRuns: runs(1000) },
    );
    expect(seen.size, JSON.stringify([...seen])).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('the fuzz covers every registered probe', () => {
  it('each probe is either HTTP or TCP', () => {
    expect(httpProbes.length + tcpProbes.length).toBe(probes.length);
  });
});
