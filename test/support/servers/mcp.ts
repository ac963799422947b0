// Real MCP servers from npm (installed by scripts/install-test-deps.sh into .test-tools/), started on a 127.x.y.z
// literal and stopped by pid. None of these programs takes a listen address (server-everything, supergateway and
// Inspector 0.14.0 call app.listen(PORT) = every interface), so each node process is started with a `--require`
// preload that rewrites net.Server#listen to the one loopback host given (and refuses anything else).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { assertLoopback, releasePorts, reservePorts } from './loopback.js';
import { logTail, spawnServer, stopPid, testToolsDir } from './processes.js';

export type McpServerKind =
  /** @modelcontextprotocol/server-everything, Streamable HTTP at /mcp (sessions). */
  | 'everything-streamable'
  /** server-everything, legacy SSE (/sse, /message). */
  | 'everything-sse'
  /** @modelcontextprotocol/server-filesystem (stdio) behind supergateway, Streamable HTTP stateless. */
  | 'filesystem-streamable'
  /** The same, supergateway --stateful (sessions). */
  | 'filesystem-stateful'
  /** The same behind supergateway's legacy SSE output. */
  | 'filesystem-sse'
  /** An @modelcontextprotocol/sdk server (McpServer + StreamableHTTPServerTransport) with two plain tools. */
  | 'sdk-open'
  /** The same behind requireBearerAuth, with OAuth protected-resource metadata. */
  | 'sdk-bearer'
  /** MCP Inspector 0.14.0's proxy (no authentication: CVE-2025-49596). */
  | 'inspector-0.14.0'
  /** MCP Inspector's proxy from @modelcontextprotocol/inspector-server 0.14.1+ (session token). */
  | 'inspector-token';

export interface McpServer {
  kind: McpServerKind;
  host: string;
  port: number;
  pid: number;
  dir: string;
  /** The folder the filesystem server may touch (it is never touched: tools are never called). */
  root?: string;
  log(): string;
  stop(): Promise<void>;
}

export const mcpToolsDir = (): string => process.env.EA_MCP_TOOLS ?? testToolsDir('mcp');
export const inspectorToolsDir = (): string => process.env.EA_MCP_INSPECTOR_TOOLS ?? testToolsDir('mcp-inspector');

const pkg = (root: string, name: string, file: string) => path.join(root, 'node_modules', name, file);

const files = {
  everything: () => pkg(mcpToolsDir(), '@modelcontextprotocol/server-everything', 'dist/index.js'),
  filesystem: () => pkg(mcpToolsDir(), '@modelcontextprotocol/server-filesystem', 'dist/index.js'),
  supergateway: () => pkg(mcpToolsDir(), 'supergateway', 'dist/index.js'),
  sdk: () => pkg(mcpToolsDir(), '@modelcontextprotocol/sdk', 'package.json'),
  inspector: () => pkg(inspectorToolsDir(), '@modelcontextprotocol/inspector', 'server/build/index.js'),
  inspectorToken: () => pkg(inspectorToolsDir(), '@modelcontextprotocol/inspector-server', 'build/index.js'),
};

const needs: Record<McpServerKind, Array<keyof typeof files>> = {
  'everything-streamable': ['everything'],
  'everything-sse': ['everything'],
  'filesystem-streamable': ['filesystem', 'supergateway'],
  'filesystem-stateful': ['filesystem', 'supergateway'],
  'filesystem-sse': ['filesystem', 'supergateway'],
  'sdk-open': ['sdk'],
  'sdk-bearer': ['sdk'],
  'inspector-0.14.0': ['inspector'],
  'inspector-token': ['inspectorToken'],
};

export function mcpServerAvailable(kind: McpServerKind): boolean {
  return needs[kind].every((f) => fs.existsSync(files[f]()));
}

/** net.Server#listen bound to EA_LISTEN_HOST whatever the program asked for; refuses a non-loopback host. */
const preload = `'use strict';
const net = require('node:net');
const host = process.env.EA_LISTEN_HOST || '';
if (!/^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$/.test(host)) throw new Error('EA_LISTEN_HOST must be a 127.x.y.z literal');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] !== null && typeof args[0] === 'object') args[0] = { ...args[0], host };
  else if (typeof args[0] === 'number' || typeof args[0] === 'string') args = [Number(args[0]), host, ...args.slice(1).filter((a) => typeof a === 'function')];
  return listen.apply(this, args);
};
`;

/** An SDK server: McpServer with two harmless tools, Streamable HTTP with sessions, optionally behind requireBearerAuth. */
function sdkServerSource(sdkRoot: string): string {
  const at = (p: string) => JSON.stringify(`file://${path.join(sdkRoot, 'dist/esm', p)}`);
  return `import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { McpServer } from ${at('server/mcp.js')};
import { StreamableHTTPServerTransport } from ${at('server/streamableHttp.js')};
import { requireBearerAuth } from ${at('server/auth/middleware/bearerAuth.js')};
import { mcpAuthMetadataRouter, getOAuthProtectedResourceMetadataUrl } from ${at('server/auth/router.js')};
import { InvalidTokenError } from ${at('server/auth/errors.js')};
const require = createRequire(${JSON.stringify(path.join(sdkRoot, 'package.json'))});
const express = require('express');
const { z } = require('zod');
const port = Number(process.env.PORT);
const publicUrl = new URL(process.env.EA_PUBLIC_URL);
const app = express();
app.use(express.json());
const sessions = new Map();
function mcp() {
  const server = new McpServer({ name: 'ea-test-sdk-server', version: '1.0.0' });
  server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
  server.registerTool('get-weather-forecast', { description: 'A canned forecast for a city', inputSchema: { city: z.string() } }, async () => ({ content: [{ type: 'text', text: 'sunny' }] }));
  return server;
}
const guard = [];
if (process.env.EA_BEARER) {
  const mcpUrl = new URL('/mcp', publicUrl);
  app.use(mcpAuthMetadataRouter({ oauthMetadata: { issuer: publicUrl.href, authorization_endpoint: new URL('/authorize', publicUrl).href, token_endpoint: new URL('/token', publicUrl).href, response_types_supported: ['code'] }, resourceServerUrl: mcpUrl }));
  guard.push(requireBearerAuth({ verifier: { verifyAccessToken: async (t) => { if (t !== process.env.EA_BEARER) throw new InvalidTokenError('bad token'); return { token: t, clientId: 'c', scopes: [], expiresAt: Date.now() / 1000 + 3600 }; } }, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) }));
}
app.all('/mcp', ...guard, async (req, res) => {
  const sid = req.headers['mcp-session-id'];
  let transport = sid ? sessions.get(sid) : undefined;
  if (!transport) {
    if (sid || req.method !== 'POST') { res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null }); return; }
    transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => sessions.set(id, transport) });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await mcp().connect(transport);
  }
  await transport.handleRequest(req, res, req.body);
});
app.listen(port, () => console.log('listening on ' + port));
`;
}

function argsFor(kind: McpServerKind, port: number, root: string | undefined): string[] {
  const fsCommand = `${JSON.stringify(process.execPath)} ${JSON.stringify(files.filesystem())} ${JSON.stringify(root)}`;
  const gateway = (...extra: string[]) => [
    files.supergateway(),
    '--stdio',
    fsCommand,
    '--port',
    String(port),
    '--logLevel',
    'info',
    ...extra,
  ];
  switch (kind) {
    case 'everything-streamable':
      return [files.everything(), 'streamableHttp'];
    case 'everything-sse':
      return [files.everything(), 'sse'];
    case 'filesystem-streamable':
      return gateway('--outputTransport', 'streamableHttp');
    case 'filesystem-stateful':
      return gateway('--outputTransport', 'streamableHttp', '--stateful');
    case 'filesystem-sse':
      return gateway('--outputTransport', 'sse');
    case 'sdk-open':
    case 'sdk-bearer':
      return ['server.mjs'];
    case 'inspector-0.14.0':
      return [files.inspector()];
    case 'inspector-token':
      return [files.inspectorToken()];
  }
}

async function waitListening(host: string, port: number, alive: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port }, () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`MCP server on ${host}:${port} did not start`);
}

export interface McpStartOptions {
  kind: McpServerKind;
  host: string;
  port?: number;
  /** sdk-bearer: the token it accepts (default: random). */
  bearer?: string;
  /** sdk-*: the URL clients reach it at (a recording proxy in front), for resource_metadata. */
  publicUrl?: string;
}

export async function startMcpServer(opts: McpStartOptions): Promise<McpServer> {
  assertLoopback(opts.host);
  if (!mcpServerAvailable(opts.kind)) throw new Error(`${opts.kind} is not installed (run: npm run test:setup)`);
  const ports = await reservePorts(opts.host, ['http'], opts.port ? { http: opts.port } : {});
  const port = ports.http!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-mcp-'));
  const root = opts.kind.startsWith('filesystem') ? fs.mkdtempSync(path.join(dir, 'root-')) : undefined;
  if (root) fs.writeFileSync(path.join(root, 'notes.txt'), 'not to be read\n');
  fs.writeFileSync(path.join(dir, 'listen-loopback.cjs'), preload);
  fs.chmodSync(dir, 0o755);
  if (opts.kind.startsWith('sdk')) fs.writeFileSync(path.join(dir, 'server.mjs'), sdkServerSource(path.dirname(files.sdk())));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    EA_LISTEN_HOST: opts.host,
    HOST: opts.host,
    EA_PUBLIC_URL: opts.publicUrl ?? `http://${opts.host}:${port}`,
    // The issuer is this loopback URL (never contacted); the SDK wants HTTPS unless told this is a test.
    ...(opts.kind === 'sdk-bearer'
      ? { EA_BEARER: opts.bearer ?? `t-${Math.random().toString(36).slice(2)}`, MCP_DANGEROUSLY_ALLOW_INSECURE_ISSUER_URL: '1' }
      : {}),
  };
  delete env.NODE_OPTIONS;
  const spawned = await spawnServer({
    binary: process.execPath,
    args: ['--require', path.join(dir, 'listen-loopback.cjs'), ...argsFor(opts.kind, port, root)],
    dir,
    // As nobody when we are root (the folder is made readable for it): an MCP server is a program that acts.
    dropPrivileges: true,
    env,
  });
  const stop = async () => {
    await stopPid(spawned.pid, spawned.comm, 5000);
    releasePorts(opts.host, ports);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitListening(opts.host, port, () => !spawned.hasExited());
  } catch (err) {
    const tail = logTail(dir, ['stdout.log', 'stderr.log']);
    await stop();
    throw new Error(`${(err as Error).message}\n${tail}`);
  }
  return {
    kind: opts.kind,
    host: opts.host,
    port,
    pid: spawned.pid,
    dir,
    ...(root ? { root } : {}),
    log: () => logTail(dir, ['stdout.log', 'stderr.log'], 4000),
    stop,
  };
}
