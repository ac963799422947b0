// Recipes for the long-tail test servers: Mosquitto and Docker Registry (Debian 12 packages) and Node-RED,
// Verdaccio and PouchDB Server (npm, installed by scripts/install-test-deps.sh under the repository's .test-tools/).
// Safety: every listener is the instance's loopback literal; the npm servers are configured so that they never
// reach out (no uplinks, no telemetry, no palette catalogue); the seeds are written by this setup code, never by a probe.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { seededFlows } from '../../../signatures/node-red.replies.js';
import { httpRequest, tcpExchange } from './loopback.js';
import { requireBinary, testToolsDir } from './processes.js';
import { selfSignedCertArgs } from './self-signed.js';
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

const execFileP = promisify(execFile);

/** The bin of an npm test server, as installed by scripts/install-test-deps.sh (absolute; absent when not installed). */
export function npmToolBin(tool: string, bin: string): string {
  return testToolsDir(tool, 'node_modules', '.bin', bin);
}

const httpPort = (ctx: RecipeContext): number => ctx.ports.http as number;

/** The admin's Basic credentials for seeding a protected instance (none for an open one). */
function adminAuth(ctx: RecipeContext): Record<string, string> {
  return ctx.protectedVariant ? { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` } : {};
}

// ---- Mosquitto 2.0 (Debian) ----

const mosquitto: Recipe = {
  binary: 'mosquitto',
  helpers: ['mosquitto_passwd', 'openssl'],
  portNames: ['mqtt', 'mqtts'],
  // open: allow_anonymous true; protected: a password file (anonymous refused: CONNACK 5).
  ...openOrProtected('admin'),
  logFiles: ['mosquitto.log', ...COMMON_LOGS],
  async prepare(ctx) {
    const d = ctx.dir;
    // A throwaway self-signed certificate for the TLS listener (never verified by the auditor).
    await execFileP(requireBinary('openssl'), selfSignedCertArgs(path.join(d, 'key.pem'), path.join(d, 'cert.pem')), {
      timeout: 15_000,
    });
    const lines = [
      'per_listener_settings false',
      'persistence false',
      `log_dest file ${path.join(d, 'mosquitto.log')}`,
      `listener ${ctx.ports.mqtt} ${ctx.host}`,
      `listener ${ctx.ports.mqtts} ${ctx.host}`,
      `certfile ${path.join(d, 'cert.pem')}`,
      `keyfile ${path.join(d, 'key.pem')}`,
    ];
    if (ctx.protectedVariant) {
      const passwd = path.join(d, 'passwd');
      await execFileP(requireBinary('mosquitto_passwd'), ['-b', '-c', passwd, 'admin', PASSWORD], { timeout: 15_000 });
      lines.push('allow_anonymous false', `password_file ${passwd}`);
    } else {
      lines.push('allow_anonymous true');
    }
    const conf = path.join(d, 'mosquitto.conf');
    await fsp.writeFile(conf, lines.join('\n') + '\n');
    return ['-c', conf];
  },
  async ready(ctx) {
    // Any CONNACK (20 02 ..) means the broker is up, whatever it decided.
    const reply = await tcpExchange({
      host: ctx.host,
      port: ctx.ports.mqtt as number,
      send: connectFrame(),
      timeoutMs: 1000,
      until: (t) => t.length >= 4,
    });
    return reply.charCodeAt(0) === 0x20;
  },
};

/** MQTT 3.1.1 CONNECT, clean session, no credentials, keepalive 5 s (readiness only; the probe builds its own). */
function connectFrame(): Buffer {
  const id = Buffer.from('ea-ready');
  const body = Buffer.concat([Buffer.from([0, 4]), Buffer.from('MQTT'), Buffer.from([4, 2, 0, 5, 0, id.length]), id]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

// ---- Docker Registry 2.8 (Debian docker-registry) ----

const registryRepos: Array<[string, string[]]> = [
  ['ml/train-api', ['latest', 'v1', 'v2']],
  ['payments-service', ['1.4.2']],
];

/** Pushes a config-only image (no layers) under each seed repository and tag: setup of our own test registry. */
async function seedRegistry(ctx: RecipeContext): Promise<void> {
  const auth = adminAuth(ctx);
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} });
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: Buffer.byteLength(config), digest },
    layers: [],
  });
  const req = (method: string, p: string, body?: string, headers: Record<string, string> = {}) =>
    httpRequest({
      host: ctx.host,
      port: httpPort(ctx),
      path: p,
      method,
      headers: { ...auth, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
  for (const [name, tags] of registryRepos) {
    const start = await req('POST', `/v2/${name}/blobs/uploads/`, '');
    const location = String(start.headers.location ?? '');
    const url = new URL(location, `http://${ctx.host}:${httpPort(ctx)}`);
    if (start.status !== 202 || url.hostname !== ctx.host) throw new Error(`registry seed: upload start answered ${start.status}`);
    const put = await req('PUT', `${url.pathname}${url.search}&digest=${encodeURIComponent(digest)}`, config, {
      'content-type': 'application/octet-stream',
      'content-length': String(Buffer.byteLength(config)),
    });
    if (put.status !== 201) throw new Error(`registry seed: blob upload answered ${put.status}`);
    for (const tag of tags) {
      const m = await req('PUT', `/v2/${name}/manifests/${tag}`, manifest, {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'content-length': String(Buffer.byteLength(manifest)),
      });
      if (m.status !== 201) throw new Error(`registry seed: manifest ${name}:${tag} answered ${m.status}`);
    }
  }
}

const dockerRegistry: Recipe = {
  binary: 'docker-registry',
  helpers: ['htpasswd'],
  portNames: ['http'],
  ...openOrProtected('admin'),
  logFiles: COMMON_LOGS,
  async prepare(ctx) {
    const d = ctx.dir;
    const lines = [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(d, 'data')}`,
      'http:',
      `  addr: ${ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host}:${httpPort(ctx)}`,
    ];
    if (ctx.protectedVariant) {
      await htpasswdFile(path.join(d, 'htpasswd'), 'admin');
      lines.push('auth:', '  htpasswd:', '    realm: registry', `    path: ${path.join(d, 'htpasswd')}`);
    }
    await fsp.writeFile(path.join(d, 'config.yml'), lines.join('\n') + '\n');
    return ['serve', path.join(d, 'config.yml')];
  },
  ready: (ctx) => httpAnswers(ctx, '/v2/', [200, 401]),
  afterReady: seedRegistry,
};

// ---- Node-RED 4.1 (npm) ----

const nodeRed: Recipe = {
  binary: process.execPath,
  helpers: [npmToolBin('node-red', 'node-red')],
  portNames: ['http'],
  ...openOrProtected('admin'),
  logFiles: COMMON_LOGS,
  retitle: 'node-red',
  async prepare(ctx) {
    const d = ctx.dir;
    // No telemetry, no update check, no palette catalogue: nothing leaves the machine.
    const settings: Record<string, unknown> = {
      uiHost: ctx.host,
      uiPort: httpPort(ctx),
      userDir: d,
      flowFile: 'flows.json',
      credentialSecret: false,
      logging: { console: { level: 'warn' } },
      telemetry: { enabled: false, updateNotification: false },
      editorTheme: { tours: false, palette: { catalogues: [] } },
    };
    if (ctx.protectedVariant) {
      settings.adminAuth = { type: 'credentials', users: [{ username: 'admin', password: await bcryptHash('admin'), permissions: '*' }] };
    }
    await fsp.writeFile(path.join(d, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
    await fsp.writeFile(path.join(d, 'flows.json'), JSON.stringify(seededFlows));
    return [npmToolBin('node-red', 'node-red'), '--settings', path.join(d, 'settings.js'), '--userDir', d];
  },
  ready: (ctx) => httpAnswers(ctx, '/flows', [200, 401]),
};

// ---- Verdaccio 5.33 (npm) ----

const verdaccioPackage = {
  name: 'internal-billing-sdk',
  version: '1.2.0',
  description: 'Billing client for the payments service',
  main: 'index.js',
  author: { name: 'Platform team' },
  license: 'UNLICENSED',
};

/** Storage as Verdaccio 5 writes it for a published package (.verdaccio-db.json lists local packages). */
async function seedVerdaccio(storage: string, base: string): Promise<void> {
  const p = verdaccioPackage;
  const at = '2026-11-30T10:00:00.000Z';
  await fsp.mkdir(path.join(storage, p.name), { recursive: true });
  await fsp.writeFile(
    path.join(storage, '.verdaccio-db.json'),
    JSON.stringify({ list: [p.name], secret: 'ea-test-secret-0000000000000000' }),
  );
  await fsp.writeFile(
    path.join(storage, p.name, 'package.json'),
    JSON.stringify({
      name: p.name,
      versions: { [p.version]: { ...p, dist: { tarball: `${base}/${p.name}/-/${p.name}-${p.version}.tgz`, shasum: '0'.repeat(40) } } },
      time: { modified: at, created: at, [p.version]: at },
      'dist-tags': { latest: p.version },
      _uplinks: {},
      _distfiles: {},
      _attachments: {},
      _rev: '1-0000000000000000',
      _id: p.name,
      readme: 'internal',
    }),
  );
}

const verdaccio: Recipe = {
  binary: process.execPath,
  helpers: [npmToolBin('verdaccio', 'verdaccio')],
  portNames: ['http'],
  ...openOrProtected('admin'),
  logFiles: COMMON_LOGS,
  retitle: 'verdaccio',
  async prepare(ctx) {
    const d = ctx.dir;
    const storage = path.join(d, 'storage');
    await seedVerdaccio(storage, `http://${ctx.host}:${httpPort(ctx)}`);
    await htpasswdFile(path.join(d, 'htpasswd'), 'admin');
    const access = ctx.protectedVariant ? '$authenticated' : '$all';
    // No uplinks: an unknown package name is never looked up on a public registry.
    const config = [
      `storage: ${storage}`,
      `listen: ${ctx.host}:${httpPort(ctx)}`,
      'web:',
      '  enable: true',
      'auth:',
      '  htpasswd:',
      `    file: ${path.join(d, 'htpasswd')}`,
      '    max_users: -1',
      'uplinks: {}',
      'packages:',
      "  '**':",
      `    access: ${access}`,
      '    publish: $authenticated',
      'server:',
      '  keepAliveTimeout: 2',
      'log: { type: stdout, format: json, level: warn }',
    ];
    await fsp.writeFile(path.join(d, 'config.yaml'), config.join('\n') + '\n');
    return [npmToolBin('verdaccio', 'verdaccio'), '--config', path.join(d, 'config.yaml')];
  },
  ready: (ctx) => httpAnswers(ctx, '/-/ping', [200]),
};

// ---- PouchDB Server 4.2 (npm, --in-memory) ----

const pouchdbServer: Recipe = {
  binary: process.execPath,
  helpers: [npmToolBin('pouchdb-server', 'pouchdb-server')],
  portNames: ['http'],
  // open: no admins ("admin party"); protected: a server admin configured (express-pouchdb still serves /_all_dbs).
  ...openOrProtected('admin'),
  logFiles: ['log.txt', ...COMMON_LOGS],
  async prepare(ctx) {
    const d = ctx.dir;
    const config = { log: { file: path.join(d, 'log.txt') }, ...(ctx.protectedVariant ? { admins: { admin: PASSWORD } } : {}) };
    await fsp.writeFile(path.join(d, 'config.json'), JSON.stringify(config));
    return [
      npmToolBin('pouchdb-server', 'pouchdb-server'),
      '--host',
      ctx.host,
      '--port',
      String(httpPort(ctx)),
      '--in-memory',
      '--config',
      path.join(d, 'config.json'),
      '--no-stdout-logs',
    ];
  },
  ready: (ctx) => httpAnswers(ctx, '/', [200]),
  async afterReady(ctx) {
    // One application database with one document (setup of our own server, as the admin when there is one).
    const auth = adminAuth(ctx);
    const put = (p: string, body: string) =>
      httpRequest({
        host: ctx.host,
        port: httpPort(ctx),
        path: p,
        method: 'PUT',
        body,
        headers: { ...auth, 'content-type': 'application/json' },
      });
    const db = await put('/orders', '');
    const doc = await put('/orders/o1', JSON.stringify({ total: 9.5 }));
    if (db.status !== 201 || doc.status !== 201) throw new Error(`pouchdb seed answered ${db.status}/${doc.status}`);
  },
};

export const LONGTAIL_RECIPES = {
  mosquitto,
  'docker-registry': dockerRegistry,
  'node-red': nodeRed,
  verdaccio,
  'pouchdb-server': pouchdbServer,
} as const;
