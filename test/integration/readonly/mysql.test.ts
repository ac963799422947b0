import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysqlProbe, { sql } from '../../../probes/mysql.js';
import { mariadbQuery, serverAvailable, startServer, stopAll, type ServerInstance } from '../../support/servers/index.js';
import { createHarness } from '../../support/probe-harness.js';

/**
 * Read-only proof against real MariaDB 10.11 (127.0.1.54–56) with the general query log on: every statement the
 * server received on connections from the probe's source address (127.0.1.58) must be a declared SELECT, and the
 * fixture tables' CHECKSUM TABLE values and row counts must be unchanged. The secured variants log no query.
 */
const SOURCE = '127.0.1.58';
const harness = createHarness({ probes: [mysqlProbe], sourceAddress: SOURCE, timeoutMs: 5000 });
const servers: Record<string, ServerInstance> = {};
const available = serverAvailable('mariadb');
const declared = new Set(Object.values(sql));
const sampleSql = /^SELECT \* FROM `(?:[^`]|``)+`\.`(?:[^`]|``)+` LIMIT \d+$/;

const snapshot = (inst: ServerInstance) =>
  mariadbQuery(
    inst,
    'CHECKSUM TABLE shop.customers, shop.orders EXTENDED; SELECT COUNT(*) FROM shop.customers; SELECT COUNT(*) FROM shop.orders',
  );

/** Commands logged on connections from SOURCE: general-log lines `[time] <id> <Command>\t<argument>`. */
async function logged(inst: ServerInstance): Promise<Array<{ id: string; command: string; arg: string }>> {
  const text = await readFile(path.join(inst.dir, 'general.log'), 'utf8');
  const fromSource = new Set<string>();
  const out: Array<{ id: string; command: string; arg: string }> = [];
  for (const line of text.split('\n')) {
    const m = /^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+(\d+) (\w+(?: \w+)?)\t(.*)$/.exec(line);
    if (!m) continue;
    const [, id, command, arg] = m as unknown as [string, string, string, string];
    if (command === 'Connect' && arg.includes(`@${SOURCE}`)) fromSource.add(id);
    if (fromSource.has(id)) out.push({ id, command, arg });
  }
  return out;
}

beforeAll(async () => {
  if (!available) return;
  const [open, secured, denied] = await Promise.all([
    startServer({ kind: 'mariadb', variant: 'open', host: '127.0.1.54' }),
    startServer({ kind: 'mariadb', variant: 'protected', host: '127.0.1.55' }),
    startServer({ kind: 'mariadb', variant: 'denied', host: '127.0.1.56' }),
  ]);
  Object.assign(servers, { open, secured, denied });
}, 180_000);

afterAll(async () => {
  await harness.close();
  await stopAll();
});

describe.skipIf(!available)('MariaDB: only declared SELECTs reach the server; data unchanged', () => {
  it.each([
    ['open', 'exposed', 0],
    ['open', 'exposed', 3],
    ['secured', 'auth-required', 0],
    ['denied', 'denied', 0],
  ] as const)('%s → %s (sample %i)', async (key, status, sampleRows) => {
    const inst = servers[key]!;
    const before = await snapshot(inst);
    const already = (await logged(inst)).length;
    const { observation: o } = await harness.probe('mysql', inst.host, inst.ports.mysql!, sampleRows ? { sampleRows } : {});
    expect(o.status).toBe(status);
    let seen = (await logged(inst)).slice(already);
    for (let i = 0; i < 50 && status === 'exposed' && !seen.some((s) => s.command === 'Quit'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = (await logged(inst)).slice(already);
    }
    const queries = seen.filter((s) => s.command === 'Query').map((s) => s.arg);
    if (status !== 'exposed') expect(queries).toEqual([]);
    else {
      expect(queries.slice(0, 3)).toEqual([sql.schemata, sql.tables, sql.columns]);
      for (const q of queries) expect(declared.has(q as never) || (sampleRows > 0 && sampleSql.test(q)), `undeclared: ${q}`).toBe(true);
      if (sampleRows) expect(queries.some((q) => sampleSql.test(q))).toBe(true);
      // Nothing but Connect, Query and Quit from the probe's connections.
      expect(new Set(seen.map((s) => s.command))).toEqual(new Set(['Connect', 'Query', 'Quit']));
    }
    expect(await snapshot(inst)).toBe(before);
  });
});
