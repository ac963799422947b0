import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDefaults } from '../../../src/engine/audit.js';
import { probeEndpoint } from '../../../src/engine/run-probe.js';
import { challenge } from '../../../probes/clickhouse-http.js';
import { HttpClient } from '../../../src/net/http.js';
import { probesFor } from '../../../src/cli/registry.js';
import type { Endpoint } from '../../../src/types.js';
import { clickhouseQuery, serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';

/**
 * Read-only proof against real clickhouse-server 18.16 (127.0.0.175 open, 127.0.0.176 password-protected).
 *
 * How the server's own record is obtained on 18.16: `system.query_log` does not exist unless the server config has a
 * `<query_log>` section (setting `log_queries=1` per query or in a profile is not enough: the table is created at
 * start-up only), and test/support/servers' config has none. But 18.16 re-reads its config files while running (a
 * ConfigReloader polls config.xml and config.d/ every ~2 s) and applies `<logger><level>` on reload. So the test drops
 * `config.d/ea-trace.xml` (`<level>trace</level>`) into the instance's folder after start and waits until a marker
 * query shows up in server.log. At trace level 18.16 logs, per connection:
 *   - `HTTPHandler-factory: HTTP Request … Method: GET, Address: <ip:port>` then `HTTPHandler: Request URI: <uri>`
 *     for every HTTP request — *before* authentication, so refused requests are recorded too;
 *   - `executeQuery: (from <ip:port>) <sql>` for every query that was executed;
 *   - `TCPHandlerFactory: TCP Request. Address: <ip:port>` and `TCPHandler: Connected <client> … user: default.`
 *     for the native protocol.
 * The probes connect from 127.0.0.197 (HttpClient localAddress / tcp localAddress), the verifier from 127.0.0.1,
 * so each log line is attributed by address (thread id carries it from the factory line to the next lines).
 */
const SOURCE = '127.0.0.197';
const chProbes = probesFor('clickhouse');
const servers: Record<string, ServerInstance> = {};

// Compared decoded: meta.sends shows encodeURIComponent's form (`'` raw) while undici's URL puts `%27` on the wire;
// the server decodes both to the same query.
const fixedGets = chProbes
  .flatMap((p) => p.meta.sends)
  .filter((s) => s.when === 'always' && s.request.startsWith('GET /'))
  // The challenge is declared as <a>+<b> (its numbers change every run): this run's numbers, for a verbatim check.
  .map((s) => s.request.slice(4).replace('<a>', String(challenge.a)).replace('<b>', String(challenge.b)));
const declaredUris = fixedGets.map((s) => decodeURIComponent(s));
const declaredSql = fixedGets.map((s) => new URL(s, 'http://x').searchParams.get('query'));

interface Seen {
  http: Array<{ method: string; uri: string }>;
  queries: string[];
  nativeLogins: string[];
  /** Any other line attributed to the probe's address (unexpected kinds of activity). */
  other: string[];
}

const readSide =
  /^(executeQuery|HTTPHandler|TCPHandler|ServerErrorHandler|MemoryTracker|InterpreterSelectQuery|Aggregator|\w*BlockInputStream)$/;

/** Lines of a server.log excerpt attributed to SOURCE, by address and thread. */
function attribute(log: string): Seen {
  const seen: Seen = { http: [], queries: [], nativeLogins: [], other: [] };
  const threadAddr = new Map<string, string>();
  const pendingMethod = new Map<string, string>();
  for (const line of log.split('\n')) {
    const m = /^\S+ \S+ \[ (\d+) \] \{[^}]*\} <(\w+)> ([\w-]+): (.*)$/.exec(line);
    if (!m) continue;
    const [, thread, , source, msg] = m as unknown as [string, string, string, string, string];
    const factory = /^(?:HTTP Request for HTTPHandler-factory\. Method: (\w+), Address: |TCP Request\. Address: )([\d.]+):\d+/.exec(msg);
    if (factory) {
      threadAddr.set(thread, factory[2]!);
      if (factory[1]) pendingMethod.set(thread, factory[1]);
      continue;
    }
    const q = /^\(from ([\d.]+):\d+\) (.*)$/.exec(msg);
    if (source === 'executeQuery' && q) {
      if (q[1] === SOURCE) seen.queries.push(q[2]!);
      continue;
    }
    if (threadAddr.get(thread) !== SOURCE) continue;
    if (source === 'HTTPHandler' && msg.startsWith('Request URI: '))
      seen.http.push({ method: pendingMethod.get(thread) ?? '?', uri: msg.slice('Request URI: '.length) });
    else if (source === 'TCPHandler' && msg.startsWith('Connected ')) seen.nativeLogins.push(msg);
    // Components a SELECT goes through; anything else on the probe's connections (an INSERT/CREATE/ALTER
    // interpreter, a MergeTree writer, a mutation) is reported.
    else if (!readSide.test(source)) seen.other.push(line);
  }
  return seen;
}

async function enableTraceLog(inst: ServerInstance): Promise<void> {
  const dir = path.join(inst.dir, 'config.d');
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  await fs.writeFile(path.join(dir, 'ea-trace.xml'), '<?xml version="1.0"?>\n<yandex><logger><level>trace</level></logger></yandex>\n', {
    mode: 0o644,
  });
  // The reloader polls about every 2 s: bounded wait for a marker query to be logged.
  for (let i = 0; i < 60; i++) {
    const marker = `ea-trace-on-${i}`;
    await clickhouseQuery(inst, `SELECT '${marker}'`);
    if ((await fs.readFile(path.join(inst.dir, 'server.log'), 'utf8')).includes(marker)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('clickhouse did not switch to trace logging within 12 s');
}

/** Tables, row counts and parts (name, rows, bytes, modification time): what a write of any kind would change. */
async function snapshot(inst: ServerInstance) {
  const q = (sql: string) => clickhouseQuery(inst, `${sql} FORMAT TabSeparated`);
  return {
    databases: await q('SELECT name FROM system.databases ORDER BY name'),
    tables: await q(
      "SELECT database, name, engine, metadata_modification_time FROM system.tables WHERE database != 'system' ORDER BY database, name",
    ),
    parts: await q(
      "SELECT database, table, name, rows, bytes_on_disk, modification_time, active FROM system.parts WHERE database != 'system' ORDER BY database, table, name",
    ),
    rows: inst.variant === 'open' ? await q('SELECT (SELECT count() FROM app.log_stream), (SELECT count() FROM app.scratch)') : '',
  };
}

async function audit(inst: ServerInstance, port: number) {
  const http = new HttpClient({ connectTimeoutMs: 1000, localAddress: SOURCE });
  const ep: Endpoint = {
    host: inst.host,
    port,
    service: 'clickhouse',
    asset: inst.variant,
    declaredHost: inst.host,
    labels: {},
    source: { file: 'ro.yaml', line: 1, column: 1 },
  };
  try {
    return await probeEndpoint(chProbes, ep, {
      timeoutMs: 5000,
      connectTimeoutMs: 1000,
      maxBytes: auditDefaults.maxBytes,
      caps: auditDefaults.caps,
      signal: new AbortController().signal,
      http,
      sourceAddress: SOURCE,
    });
  } finally {
    await http.close();
  }
}

beforeAll(async () => {
  if (!serverAvailable('clickhouse')) return;
  const [open, secured] = await Promise.all([
    startServer({ kind: 'clickhouse', variant: 'open', host: '127.0.0.175' }),
    startServer({ kind: 'clickhouse', variant: 'protected', host: '127.0.0.176' }),
  ]);
  Object.assign(servers, { open, secured });
  await clickhouseQuery(open, 'CREATE DATABASE app');
  await clickhouseQuery(open, 'CREATE TABLE app.log_stream (ts DateTime, api_key String, prompt String) ENGINE = MergeTree ORDER BY ts');
  await clickhouseQuery(open, "INSERT INTO app.log_stream VALUES (now(), 'k1', 'hello'), (now(), 'k2', 'world')");
  await clickhouseQuery(open, "INSERT INTO app.log_stream VALUES (now(), 'k3', '!')");
  await clickhouseQuery(open, 'CREATE TABLE app.scratch (x UInt8) ENGINE = Memory');
  await clickhouseQuery(open, 'INSERT INTO app.scratch VALUES (1), (2)');
  await Promise.all([enableTraceLog(open), enableTraceLog(secured)]);
}, 90_000);

afterAll(async () => {
  await stopAll();
});

describe.skipIf(!serverAvailable('clickhouse'))(
  'ClickHouse: only declared read-only queries reach the server, and its data is unchanged',
  () => {
    it('every declared query is a SELECT', () => {
      expect(declaredSql.length).toBeGreaterThan(0);
      for (const sql of declaredSql) expect(sql).toMatch(/^SELECT /);
    });

    it.each([
      ['open', 'exposed'],
      ['secured', 'auth-required'],
    ] as const)('%s → %s, over HTTP and native', async (key, status) => {
      const inst = servers[key]!;
      const before = await snapshot(inst);
      const logFile = path.join(inst.dir, 'server.log');
      const offset = (await fs.stat(logFile)).size;

      const http = await audit(inst, inst.ports.http!);
      const native = await audit(inst, inst.ports.native!);
      expect(http.observation.status).toBe(status);
      expect(native.observation.status).toBe(status);

      // End marker from the verifier: once it is in the log, everything the probes caused is there too.
      const marker = `ea-readonly-end-${Date.now()}`;
      await clickhouseQuery(inst, `SELECT '${marker}'`);
      let log = '';
      for (let i = 0; i < 50 && !log.includes(marker); i++) {
        const fh = await fs.open(logFile, 'r');
        const { size } = await fh.stat();
        const buf = Buffer.alloc(size - offset);
        await fh.read(buf, 0, buf.length, offset);
        await fh.close();
        log = buf.toString('utf8');
        if (!log.includes(marker)) await new Promise((r) => setTimeout(r, 100));
      }
      expect(log).toContain(marker);

      const seen = attribute(log);
      expect(seen.other).toEqual([]);
      // Every HTTP request that reached the server (including ones refused for lack of a password) is declared.
      expect(seen.http.length).toBeGreaterThan(0);
      for (const r of seen.http) {
        expect(r.method).toBe('GET');
        expect(declaredUris, `undeclared request ${r.uri}`).toContain(decodeURIComponent(r.uri));
      }
      // Every query the server executed for the probes is a declared one, verbatim.
      for (const q of seen.queries) expect(declaredSql, `undeclared query ${q}`).toContain(q);
      if (status === 'exposed') {
        expect(seen.queries).toContain(`SELECT version(), ${challenge.a}+${challenge.b}`);
        // query_log is read with one of two declared forms (IPv6NumToString before 20.x, toString after): one never runs.
        expect(seen.queries.length).toBe(declaredSql.length - 1);
      } else {
        // Refused before execution: nothing ran.
        expect(seen.queries).toEqual([]);
      }
      // Native: one login per native attempt, as user default, and nothing executed over it.
      expect(seen.nativeLogins.length).toBeGreaterThanOrEqual(1);
      for (const l of seen.nativeLogins) expect(l).toMatch(/^Connected exposure-audit version [\d.]+, revision: \d+, user: default\.$/);

      expect(await snapshot(inst)).toEqual(before);
    });
  },
);
