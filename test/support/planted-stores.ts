import http from 'node:http';
import net from 'node:net';
import { challenge } from '../../probes/clickhouse-http.js';

/**
 * Replayed stores for the issue-15 hostile cases, on loopback only, each driven by a mutable `plant` the test fills
 * (what a hostile server controls: key names, values, table names, error lines, headers). Reply shapes follow the
 * vendors' documented formats:
 * - Redis INFO / SCAN / MGET: https://redis.io/docs/latest/commands/info/ (Redis 7.2), RESP2 framing
 *   https://redis.io/docs/latest/develop/reference/protocol-spec/
 * - ClickHouse HTTP TabSeparated with X-ClickHouse-* headers: https://clickhouse.com/docs/interfaces/http (24.x/25.x)
 * - Elasticsearch GET / and _cat/indices?format=json: https://www.elastic.co/guide/en/elasticsearch/reference/8.13/cat-indices.html
 */
export interface Plant {
  /** Redis: INFO keyspace lines (db name → count), SCAN key names, MGET values, an error for PING. */
  redis: { dbs: Array<[string, number]>; keys: string[]; values: string[]; pingError?: string; extraInfo?: string };
  /** ClickHouse: display name header, tables (db, name, engine), columns, rows of any sampled table. */
  clickhouse: {
    displayName: string;
    tables: Array<[string, string, string]>;
    columns: Array<[string, string, string]>;
    sampleRows: string[][];
    lateError?: string;
  };
  /** Elasticsearch: cluster name, index names, a mapping field name, a header value. */
  es: { cluster: string; indices: string[]; field: string; header: string; docs: string[] };
}

export function emptyPlant(): Plant {
  return {
    redis: { dbs: [['db0', 3]], keys: ['session:1'], values: ['v'] },
    clickhouse: {
      displayName: 'replay',
      tables: [['app', 'events', 'MergeTree']],
      columns: [['app', 'events', 'id']],
      sampleRows: [['1']],
    },
    es: { cluster: 'c', indices: ['logs'], field: 'msg', header: 'x', docs: ['d'] },
  };
}

const bulk = (s: string | Buffer) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')]);
};

/** Splits complete commands (inline lines or RESP arrays of bulk strings) off the front of `buf`. */
function nextCommand(buf: Buffer): { args: string[]; rest: Buffer } | undefined {
  if (buf[0] === 0x2a) {
    let off = buf.indexOf('\r\n');
    if (off < 0) return undefined;
    const n = Number(buf.toString('latin1', 1, off));
    off += 2;
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = buf.indexOf('\r\n', off);
      if (e < 0) return undefined;
      const len = Number(buf.toString('latin1', off + 1, e));
      if (buf.length < e + 2 + len + 2) return undefined;
      args.push(buf.toString('utf8', e + 2, e + 2 + len));
      off = e + 2 + len + 2;
    }
    return { args, rest: buf.subarray(off) };
  }
  const e = buf.indexOf('\n');
  if (e < 0) return undefined;
  return { args: buf.toString('utf8', 0, e).trim().split(/\s+/), rest: buf.subarray(e + 1) };
}

export function startRedis(
  host: string,
  plant: () => Plant['redis'],
): Promise<{ host: string; port: number; commands: string[][]; close(): Promise<void> }> {
  const commands: string[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf: Buffer = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (let c = nextCommand(buf); c; c = nextCommand(buf)) {
        buf = c.rest;
        const p = plant();
        commands.push(c.args);
        const cmd = c.args[0]!.toUpperCase();
        if (cmd === 'PING') s.write(p.pingError !== undefined ? `-${p.pingError}\r\n` : '+PONG\r\n');
        else if (cmd === 'INFO') {
          const info = [
            '# Server',
            'redis_version:7.2.4',
            'redis_mode:standalone',
            'os:Linux 6.1.0 x86_64',
            ...(p.extraInfo ? [p.extraInfo] : []),
            '',
            '# Replication',
            'role:master',
            '',
            '# Keyspace',
            ...p.dbs.map(([db, n]) => `${db}:keys=${n},expires=0`),
            '',
          ].join('\r\n');
          s.write(bulk(info));
        } else if (cmd === 'SCAN')
          s.write(Buffer.concat([Buffer.from(`*2\r\n`), bulk('0'), Buffer.from(`*${p.keys.length}\r\n`), ...p.keys.map(bulk)]));
        else if (cmd === 'MGET')
          s.write(
            Buffer.concat([
              Buffer.from(`*${c.args.length - 1}\r\n`),
              ...c.args.slice(1).map((_, i) => bulk(p.values[i % p.values.length]!)),
            ]),
          );
        else if (cmd === 'QUIT') s.end('+OK\r\n');
        else s.write(`-ERR unknown command '${cmd}'\r\n`);
      }
    });
  });
  return listen(server, host, sockets, { commands });
}

function listen<T extends object>(
  server: net.Server,
  host: string,
  sockets: Set<net.Socket>,
  extra: T,
): Promise<T & { host: string; port: number; close(): Promise<void> }> {
  if (!host.startsWith('127.')) throw new Error('loopback only');
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve({
        ...extra,
        host,
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

const tsv = (rows: string[][]) =>
  rows.map((r) => `${r.map((c) => c.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')).join('\t')}\n`).join('');

export function startClickhouse(
  host: string,
  plant: () => Plant['clickhouse'],
): Promise<{ host: string; port: number; queries: string[]; close(): Promise<void> }> {
  const queries: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://replay.invalid').searchParams.get('query') ?? '';
    queries.push(q);
    const p = plant();
    const headers = {
      'X-ClickHouse-Server-Display-Name': p.displayName,
      'X-ClickHouse-Query-Id': 'q1',
      'X-ClickHouse-Format': 'TabSeparated',
      'Content-Type': 'text/tab-separated-values; charset=UTF-8',
    };
    let body: string;
    if (q === `SELECT version(), ${challenge.a}+${challenge.b}`) body = `24.8.4.13\t${challenge.a + challenge.b}\n`;
    else if (q.includes('FROM system.databases')) body = tsv([...new Set(p.tables.map((t) => t[0]))].map((d) => [d]));
    else if (q.includes('FROM system.tables')) body = tsv(p.tables);
    else if (q.includes('FROM system.columns')) body = tsv(p.columns);
    else if (q.includes('FROM system.parts')) body = tsv(p.tables.map(([d, t]) => [d, t, '1000', '65536']));
    else if (q.startsWith('SELECT * FROM')) body = tsv(p.sampleRows);
    else {
      res.writeHead(400, { ...headers, 'X-ClickHouse-Exception-Code': '62' });
      return res.end(`Code: 62. DB::Exception: Syntax error${p.lateError ? `: ${p.lateError}` : ''}. (SYNTAX_ERROR)\n`);
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  return listen(server, host, sockets, { queries });
}

const catCache = new WeakMap<string[], string>();

export function startElasticsearch(
  host: string,
  plant: () => Plant['es'],
): Promise<{ host: string; port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const p = plant();
    const url = new URL(req.url ?? '/', 'http://replay.invalid');
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'X-elastic-product': 'Elasticsearch', 'X-Replay-Note': p.header });
      res.end(JSON.stringify(v));
    };
    if (url.pathname === '/')
      return json(200, {
        name: 'n1',
        cluster_name: p.cluster,
        cluster_uuid: 'u1',
        version: { number: '8.13.0', build_flavor: 'default' },
        tagline: 'You Know, for Search',
      });
    if (url.pathname === '/_cat/indices') {
      // Serialised once per listing: the replay's CPU is not the auditor's.
      let body = catCache.get(p.indices);
      if (!body)
        catCache.set(
          p.indices,
          (body = JSON.stringify(
            p.indices.map((index, i) => ({ index, health: 'green', status: 'open', 'docs.count': String(10 + i), 'store.size': '4096' })),
          )),
        );
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-elastic-product': 'Elasticsearch' });
      return res.end(body);
    }
    if (url.pathname === '/_cluster/health')
      return json(200, { cluster_name: p.cluster, status: 'green', number_of_nodes: 1, number_of_data_nodes: 1, active_shards: 1 });
    const m = /^\/([^/]+)\/_mapping$/.exec(url.pathname);
    if (m) return json(200, { [decodeURIComponent(m[1]!)]: { mappings: { properties: { [p.field]: { type: 'keyword' } } } } });
    if (/\/_search$/.test(url.pathname)) return json(200, { hits: { hits: p.docs.map((d) => ({ _source: { body: d } })) } });
    return json(404, { error: { type: 'index_not_found_exception', reason: `no such index [${url.pathname}]` }, status: 404 });
  });
  return listen(server, host, sockets, {});
}
