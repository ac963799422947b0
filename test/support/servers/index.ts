// Starts and stops real throwaway servers (Redis, ClickHouse, memcached, nginx, Apache, Prometheus, etcd, InfluxDB 1.x, ZooKeeper)
// on loopback for tests and the demo. Safety: hosts must be 127.x.y.z or ::1 literals, every server binds
// only that address, runs as nobody when we are root, and is stopped by its recorded pid.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertLoopback, releasePorts, reservePorts } from './loopback.js';
import {
  findBinary,
  isAlive,
  isRoot,
  logTail,
  procState,
  readComm,
  requireBinary,
  retrack,
  spawnServer,
  stopPid,
  trackedServers,
} from './processes.js';
import { PASSWORD, RECIPES, type RecipeContext, type ServerKind } from './recipes.js';

export type { ServerKind } from './recipes.js';
export { seedRedis, clickhouseQuery, psql, seedPostgres, mariadbQuery } from './seed.js';
export { isLoopbackLiteral, tcpExchange, httpRequest, hostPort } from './loopback.js';
export type { HttpResult, TcpExchangeOptions, HttpRequestOptions } from './loopback.js';

const execFileP = promisify(execFile);

export interface StartOptions {
  kind: ServerKind;
  /** 'open' | 'protected'; redis also 'protected-mode' (protected-mode yes, no password) and 'limited' (ACL without INFO). */
  variant: 'open' | 'protected' | string;
  /** 127.x.y.z or ::1 literal; anything else is refused. */
  host: string;
  /** Named ports (redis: redis; clickhouse: http, native; memcached: memcached; nginx/apache/prometheus: http; etcd: client, peer; influxdb: http, rpc; zookeeper: client). Missing ones are picked free on host. */
  ports?: Partial<Record<string, number>>;
  /** clickhouse only: server time zone, e.g. 'Europe/Berlin'. */
  timezone?: string;
  /**
   * clickhouse only: keep system.query_log (18.16 has it only when `<query_log>` is configured and the profile sets
   * log_queries=1). The breach replay reads it back as access traces.
   */
  queryLog?: boolean;
}

export interface ServerInstance {
  kind: ServerKind;
  variant: string;
  host: string;
  ports: Record<string, number>;
  pid: number;
  dir: string;
  /** Set for password-protected variants ('s3cret'). */
  password?: string;
  /** The account the password belongs to: clickhouse `default`, etcd `root`, redis `default`, others `admin`. */
  user: string;
  stop(): Promise<void>;
}

const READY_POLL_MS = 50;
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 15_000;

const live = new Set<ServerInstance>();

const KINDS = Object.keys(RECIPES).join('|');
const DIR_PATTERN = new RegExp(`^ea-(${KINDS})-[A-Za-z0-9]{6}$`);
const OWNER_FILE = 'owner.json';
let swept = false;

interface OwnerRecord {
  owner: number;
  server?: number;
  comm?: string;
}

/**
 * Removes instance folders left behind when an earlier test process was SIGKILLed (its servers died with it
 * through --pdeathsig, but its folders stayed; etcd preallocates 60–120 MB of WAL each). Conservative: only
 * folders with a readable owner record whose owner pid no longer exists and whose server is not running.
 * Never signals anything.
 */
async function sweepStaleDirs(): Promise<void> {
  if (swept) return;
  swept = true;
  let names: string[] = [];
  try {
    names = await fs.readdir(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names.filter((n) => DIR_PATTERN.test(n)).slice(0, 500)) {
    const dir = path.join(os.tmpdir(), name);
    try {
      const rec = JSON.parse(await fs.readFile(path.join(dir, OWNER_FILE), 'utf8')) as OwnerRecord;
      if (!Number.isInteger(rec.owner) || procState(rec.owner) !== null) continue;
      if (rec.server !== undefined && isAlive(rec.server) && readComm(rec.server) === rec.comm) continue;
      await fs.rm(dir, { recursive: true, force: true });
    } catch {
      // no owner record (foreign, or still being created): leave it
    }
  }
}

/** The server binary (and the helpers its variants need) is installed. */
export function serverAvailable(kind: ServerKind): boolean {
  const recipe = RECIPES[kind];
  if (recipe === undefined) return false;
  const needed = [recipe.binary, ...recipe.helpers, ...(isRoot() ? ['setpriv'] : [])];
  return needed.every((name) => findBinary(name) !== null);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startServer(opts: StartOptions): Promise<ServerInstance> {
  assertLoopback(opts.host);
  const recipe = RECIPES[opts.kind];
  if (recipe === undefined) throw new Error(`unknown server kind ${String(opts.kind)}`);
  if (!recipe.variants.includes(opts.variant)) {
    throw new Error(`${opts.kind} has no variant ${JSON.stringify(opts.variant)}; expected ${recipe.variants.join(', ')}`);
  }
  if (opts.timezone !== undefined && opts.kind !== 'clickhouse') throw new Error('timezone applies to clickhouse only');
  const binary = requireBinary(recipe.binary);
  for (const helper of recipe.helpers) requireBinary(helper);

  await sweepStaleDirs();
  const ports = await reservePorts(opts.host, recipe.portNames, opts.ports ?? {});
  let dir: string | undefined;
  let pid: number | undefined;
  let comm = '';
  try {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), `ea-${opts.kind}-`));
    const ownerFile = path.join(dir, OWNER_FILE);
    await fs.writeFile(ownerFile, JSON.stringify({ owner: process.pid } satisfies OwnerRecord));
    const ctx: RecipeContext = {
      dir,
      host: opts.host,
      ports,
      variant: opts.variant,
      protectedVariant: opts.variant === 'protected',
      ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}),
      ...(opts.queryLog ? { queryLog: true } : {}),
    };
    const args = await recipe.prepare(ctx);
    // The server runs as nobody: it must own its folder (config, data, logs, pid files).
    if (isRoot() && recipe.dropPrivileges) await execFileP('chown', ['-R', 'nobody:nogroup', dir], { timeout: 15_000 });

    const child = await spawnServer({ binary, args, dir, dropPrivileges: recipe.dropPrivileges });
    pid = child.pid;
    comm = child.comm;
    await fs.writeFile(ownerFile, JSON.stringify({ owner: process.pid, server: pid, comm } satisfies OwnerRecord));

    const deadline = Date.now() + READY_TIMEOUT_MS;
    let ready = false;
    let lastError = '';
    while (!ready) {
      if (child.hasExited()) throw new Error(`${opts.kind} exited during start (${await child.exited})`);
      try {
        ready = await recipe.ready(ctx);
      } catch (err) {
        lastError = (err as Error).message;
      }
      if (ready) break;
      if (Date.now() >= deadline)
        throw new Error(`${opts.kind} not ready after ${READY_TIMEOUT_MS} ms${lastError ? ` (last: ${lastError})` : ''}`);
      await sleep(READY_POLL_MS);
    }
    if (recipe.retitle !== undefined) {
      // Ready means listening, and Node servers set their title before they listen: from now on the pid is
      // checked against that name.
      for (let i = 0; i < 40 && readComm(pid) !== recipe.retitle; i++) await sleep(READY_POLL_MS);
      if (readComm(pid) !== recipe.retitle) throw new Error(`${opts.kind} runs as "${readComm(pid)}", expected "${recipe.retitle}"`);
      comm = recipe.retitle;
      retrack(pid, comm);
      await fs.writeFile(ownerFile, JSON.stringify({ owner: process.pid, server: pid, comm } satisfies OwnerRecord));
    }
    if (recipe.afterReady !== undefined) await recipe.afterReady(ctx);

    const instanceDir = dir;
    const instancePid = pid;
    const instanceComm = comm;
    let stopping: Promise<void> | undefined;
    const instance: ServerInstance = {
      kind: opts.kind,
      variant: opts.variant,
      host: opts.host,
      ports,
      pid: instancePid,
      dir: instanceDir,
      user: recipe.user,
      ...(recipe.passwordVariants.includes(opts.variant) ? { password: PASSWORD } : {}),
      stop() {
        stopping ??= (async () => {
          try {
            await stopPid(instancePid, instanceComm, STOP_GRACE_MS);
            await fs.rm(instanceDir, { recursive: true, force: true });
          } finally {
            releasePorts(opts.host, ports);
            live.delete(instance);
          }
        })();
        return stopping;
      },
    };
    live.add(instance);
    return instance;
  } catch (err) {
    const tail = dir !== undefined ? logTail(dir, recipe.logFiles) : '';
    // A Node server may already carry its own title (recipe.retitle) when the start fails.
    if (pid !== undefined && recipe.retitle !== undefined && readComm(pid) === recipe.retitle) comm = recipe.retitle;
    if (pid !== undefined) await stopPid(pid, comm, 5000).catch(() => undefined);
    if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    releasePorts(opts.host, ports);
    const where = `${opts.kind}/${opts.variant} on ${opts.host} ports ${JSON.stringify(ports)}`;
    throw new Error(`failed to start ${where}: ${(err as Error).message}${tail ? `\n${tail}` : ''}`, { cause: err });
  }
}

/** Stops every instance this process started (in parallel), including any a failed caller lost track of. */
export async function stopAll(): Promise<void> {
  const instances = [...live];
  await Promise.allSettled(instances.map((inst) => inst.stop()));
  // Anything spawned but not yet handed out as an instance (a start interrupted mid-way).
  await Promise.allSettled(
    trackedServers().map(async (t) => {
      await stopPid(t.pid, t.comm, STOP_GRACE_MS);
      await fs.rm(t.dir, { recursive: true, force: true });
    }),
  );
}
