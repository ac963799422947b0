// What a test-server recipe declares, and the helpers recipes share (test/support/servers/recipes.ts,
// longtail-recipes.ts); index.ts runs them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { httpRequest } from './loopback.js';
import { requireBinary } from './processes.js';

const execFileP = promisify(execFile);

export const PASSWORD = 's3cret';

export const COMMON_LOGS = ['stdout.log', 'stderr.log'];

/** A bcrypt ($2y$) htpasswd file for `user`, accepted by nginx, Apache, Prometheus, docker-registry and Verdaccio. */
export async function htpasswdFile(file: string, user: string): Promise<void> {
  await execFileP(requireBinary('htpasswd'), ['-cbB', file, user, PASSWORD], { timeout: 15_000 });
}

/** A bcrypt hash of the test password (Prometheus web.yml, Node-RED adminAuth). */
export async function bcryptHash(user: string): Promise<string> {
  const { stdout } = await execFileP(requireBinary('htpasswd'), ['-nbBC', '10', user, PASSWORD], { timeout: 15_000 });
  const line = stdout.trim().split('\n')[0] ?? '';
  const hash = line.slice(line.indexOf(':') + 1);
  if (!hash.startsWith('$2')) throw new Error(`unexpected htpasswd output: ${line}`);
  return hash;
}

export interface RecipeContext {
  dir: string;
  host: string;
  ports: Record<string, number>;
  variant: string;
  protectedVariant: boolean;
  timezone?: string;
  /** clickhouse: configure system.query_log and log every query (log_queries=1 in the default profile). */
  queryLog?: boolean;
}

export interface Recipe {
  binary: string;
  /** Extra programs a start needs (password hashing, auth setup). */
  helpers: readonly string[];
  portNames: readonly string[];
  variants: readonly string[];
  /** Which variants set a password (the instance then carries `password`). */
  passwordVariants: readonly string[];
  user: string;
  /** False when the server drops root on its own; all others run as nobody via setpriv when root. */
  dropPrivileges: boolean;
  logFiles: readonly string[];
  /**
   * The name the server gives itself once running (Node's process.title: node-red, verdaccio): stop-by-pid then
   * checks /proc/PID/comm against it instead of the binary's name.
   */
  retitle?: string;
  /** Writes configs into ctx.dir and returns the server's arguments. */
  prepare(ctx: RecipeContext): Promise<string[]>;
  /** One readiness attempt; false (or a throw) means not yet. */
  ready(ctx: RecipeContext): Promise<boolean>;
  afterReady?(ctx: RecipeContext): Promise<void>;
}

/**
 * The variants most servers have: `open` (no authentication) and `protected` (a password for `user`), run as nobody.
 * Spread into a recipe: `{ binary, helpers, portNames, ...openOrProtected('admin'), logFiles, … }`.
 */
export function openOrProtected(user: string) {
  return { variants: ['open', 'protected'], passwordVariants: ['protected'], user, dropPrivileges: true } as const;
}

/** One readiness attempt over HTTP: the `http` port (or `port`) answers `urlPath` with one of `ok`. */
export async function httpAnswers(
  ctx: RecipeContext,
  urlPath: string,
  ok: readonly number[],
  opts: { port?: number; headers?: Record<string, string> } = {},
): Promise<boolean> {
  const port = opts.port ?? (ctx.ports.http as number);
  const res = await httpRequest({
    host: ctx.host,
    port,
    path: urlPath,
    timeoutMs: 2000,
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  return ok.includes(res.status);
}
