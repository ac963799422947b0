// Process lifecycle for throwaway servers: spawn in the foreground with stdio to files, inspect /proc,
// stop by pid. Safety: a pid is signalled only while /proc/PID/comm still names the program we started,
// so a recycled pid is never hit; nothing is ever killed by name.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where scripts/install-test-deps.sh installs the npm-only test servers: `.test-tools/` in the repository root
 * (gitignored). This file runs from test/support/servers, or dist/test/support/servers when compiled.
 */
export function testToolsDir(...parts: string[]): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && !fs.existsSync(path.join(dir, 'scripts', 'install-test-deps.sh')); i++) dir = path.dirname(dir);
  if (!fs.existsSync(path.join(dir, 'scripts', 'install-test-deps.sh'))) throw new Error('repository root not found');
  return path.join(dir, '.test-tools', ...parts);
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of an executable on PATH or in the usual system folders, or null. */
export function findBinary(name: string): string | null {
  // An absolute path is taken as is (PostgreSQL: /usr/lib/postgresql/15/bin, never a /usr/local/bin/postgres).
  if (path.isAbsolute(name)) {
    try {
      fs.accessSync(name, fs.constants.X_OK);
      return fs.statSync(name).isFile() ? name : null;
    } catch {
      return null;
    }
  }
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

export function requireBinary(name: string): string {
  const file = findBinary(name);
  if (file === null) throw new Error(`${name} is not installed (run: npm run test:setup)`);
  return file;
}

/** Field 3 of /proc/PID/stat (R, S, D, Z, …), or null when the pid does not exist. */
export function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || null;
  } catch {
    return null;
  }
}

/** Alive = exists and is not a zombie (orphans are reaped late in containers, so kill -0 is not enough). */
export const isAlive = (pid: number): boolean => {
  const state = procState(pid);
  return state !== null && state !== 'Z';
};

export function readComm(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The kernel truncates comm to 15 bytes. */
export const commOf = (binary: string): string => path.basename(binary).slice(0, 15);

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/** Descendants of pid with their comm (nginx and apache workers), found by scanning /proc ppid links. */
export function descendants(pid: number): Array<{ pid: number; comm: string }> {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const child = Number(entry);
    const parent = parentOf(child);
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(child);
    children.set(parent, list);
  }
  const out: Array<{ pid: number; comm: string }> = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0 && out.length < 1000) {
    const next = queue.shift() as number;
    const comm = readComm(next);
    if (comm !== null) out.push({ pid: next, comm });
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals, expectedComm: string): boolean {
  if (readComm(pid) !== expectedComm) return false;
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

export interface Tracked {
  pid: number;
  comm: string;
  dir: string;
}

// Every server this process started and has not yet stopped, for stopAll() and the exit hook.
const tracked = new Map<number, Tracked>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous last resort: SIGKILL leftovers (and their workers) by pid, then drop their folders.
  process.on('exit', () => {
    for (const t of tracked.values()) {
      const kids = readComm(t.pid) === t.comm ? descendants(t.pid) : [];
      signal(t.pid, 'SIGKILL', t.comm);
      for (const kid of kids) signal(kid.pid, 'SIGKILL', kid.comm);
      try {
        fs.rmSync(t.dir, { recursive: true, force: true });
      } catch {
        // best effort at exit
      }
    }
    tracked.clear();
  });
}

/** The server renamed itself (process.title): later pid checks expect `comm`. */
export function retrack(pid: number, comm: string): void {
  const t = tracked.get(pid);
  if (t) t.comm = comm;
}

export function trackedServers(): Tracked[] {
  return [...tracked.values()];
}

export interface SpawnOptions {
  binary: string;
  args: string[];
  dir: string;
  /** Run as nobody via setpriv when root. False for programs that drop root themselves. */
  dropPrivileges: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface Spawned {
  pid: number;
  comm: string;
  /** Resolves with the exit code/signal once Node has reaped the child. */
  exited: Promise<string>;
  hasExited: () => boolean;
}

/**
 * Starts the server in the foreground with stdin from /dev/null and stdout/stderr to files (not pipes),
 * so the recorded pid is the server itself and nothing blocks on a full pipe.
 */
export async function spawnServer(opts: SpawnOptions): Promise<Spawned> {
  installExitHook();
  let file = opts.binary;
  let args = opts.args;
  const setpriv = findBinary('setpriv');
  if (setpriv !== null) {
    // setpriv execs the server, so the pid and comm are the server's. --pdeathsig is applied after the
    // credential change (verified with util-linux 2.38), so the server dies with the thread that spawned it
    // even if this process is SIGKILLed and the exit hook never runs.
    const drop =
      isRoot() && opts.dropPrivileges
        ? ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=+net_bind_service', '--ambient-caps=+net_bind_service']
        : [];
    args = [...drop, '--pdeathsig', 'KILL', '--', file, ...args];
    file = setpriv;
  } else if (isRoot() && opts.dropPrivileges) {
    throw new Error('setpriv (util-linux) is needed to run test servers as nobody when root');
  }
  const out = fs.openSync(path.join(opts.dir, 'stdout.log'), 'a');
  const err = fs.openSync(path.join(opts.dir, 'stderr.log'), 'a');
  try {
    const child = spawn(file, args, {
      cwd: opts.dir,
      stdio: ['ignore', out, err],
      env: opts.env ?? process.env,
      detached: false,
    });
    let exitedFlag = false;
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, sig) => {
        exitedFlag = true;
        resolve(sig !== null ? `signal ${sig}` : `exit code ${code}`);
      });
      child.once('error', (e) => {
        exitedFlag = true;
        resolve(`spawn error: ${e.message}`);
      });
    });
    if (child.pid === undefined) {
      throw new Error(`could not start ${opts.binary}: ${await exited}`);
    }
    // The server must not keep the event loop alive; stop()/stopAll()/the exit hook end it.
    child.unref();
    const comm = commOf(opts.binary);
    tracked.set(child.pid, { pid: child.pid, comm, dir: opts.dir });
    return { pid: child.pid, comm, exited, hasExited: () => exitedFlag };
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
  }
}

/**
 * SIGTERM, wait up to `graceMs` for /proc/PID to vanish or turn Z, then SIGKILL (the process and any
 * workers recorded before the signal). Returns how the process ended.
 */
export async function stopPid(pid: number, comm: string, graceMs = 15_000): Promise<'gone' | 'terminated' | 'killed'> {
  try {
    if (!isAlive(pid) || readComm(pid) !== comm) return 'gone';
    const kids = descendants(pid);
    signal(pid, 'SIGTERM', comm);
    let how: 'terminated' | 'killed' = 'terminated';
    if (!(await waitGone(pid, graceMs))) {
      how = 'killed';
      signal(pid, 'SIGKILL', comm);
      await waitGone(pid, 5000);
    }
    // Workers normally exit with their master; make sure none is left behind.
    for (const kid of kids) {
      if (isAlive(kid.pid) && !(await waitGone(kid.pid, 1000))) signal(kid.pid, 'SIGKILL', kid.comm);
    }
    return how;
  } finally {
    tracked.delete(pid);
  }
}

/** Last `bytes` of each existing log file in dir, for error messages. */
export function logTail(dir: string, files: readonly string[], bytes = 1500): string {
  const parts: string[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    try {
      const size = fs.statSync(file).size;
      if (size === 0) continue;
      const fd = fs.openSync(file, 'r');
      try {
        const len = Math.min(bytes, size);
        const buf = Buffer.alloc(len);
        fs.readSync(fd, buf, 0, len, size - len);
        parts.push(`--- ${name} (last ${len} of ${size} bytes) ---\n${buf.toString('utf8')}`);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // file not written
    }
  }
  return parts.length > 0 ? parts.join('\n') : '(no log output)';
}
