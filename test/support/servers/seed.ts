import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
// Fixture writers for TEST servers started by startServer() (setup only; the product itself never writes).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { hostPort, tcpExchange } from './loopback.js';
import { PG_BIN } from './recipes.js';

const execFileP = promisify(execFile);

interface SeedTarget {
  kind: string;
  host: string;
  ports: Record<string, number>;
  password?: string;
}

/** RESP array of bulk strings: binary-safe, unlike inline commands. */
function resp(args: readonly string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

/** Counts complete top-level replies made of simple lines (+OK, -ERR, :n), which is all AUTH and SET return. */
function simpleReplies(text: string): string[] {
  return text.split('\r\n').slice(0, -1);
}

/** SETs each key on a test Redis, authenticating first when the instance has a password. */
export async function seedRedis(inst: SeedTarget, keys: Record<string, string>): Promise<void> {
  if (inst.kind !== 'redis') throw new Error(`seedRedis needs a redis instance, got ${inst.kind}`);
  const commands: string[][] = [];
  if (inst.password !== undefined) commands.push(['AUTH', inst.password]);
  for (const [k, v] of Object.entries(keys)) commands.push(['SET', k, v]);
  if (commands.length === 0) return;
  const reply = await tcpExchange({
    host: inst.host,
    port: inst.ports.redis as number,
    send: commands.map(resp).join(''),
    until: (t) => simpleReplies(t).length >= commands.length,
    timeoutMs: 5000,
  });
  const lines = simpleReplies(reply);
  const bad = lines.find((l) => !l.startsWith('+'));
  if (lines.length < commands.length || bad !== undefined) {
    throw new Error(`seedRedis failed: ${bad ?? `only ${lines.length} of ${commands.length} replies`}`);
  }
}

/**
 * POSTs `sql` to the ClickHouse HTTP port as user `default` with the instance's password (POST is not
 * forced read-only, so CREATE TABLE / INSERT work). Resolves with the body; rejects on a non-200 answer.
 */
export async function clickhouseQuery(inst: SeedTarget, sql: string): Promise<string> {
  if (inst.kind !== 'clickhouse') throw new Error(`clickhouseQuery needs a clickhouse instance, got ${inst.kind}`);
  // No keep-alive: clickhouse-server's shutdown waits for idle keep-alive clients (test-servers.md 7.5).
  const client = createClient({
    url: `http://${hostPort(inst.host, inst.ports.http as number)}`,
    username: 'default',
    password: inst.password ?? '',
    keep_alive: { enabled: false },
    request_timeout: 30_000,
    log: { level: ClickHouseLogLevel.OFF },
  });
  try {
    const { stream } = await client.exec({ query: sql });
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    throw new Error(`clickhouseQuery: ${(err as Error).message.trim().slice(0, 500)}`);
  } finally {
    await client.close();
  }
}

/** Runs SQL with psql over a test PostgreSQL's unix socket (trust for local connections in every variant). Setup and verification only. */
export async function psql(inst: SeedTarget & { dir: string }, db: string, script: string): Promise<string> {
  const { stdout } = await execFileP(
    `${PG_BIN}/psql`,
    ['-h', inst.dir, '-p', String(inst.ports.postgres), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-qAtc', script],
    { timeout: 30_000 },
  );
  return stdout;
}

/** Fixture for a test PostgreSQL: database shop (customers with an email and a Stripe-shaped key, orders), postgres.audit_log. */
export async function seedPostgres(inst: SeedTarget & { dir: string }): Promise<void> {
  await psql(inst, 'postgres', 'CREATE DATABASE shop');
  await psql(
    inst,
    'shop',
    `CREATE TABLE customers (id int PRIMARY KEY, email text, api_key text);
     INSERT INTO customers VALUES (1, 'ann@example.com', 'sk_live_0000000000000000aaaa'), (2, 'bob@example.com', 'none'), (3, 'cy@example.com', 'none');
     CREATE TABLE orders (id int PRIMARY KEY, total numeric);
     INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 50) g;
     ANALYZE;`,
  );
  await psql(inst, 'postgres', 'CREATE TABLE audit_log (id int, msg text); INSERT INTO audit_log VALUES (1, $$login$$); ANALYZE;');
}

/** Runs SQL with the mariadb client over a test MariaDB's unix socket as root@localhost (no password). Verification only. */
export async function mariadbQuery(inst: { dir: string }, sql: string): Promise<string> {
  const { stdout } = await execFileP(
    'mariadb',
    ['--no-defaults', `--socket=${path.join(inst.dir, 'mysqld.sock')}`, '-uroot', '-N', '-B', '-e', sql],
    { timeout: 30_000 },
  );
  return stdout;
}
