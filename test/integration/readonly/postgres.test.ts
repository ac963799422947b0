import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgresProbe, { sql } from '../../../probes/postgres.js';
import { psql, seedPostgres, serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { createHarness } from '../../support/probe-harness.js';

/**
 * Read-only proof against real PostgreSQL 15 (127.0.1.51–53), started with log_statement=all and a log line prefix
 * naming the client address and application: every statement the server received from the probe's source address
 * (127.0.1.57) must be one the probe declares, each SELECT must run inside BEGIN TRANSACTION READ ONLY … ROLLBACK
 * of its own session, and the data (a digest of every row of every fixture table, and the row counts) must be
 * unchanged. The secured variants must log no statement at all.
 */
const SOURCE = '127.0.1.57';
const harness = createHarness({ probes: [postgresProbe], sourceAddress: SOURCE, timeoutMs: 5000 });
const servers: Record<string, ServerInstance> = {};
const available = serverAvailable('postgres');
const declared = new Set(Object.values(sql));
const sampleSql = /^SELECT \* FROM "(?:[^"]|"")+"\."(?:[^"]|"")+" LIMIT \d+$/;

async function snapshot(inst: ServerInstance): Promise<string> {
  const shop = await psql(
    inst,
    'shop',
    `SELECT md5(string_agg(c::text, ',' ORDER BY id)) FROM customers c; SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o; SELECT count(*) FROM pg_class`,
  );
  const pg = await psql(
    inst,
    'postgres',
    `SELECT md5(string_agg(a::text, ',')) FROM audit_log a; SELECT datname FROM pg_database ORDER BY 1`,
  );
  return shop + pg;
}

/** Statements logged for sessions from SOURCE, with the backend pid (one pid = one session). */
async function logged(inst: ServerInstance): Promise<Array<{ pid: string; db: string; statement: string }>> {
  const text = await readFile(path.join(inst.dir, 'stderr.log'), 'utf8');
  const out: Array<{ pid: string; db: string; statement: string }> = [];
  for (const line of text.split('\n')) {
    const m = /\[(\d+)\] host=(\S+) app=(\S*) db=(\S*) LOG: {2}statement: (.*)$/.exec(line);
    if (m && m[2] === SOURCE) out.push({ pid: m[1]!, db: m[4]!, statement: m[5]! });
  }
  return out;
}

beforeAll(async () => {
  if (!available) return;
  const [open, secured, denied, sslOnly] = await Promise.all([
    startServer({ kind: 'postgres', variant: 'open', host: '127.0.1.51' }),
    startServer({ kind: 'postgres', variant: 'protected', host: '127.0.1.52' }),
    startServer({ kind: 'postgres', variant: 'denied', host: '127.0.1.53' }),
    // hostssl trust only: the probe's statements arrive over TLS, with the same read-only rules.
    startServer({ kind: 'postgres', variant: 'ssl-only', host: '127.0.1.54' }),
  ]);
  Object.assign(servers, { open, secured, denied, sslOnly });
  await Promise.all([seedPostgres(open), seedPostgres(sslOnly)]);
}, 120_000);

afterAll(async () => {
  await harness.close();
  await stopAll();
});

describe.skipIf(!available)('PostgreSQL: only declared statements, each in a read-only transaction; data unchanged', () => {
  it.each([
    ['open', 'exposed', 0],
    ['open', 'exposed', 3],
    ['secured', 'auth-required', 0],
    ['denied', 'denied', 0],
    ['sslOnly', 'exposed', 3],
  ] as const)('%s → %s (sample %i)', async (key, status, sampleRows) => {
    const inst = servers[key]!;
    const before = status === 'exposed' ? await snapshot(inst) : '';
    const already = (await logged(inst)).length;
    const { observation: o } = await harness.probe('postgres', inst.host, inst.ports.postgres!, sampleRows ? { sampleRows } : {});
    expect(o.status).toBe(status);
    // The logger writes asynchronously: wait until the last session's ROLLBACK is in (bounded).
    let seen = (await logged(inst)).slice(already);
    for (let i = 0; i < 50 && status === 'exposed' && seen.filter((s) => s.statement === sql.rollback).length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = (await logged(inst)).slice(already);
    }
    if (status !== 'exposed') {
      expect(seen).toEqual([]);
      return;
    }
    for (const s of seen)
      expect(declared.has(s.statement as never) || (sampleRows > 0 && sampleSql.test(s.statement)), `undeclared: ${s.statement}`).toBe(
        true,
      );
    // Per session: BEGIN READ ONLY first, ROLLBACK last, every SELECT in between.
    const sessions = new Map<string, string[]>();
    for (const s of seen) sessions.set(`${s.pid}`, [...(sessions.get(s.pid) ?? []), s.statement]);
    for (const [, list] of sessions) {
      const begin = list.indexOf(sql.begin);
      for (const [i, st] of list.entries())
        if (st.startsWith('SELECT'))
          expect(i > begin && begin !== -1 && list.indexOf(sql.rollback, i) > i, `SELECT outside a read-only transaction: ${st}`).toBe(
            true,
          );
    }
    expect(new Set(seen.map((s) => s.db))).toEqual(new Set(['postgres', 'shop']));
    if (sampleRows) expect(seen.some((s) => sampleSql.test(s.statement))).toBe(true);
    expect(await snapshot(inst)).toBe(before);
  });
});
