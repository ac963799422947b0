// Per-server recipes (configs, command lines, readiness checks), after shared/reference/test-servers.md §4.
// Safety: every listen address, URL and advertised address is the instance's loopback literal; servers whose
// defaults are wildcards (memcached INADDR_ANY, Prometheus 0.0.0.0:9090) always get explicit addresses.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { LONGTAIL_RECIPES } from './longtail-recipes.js';
import { hostPort, httpRequest, tcpExchange } from './loopback.js';
import { isRoot, requireBinary } from './processes.js';
import {
  bcryptHash,
  COMMON_LOGS,
  htpasswdFile,
  httpAnswers,
  openOrProtected,
  PASSWORD,
  type Recipe,
  type RecipeContext,
} from './recipe-base.js';
import { selfSignedCertArgs } from './self-signed.js';

const execFileP = promisify(execFile);

export { PASSWORD, type Recipe, type RecipeContext } from './recipe-base.js';

export type ServerKind =
  | 'redis'
  | 'clickhouse'
  | 'memcached'
  | 'nginx'
  | 'apache'
  | 'prometheus'
  | 'etcd'
  | 'influxdb'
  | 'zookeeper'
  | 'postgres'
  | 'mariadb'
  | keyof typeof LONGTAIL_RECIPES;

const redis: Recipe = {
  binary: 'redis-server',
  helpers: [],
  portNames: ['redis'],
  variants: ['open', 'protected', 'protected-mode', 'limited'],
  passwordVariants: ['protected'],
  user: 'default',
  dropPrivileges: true,
  logFiles: ['redis.log', ...COMMON_LOGS],
  async prepare(ctx) {
    // Redis accepts no comment after a value, so the config carries none.
    const lines = [
      `bind ${ctx.host}`,
      `port ${ctx.ports.redis}`,
      'daemonize no',
      `dir ${ctx.dir}`,
      `logfile ${path.join(ctx.dir, 'redis.log')}`,
      'save ""',
      'appendonly no',
    ];
    switch (ctx.variant) {
      case 'open':
        lines.push('protected-mode no');
        break;
      case 'protected':
        lines.push('protected-mode yes', `requirepass ${PASSWORD}`);
        break;
      case 'protected-mode':
        // No password: clients from any source other than 127.0.0.1/::1 get -DENIED.
        lines.push('protected-mode yes');
        break;
      case 'limited':
        // Password-less login works, but INFO is refused with -NOPERM: "exposed (limited)".
        lines.push('protected-mode no', 'user default on nopass ~* &* +@all -info');
        break;
    }
    const conf = path.join(ctx.dir, 'redis.conf');
    await fs.writeFile(conf, lines.join('\n') + '\n');
    return [conf];
  },
  async ready(ctx) {
    const reply = await tcpExchange({ host: ctx.host, port: ctx.ports.redis as number, send: 'PING\r\n', timeoutMs: 1000 });
    return reply.startsWith('+PONG') || reply.startsWith('-NOAUTH');
  },
};

// system.query_log exists only when configured (18.16 ships it in the packaged config.xml; this test config does not
// have it unless asked). Flushed every 500 ms so a test sees its queries quickly (or after SYSTEM FLUSH LOGS).
const queryLogConfig = `  <query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>500</flush_interval_milliseconds></query_log>
`;

const clickhouse: Recipe = {
  binary: 'clickhouse-server',
  helpers: [],
  portNames: ['http', 'native'],
  ...openOrProtected('default'),
  logFiles: ['server.err.log', 'server.log', ...COMMON_LOGS],
  async prepare(ctx) {
    const d = ctx.dir;
    const data = path.join(d, 'data');
    await fs.mkdir(data, { recursive: true });
    // keep_alive_timeout 2: shutdown waits for idle keep-alive clients (10 s with the default).
    // display_name: otherwise the machine's host name appears in X-ClickHouse-Server-Display-Name.
    // No interserver_http_port, so no third listener and no host-name lookup for it.
    const config = `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${d}/server.log</log><errorlog>${d}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <display_name>audit-test</display_name>
  <keep_alive_timeout>2</keep_alive_timeout>
  <listen_host>${ctx.host}</listen_host><http_port>${ctx.ports.http}</http_port><tcp_port>${ctx.ports.native}</tcp_port>
  <path>${data}/</path><tmp_path>${data}/scratch/</tmp_path>
  <user_files_path>${data}/user_files/</user_files_path><format_schema_path>${data}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size><uncompressed_cache_size>268435456</uncompressed_cache_size>
${ctx.timezone !== undefined ? `  <timezone>${xmlText(ctx.timezone)}</timezone>\n` : ''}${ctx.queryLog ? queryLogConfig : ''}</yandex>
`;
    const password = ctx.protectedVariant ? PASSWORD : '';
    const users = `<?xml version="1.0"?>
<yandex><profiles><default>${ctx.queryLog ? '<log_queries>1</log_queries>' : ''}</default></profiles>
  <users><default><password>${password}</password><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas></yandex>
`;
    await fs.writeFile(path.join(d, 'config.xml'), config);
    await fs.writeFile(path.join(d, 'users.xml'), users);
    return [`--config-file=${path.join(d, 'config.xml')}`];
  },
  async ready(ctx) {
    // /ping answers "Ok." with or without auth.
    const res = await httpRequest({ host: ctx.host, port: ctx.ports.http as number, path: '/ping', timeoutMs: 2000 });
    return res.status === 200 && res.body.startsWith('Ok.');
  },
};

const memcached: Recipe = {
  binary: 'memcached',
  helpers: [],
  portNames: ['memcached'],
  // Runs as nobody through setpriv like the others (keeps --pdeathsig, which a setuid inside memcached would
  // clear); `-u nobody` is still passed when root and is ignored by memcached once it is not root.
  ...openOrProtected('admin'),
  logFiles: COMMON_LOGS,
  async prepare(ctx) {
    // -l is mandatory: without it memcached listens on INADDR_ANY. -U 0 disables UDP.
    // IPv6 literals need brackets, because -l also accepts host:port.
    const listen = ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host;
    const args = ['-l', listen, '-p', String(ctx.ports.memcached), '-U', '0', '-m', '16', '-c', '256'];
    if (isRoot()) args.unshift('-u', 'nobody');
    if (ctx.protectedVariant) {
      // ASCII auth file "user:pass"; must be readable by the run user (chown'd with the folder).
      const auth = path.join(ctx.dir, 'auth');
      await fs.writeFile(auth, `admin:${PASSWORD}\n`, { mode: 0o600 });
      args.push('-Y', auth);
    }
    return args;
  },
  async ready(ctx) {
    const reply = await tcpExchange({ host: ctx.host, port: ctx.ports.memcached as number, send: 'version\r\n', timeoutMs: 1000 });
    return reply.startsWith('VERSION ') || reply.startsWith('CLIENT_ERROR unauthenticated');
  },
};

const nginx: Recipe = {
  binary: 'nginx',
  helpers: ['htpasswd'],
  portNames: ['http'],
  ...openOrProtected('admin'),
  logFiles: ['error.log', ...COMMON_LOGS],
  async prepare(ctx) {
    const d = ctx.dir;
    await fs.mkdir(path.join(d, 'spool'), { recursive: true });
    if (ctx.protectedVariant) await htpasswdFile(path.join(d, 'htpasswd'), 'admin');
    const auth = ctx.protectedVariant ? ` auth_basic "status"; auth_basic_user_file ${d}/htpasswd;` : '';
    // master_process off: one process and no workers, so the recorded pid is the whole server and nothing
    // is orphaned if the master dies (a worker kept listening after its master was SIGKILLed).
    // As nobody no `user` directive is needed; `location /` doubles as a catch-all fixture.
    const conf = `daemon off; master_process off; worker_processes 1; pid ${d}/nginx.pid; error_log ${d}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${d}/access.log;
  client_body_temp_path ${d}/spool/body; proxy_temp_path ${d}/spool/proxy; fastcgi_temp_path ${d}/spool/fastcgi;
  uwsgi_temp_path ${d}/spool/uwsgi; scgi_temp_path ${d}/spool/scgi;
  server {
    listen ${hostPort(ctx.host, ctx.ports.http as number)};
    location = /nginx_status { stub_status;${auth} }
    location / { return 200 "nginx test server\\n"; }
  }
}
`;
    await fs.writeFile(path.join(d, 'nginx.conf'), conf);
    // -e keeps nginx away from the system log folder before it has read the config.
    return ['-p', d, '-e', path.join(d, 'error.log'), '-c', path.join(d, 'nginx.conf')];
  },
  async ready(ctx) {
    const res = await httpRequest({ host: ctx.host, port: ctx.ports.http as number, path: '/', timeoutMs: 2000 });
    return res.status > 0;
  },
};

const APACHE_MODULES = ['mpm_event', 'authz_core', 'authz_user', 'authn_core', 'authn_file', 'auth_basic', 'status'];

const apache: Recipe = {
  binary: 'apache2',
  helpers: ['htpasswd'],
  portNames: ['http'],
  ...openOrProtected('admin'),
  logFiles: ['error.log', ...COMMON_LOGS],
  async prepare(ctx) {
    const d = ctx.dir;
    if (ctx.protectedVariant) await htpasswdFile(path.join(d, 'htpasswd'), 'admin');
    const listen = hostPort(ctx.host, ctx.ports.http as number);
    // ServerName is set globally and per vhost: a vhost without one made Apache resolve its address
    // (AH00549), and that lookup left the machine. It is the IPv4 literal; Apache rejects "[::1]" (brackets
    // read as a glob), so ::1 uses `localhost`, which resolves from the hosts file. No comments after directives.
    const serverName = ctx.host.includes(':') ? 'localhost' : ctx.host;
    const access = ctx.protectedVariant
      ? ['    AuthType Basic', '    AuthName "status"', `    AuthUserFile "${d}/htpasswd"`, '    Require valid-user']
      : ['    Require all granted'];
    const conf = [
      `ServerRoot "${d}"`,
      `ServerName ${serverName}`,
      `DefaultRuntimeDir "${d}"`,
      `PidFile "${d}/httpd.pid"`,
      `ErrorLog "${d}/error.log"`,
      'LogLevel warn',
      `Mutex file:${d} default`,
      ...APACHE_MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
      'StartServers 1',
      'ServerLimit 1',
      'ThreadsPerChild 16',
      'MaxRequestWorkers 16',
      'ExtendedStatus On',
      `DocumentRoot "${d}"`,
      `Listen ${listen}`,
      `<VirtualHost ${listen}>`,
      `  ServerName ${serverName}`,
      '  <Location "/server-status">',
      '    SetHandler server-status',
      ...access,
      '  </Location>',
      '</VirtualHost>',
    ].join('\n');
    await fs.writeFile(path.join(d, 'httpd.conf'), conf + '\n');
    // -X: one process without children, so the recorded pid is the whole server and nothing is orphaned
    // if it dies (a child survived its SIGKILLed parent, ignored SIGTERM and kept listening).
    return ['-f', path.join(d, 'httpd.conf'), '-DFOREGROUND', '-X'];
  },
  async ready(ctx) {
    return httpAnswers(ctx, '/server-status', [200, 401]);
  },
};

const prometheus: Recipe = {
  binary: 'prometheus',
  helpers: ['htpasswd'],
  portNames: ['http'],
  ...openOrProtected('admin'),
  logFiles: COMMON_LOGS,
  async prepare(ctx) {
    const d = ctx.dir;
    const listen = hostPort(ctx.host, ctx.ports.http as number);
    await fs.writeFile(path.join(d, 'prometheus.yml'), 'global:\n  scrape_interval: 60s\nscrape_configs: []\n');
    // The default listen address is 0.0.0.0:9090, so it is always passed. The external URL is given as a
    // literal so Prometheus never derives one from the machine's host name.
    const args = [
      `--config.file=${d}/prometheus.yml`,
      `--storage.tsdb.path=${d}/data`,
      '--storage.tsdb.retention.time=1h',
      `--web.listen-address=${listen}`,
      `--web.external-url=http://${listen}/`,
    ];
    if (ctx.protectedVariant) {
      await fs.writeFile(path.join(d, 'web.yml'), `basic_auth_users:\n  admin: ${await bcryptHash('admin')}\n`);
      args.push(`--web.config.file=${d}/web.yml`);
    }
    return args;
  },
  async ready(ctx) {
    // 503 while the TSDB opens; 401 once ready when basic auth is on.
    return httpAnswers(ctx, '/-/ready', [200, 401]);
  },
};

function etcdClientUrl(ctx: RecipeContext): string {
  return `http://${hostPort(ctx.host, ctx.ports.client as number)}`;
}

const etcd: Recipe = {
  binary: 'etcd',
  helpers: ['etcdctl'],
  portNames: ['client', 'peer'],
  ...openOrProtected('root'),
  logFiles: COMMON_LOGS,
  async prepare(ctx) {
    // Client and peer URLs are both on the instance's loopback literal; the peer port is never probed.
    const client = etcdClientUrl(ctx);
    const peer = `http://${hostPort(ctx.host, ctx.ports.peer as number)}`;
    return [
      '--name',
      't1',
      '--data-dir',
      path.join(ctx.dir, 'data'),
      '--listen-client-urls',
      client,
      '--advertise-client-urls',
      client,
      '--listen-peer-urls',
      peer,
      '--initial-advertise-peer-urls',
      peer,
      '--initial-cluster',
      `t1=${peer}`,
      '--initial-cluster-state',
      'new',
      '--log-outputs',
      'stderr',
    ];
  },
  async ready(ctx) {
    const res = await httpRequest({ host: ctx.host, port: ctx.ports.client as number, path: '/health', timeoutMs: 2000 });
    return res.status === 200 && res.body.includes('"health":"true"');
  },
  async afterReady(ctx) {
    if (!ctx.protectedVariant) return;
    // Auth persists in the data dir. /health, /version and /metrics still answer with auth on.
    const etcdctl = requireBinary('etcdctl');
    const base = [`--endpoints=${etcdClientUrl(ctx)}`, '--dial-timeout=3s', '--command-timeout=5s'];
    const env = { ...process.env, ETCDCTL_API: '3' };
    for (const cmd of [
      ['user', 'add', `root:${PASSWORD}`],
      ['user', 'grant-role', 'root', 'root'],
      ['auth', 'enable'],
    ]) {
      await execFileP(etcdctl, [...base, ...cmd], { env, timeout: 15_000 });
    }
  },
};

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const influxdb: Recipe = {
  binary: 'influxd',
  helpers: [],
  // http is probed; rpc is the backup/restore service (default 127.0.0.1:8088), moved to the instance's address.
  portNames: ['http', 'rpc'],
  // no-admin: auth-enabled with no user yet (403 "create admin user first"): anyone may create the first admin.
  variants: ['open', 'protected', 'no-admin'],
  passwordVariants: ['protected'],
  user: 'admin',
  dropPrivileges: true,
  logFiles: COMMON_LOGS,
  async prepare(ctx) {
    // Debian's 1.6 defaults: HTTP on ":8086" (all interfaces), ifql RPC on ":8082", backup RPC on 127.0.0.1:8088 —
    // every one is set here to the instance's literal or turned off. query-log-enabled and the HTTP access log
    // (stderr) are the read-only proof.
    const d = ctx.dir;
    const conf = [
      'reporting-disabled = true',
      `bind-address = "${hostPort(ctx.host, ctx.ports.rpc as number)}"`,
      '[meta]',
      `  dir = "${d}/meta"`,
      '[data]',
      `  dir = "${d}/data"`,
      `  wal-dir = "${d}/wal"`,
      '  query-log-enabled = true',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      '  enabled = true',
      `  bind-address = "${hostPort(ctx.host, ctx.ports.http as number)}"`,
      `  auth-enabled = ${ctx.variant === 'open' ? 'false' : 'true'}`,
      '  log-enabled = true',
      '[ifql]',
      '  enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '[subscriber]',
      '  enabled = false',
    ];
    await fs.writeFile(path.join(d, 'influxdb.conf'), conf.join('\n') + '\n');
    return ['-config', path.join(d, 'influxdb.conf')];
  },
  async ready(ctx) {
    return httpAnswers(ctx, '/ping', [204]);
  },
  async afterReady(ctx) {
    if (ctx.variant !== 'protected') return;
    // With auth on and no user, the one statement InfluxDB 1.x accepts unauthenticated creates the first admin.
    const q = encodeURIComponent(`CREATE USER admin WITH PASSWORD '${PASSWORD}' WITH ALL PRIVILEGES`);
    const res = await httpRequest({
      host: ctx.host,
      port: ctx.ports.http as number,
      method: 'POST',
      path: `/query?q=${q}`,
      timeoutMs: 5000,
    });
    if (res.status !== 200) throw new Error(`influxdb admin user: ${res.status} ${res.body.slice(0, 200)}`);
  },
};

const zookeeper: Recipe = {
  binary: 'java',
  helpers: [],
  portNames: ['client'],
  // open: 4lw whitelist srvr,mntr; default: Debian/upstream default (no whitelist line: only srvr answers).
  variants: ['open', 'default'],
  passwordVariants: [],
  user: 'none',
  dropPrivileges: true,
  logFiles: COMMON_LOGS,
  async prepare(ctx) {
    // clientPortAddress pins the client port to the instance's literal (Debian's zoo.cfg has none: all interfaces);
    // the AdminServer (Jetty on 0.0.0.0:8080 by default) is off.
    const lines = [
      'tickTime=2000',
      `dataDir=${ctx.dir}/data`,
      `clientPort=${ctx.ports.client}`,
      `clientPortAddress=${ctx.host}`,
      'admin.enableServer=false',
      'maxClientCnxns=60',
    ];
    if (ctx.variant === 'open') lines.push('4lw.commands.whitelist=srvr,mntr');
    await fs.writeFile(path.join(ctx.dir, 'zoo.cfg'), lines.join('\n') + '\n');
    return [
      '-Xmx256m',
      '-Djava.net.preferIPv4Stack=true',
      '-cp',
      '/usr/share/java/zookeeper.jar',
      'org.apache.zookeeper.server.ZooKeeperServerMain',
      path.join(ctx.dir, 'zoo.cfg'),
    ];
  },
  async ready(ctx) {
    const reply = await tcpExchange({
      host: ctx.host,
      port: ctx.ports.client as number,
      send: 'srvr',
      until: () => false,
      timeoutMs: 1000,
    });
    return reply.includes('Zookeeper version:');
  },
};

/** Debian's PostgreSQL 15 binaries, by absolute path: a /usr/local/bin/postgres on PATH may be something else. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Runs a setup program as nobody when root (initdb and mariadb-install-db refuse root or must not leave root-owned files). */
async function asServerUser(file: string, args: string[], dir: string): Promise<void> {
  if (isRoot()) {
    await execFileP('chown', ['-R', 'nobody:nogroup', dir], { timeout: 15_000 });
    await execFileP(requireBinary('setpriv'), ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', file, ...args], {
      timeout: 120_000,
      cwd: dir,
    });
  } else {
    await execFileP(file, args, { timeout: 120_000, cwd: dir });
  }
}

/** A StartupMessage (user postgres, database postgres) for the readiness check. */
function pgStartup(): Buffer {
  const pairs = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + pairs.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, pairs]);
}

const postgres: Recipe = {
  binary: `${PG_BIN}/postgres`,
  helpers: [`${PG_BIN}/initdb`, `${PG_BIN}/psql`],
  portNames: ['postgres'],
  // open: host lines `trust`; protected: scram-sha-256 with a password for postgres; denied: no host line at all;
  // ssl-only: ssl=on with a self-signed certificate and only `hostssl … trust` lines (a plain client gets 28000).
  variants: ['open', 'protected', 'denied', 'ssl-only'],
  passwordVariants: ['protected'],
  user: 'postgres',
  dropPrivileges: true,
  logFiles: COMMON_LOGS,
  async prepare(ctx) {
    const data = path.join(ctx.dir, 'data');
    const pw = path.join(ctx.dir, 'pwfile');
    await fs.writeFile(pw, `${PASSWORD}\n`, { mode: 0o600 });
    await asServerUser(
      `${PG_BIN}/initdb`,
      ['-D', data, '-U', 'postgres', '--pwfile', pw, '-A', 'scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale=C'],
      ctx.dir,
    );
    const host = { open: 'trust', protected: 'scram-sha-256' }[ctx.variant];
    // The unix socket (in the instance folder) stays trust for the fixture writer; TCP follows the variant.
    const ssl = ctx.variant === 'ssl-only';
    const hba = [
      'local all all trust',
      ...(host ? [`host all all 127.0.0.0/8 ${host}`, `host all all ::1/128 ${host}`] : []),
      ...(ssl ? ['hostssl all all 127.0.0.0/8 trust', 'hostssl all all ::1/128 trust'] : []),
    ];
    await fs.writeFile(path.join(data, 'pg_hba.conf'), hba.join('\n') + '\n');
    if (ssl) {
      // A self-signed P-256 certificate, made by the server user (PostgreSQL wants its key owned by it, mode 0600).
      await asServerUser(
        requireBinary('openssl'),
        selfSignedCertArgs(path.join(data, 'server.key'), path.join(data, 'server.crt')),
        ctx.dir,
      );
      await fs.chmod(path.join(data, 'server.key'), 0o600);
    }
    // log_statement=all + the client address and application in every line: the read-only proof reads stderr.log.
    return [
      '-D',
      data,
      '-h',
      ctx.host,
      '-p',
      String(ctx.ports.postgres),
      '-k',
      ctx.dir,
      '-c',
      'log_statement=all',
      '-c',
      'log_connections=on',
      '-c',
      'log_line_prefix=%m [%p] host=%h app=%a db=%d ',
      '-c',
      'shared_buffers=16MB',
      '-c',
      'max_connections=30',
      '-c',
      'fsync=off',
      ...(ssl ? ['-c', 'ssl=on', '-c', 'ssl_cert_file=server.crt', '-c', 'ssl_key_file=server.key'] : []),
    ];
  },
  async ready(ctx) {
    const reply = await tcpExchange({
      host: ctx.host,
      port: ctx.ports.postgres as number,
      send: pgStartup(),
      timeoutMs: 1000,
      until: (t) => t.length >= 9,
    });
    // R (an authentication request or Ok) or E (refused) — but not 57P03 "the database system is starting up".
    return (reply.startsWith('R') || reply.startsWith('E')) && !reply.includes('57P03');
  },
};

/** Fixture tables for the MariaDB instances (setup only; written by the server's own --init-file at start). */
const MARIADB_SEED = [
  'CREATE DATABASE IF NOT EXISTS shop',
  'CREATE TABLE IF NOT EXISTS shop.customers (id INT PRIMARY KEY, email VARCHAR(200), api_key VARCHAR(200)) ENGINE=InnoDB',
  "INSERT IGNORE INTO shop.customers VALUES (1, 'ann@example.com', 'sk_live_0000000000000000aaaa'), (2, 'bob@example.com', 'none'), (3, 'cy@example.com', 'none')",
  'CREATE TABLE IF NOT EXISTS shop.orders (id INT PRIMARY KEY, total DECIMAL(10,2)) ENGINE=InnoDB',
  'INSERT IGNORE INTO shop.orders VALUES (1, 9.50), (2, 12.00)',
];

const mariadb: Recipe = {
  binary: '/usr/sbin/mariadbd',
  helpers: ['mariadb-install-db', 'mariadb'],
  portNames: ['mysql'],
  // open: root@'127.%' without a password; protected: root@'127.%' with one; denied: no account matches a
  // TCP client at all (root@localhost matches only the unix socket with --skip-name-resolve) → ERR 1130.
  variants: ['open', 'protected', 'denied'],
  passwordVariants: ['protected'],
  user: 'root',
  dropPrivileges: true,
  logFiles: ['error.log', ...COMMON_LOGS],
  async prepare(ctx) {
    const data = path.join(ctx.dir, 'data');
    await asServerUser(
      requireBinary('mariadb-install-db'),
      [
        '--no-defaults',
        `--datadir=${data}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        `--tmpdir=${ctx.dir}`,
      ],
      ctx.dir,
    );
    const account = {
      open: "CREATE USER IF NOT EXISTS 'root'@'127.%'",
      protected: `CREATE USER IF NOT EXISTS 'root'@'127.%' IDENTIFIED BY '${PASSWORD}'`,
    }[ctx.variant];
    // --auth-root-authentication-method=normal also creates root@127.0.0.1, root@::1 and root@<host name>
    // without a password: removed, so the variant alone decides what a TCP client from 127.x gets.
    const init = [
      ...MARIADB_SEED,
      "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost'",
      'FLUSH PRIVILEGES',
      ...(account ? [account, "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.%' WITH GRANT OPTION"] : []),
    ];
    await fs.writeFile(path.join(ctx.dir, 'init.sql'), init.map((l) => `${l};`).join('\n') + '\n');
    // --skip-name-resolve: no reverse lookup of any client. The general log records every statement received.
    return [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${path.join(ctx.dir, 'mysqld.sock')}`,
      `--pid-file=${path.join(ctx.dir, 'mysqld.pid')}`,
      `--bind-address=${ctx.host}`,
      `--port=${ctx.ports.mysql}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      `--log-error=${path.join(ctx.dir, 'error.log')}`,
      '--general-log=1',
      `--general-log-file=${path.join(ctx.dir, 'general.log')}`,
      `--init-file=${path.join(ctx.dir, 'init.sql')}`,
      `--tmpdir=${ctx.dir}`,
      '--innodb-buffer-pool-size=16M',
      '--max-connections=30',
    ];
  },
  async ready(ctx) {
    const reply = await tcpExchange({
      host: ctx.host,
      port: ctx.ports.mysql as number,
      send: Buffer.alloc(0),
      timeoutMs: 1000,
      until: (t) => t.length >= 5,
    });
    // The server speaks first: a Handshake v10 (0x0a) or, for a host with no account, ERR (0xff) 1130.
    return reply.length >= 5 && (reply.charCodeAt(4) === 0x0a || reply.charCodeAt(4) === 0xff || reply.charCodeAt(4) === 0xfffd);
  },
};

export const RECIPES: Record<ServerKind, Recipe> = {
  redis,
  clickhouse,
  memcached,
  nginx,
  apache,
  prometheus,
  etcd,
  influxdb,
  zookeeper,
  postgres,
  mariadb,
  ...LONGTAIL_RECIPES,
};
