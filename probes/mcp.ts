import { baselineRequest, randomPath } from '../src/http-catalog/baseline.js';
import { isEaError } from '../src/errors.js';
import { originOf, type HttpResponse } from '../src/net/http.js';
import { remaining } from '../src/net/limits.js';
import { always, defineProbe, type ProbeContext, type ProbeResult } from '../src/probe.js';
import { bearerChallenge, inspectorSignal, readOnlyMethods, streamableSignal, type GetReply } from '../src/protocols/mcp.js';
import { sseSession, streamableSession, type McpListing, type SessionOutcome, type SessionOptions } from '../src/protocols/mcp-session.js';
import { SseParser } from '../src/protocols/sse.js';
import { redactText } from '../src/risk/redact.js';
import { reachLabel, reachMap, type ToolReach } from '../src/risk/tool-reach.js';
import type { Assessment, ProbeTarget } from '../src/types.js';
import { version } from '../src/version.js';

/**
 * MCP (Model Context Protocol) servers over HTTP, both transports, and MCP Inspector's proxy.
 *
 * Order, each step only when the one before found nothing:
 * 1. `GET /mcp` (no `Accept: text/event-stream`, so no stream opens). A known MCP "no session" reply (see
 *    streamableSignal), a Bearer challenge, or Inspector's token 401 identifies the port. A same-origin redirect to
 *    `/mcp/` (Python servers mounted at /mcp) is read once.
 * 2. `GET /config`: MCP Inspector's proxy (open before 0.14.1: critical; token 401: auth-required).
 * 3. `GET /sse`: the legacy transport's stream; an `event: endpoint` identifies it.
 * 4. `GET /`: Streamable HTTP mounted at the root.
 * Only then, and only after a random-path baseline shows the port is not a catch-all that answers everything alike,
 * the read-only session: initialize → notifications/initialized → tools/list (→ resources/list, prompts/list
 * counts) → DELETE of the session the server handed us. Never tools/call, resources/read, prompts/get,
 * completion/complete, logging/setLevel or sampling, and never an Inspector route that starts a process (/stdio,
 * ?command=, ?transportType=).
 */
const paths = { mcp: '/mcp', mcpSlash: '/mcp/', config: '/config', sse: '/sse', root: '/' };
const wellKnown = '/.well-known/oauth-protected-resource';
/** MCP's identifying replies are a few hundred bytes; Inspector's /config a few KiB. */
const getCap = 8 * 1024;

/**
 * Request lines exactly as recorded (`<x>` = one path segment or query without `/`); the JSON-RPC methods the POST
 * bodies may carry are the read-only list in src/protocols/mcp.ts, named on the last line.
 */
const sends = always(
  `GET ${paths.mcp}`,
  `GET ${paths.mcpSlash}`,
  `GET ${wellKnown}`,
  `GET ${wellKnown}/<resource>`,
  baselineRequest,
  `POST ${paths.mcp}`,
  `POST ${paths.mcpSlash}`,
  `DELETE ${paths.mcp}`,
  `DELETE ${paths.mcpSlash}`,
  `GET ${paths.config}`,
  `GET ${paths.sse}`,
  'POST /<endpoint>?<query>',
  'POST /<endpoint>/?<query>',
  'POST /<endpoint>',
  `GET ${paths.root}`,
  `POST ${paths.root}`,
  `DELETE ${paths.root}`,
);
/** What the POSTs carry (only to an identified MCP server): the read-only JSON-RPC methods, nothing else. */
const postBodies = `POSTs only to an identified MCP server, carrying JSON-RPC ${readOnlyMethods.join(', ')}; DELETE only of the session the server handed out`;
const neverSends =
  "tools/call, resources/read, prompts/get, completion/complete, logging/setLevel, sampling/*; the Inspector's /stdio, ?command= and ?transportType=";

const reply = (r: HttpResponse): string => `${r.status} ${r.text.slice(0, 200).trim()}`;

/** A session endpoint's query values are the session's key while it is open: shown as `<session>`. */
const masked = (text: string): string => text.replace(/([?&][A-Za-z_]*session[A-Za-z_]*=)[^&\s"]+/gi, '$1<session>');

/**
 * One bounded GET. The first request of the run fails the run as usual (refused = closed, silence = timeout, a reset
 * without a byte lets the engine retry over TLS); a later one that fails only means "nothing here".
 */
async function get(ctx: ProbeContext, path: string, first = false): Promise<HttpResponse | undefined> {
  if (first) return ctx.http({ path, maxBytes: getCap });
  try {
    return await ctx.http({ path, maxBytes: getCap, timeoutMs: Math.max(200, remaining(ctx.limits) / 2) });
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
    return undefined;
  }
}

/** A catch-all answers a random path with the same MCP-looking signal: then nothing here is an MCP server. */
async function catchAll(ctx: ProbeContext, signal: (r: GetReply) => unknown): Promise<boolean> {
  const r = await get(ctx, randomPath());
  return r !== undefined && signal(r) !== undefined;
}

function sessionOptions(ctx: ProbeContext): SessionOptions {
  return { clientVersion: version, toolCap: Math.min(ctx.caps.items, 200), timeoutMs: () => Math.max(100, remaining(ctx.limits) - 50) };
}

/** The severity: tools that reach the file system, a shell, a database, a cloud account, a browser or secrets are critical. */
function assess(l: McpListing, reaches: Partial<Record<ToolReach, string[]>>): Assessment {
  const which = Object.keys(reaches) as ToolReach[];
  const count = l.tools?.length ?? 0;
  if (which.length > 0) {
    const how = which.map((r) => `${reachLabel[r]} (${reaches[r]!.slice(0, 3).join(', ')}${reaches[r]!.length > 3 ? ', …' : ''})`);
    return {
      severity: 'critical',
      reason: redactText(`anyone can call ${count} MCP tools without credentials; they reach ${how.join('; ')}`),
      exposure: 'anyone who reaches the port can call every listed tool as the server: read and write what those tools reach',
    };
  }
  if (count === 0) return { severity: 'medium', reason: 'the MCP server answers without credentials but lists no tools' };
  return { severity: 'high', reason: `anyone can call ${count} MCP tools without credentials` };
}

function listed(o: Extract<SessionOutcome, { kind: 'listed' }>, why: string): ProbeResult {
  const l = o.listing;
  const tools = l.tools ?? [];
  const reaches = reachMap(tools);
  const writes = tools.filter((t) => t.writes).length;
  const notes = [
    `identified by ${why}`,
    `${l.transport === 'sse' ? 'legacy HTTP+SSE' : 'Streamable HTTP'} at ${l.path}; protocol ${l.init.protocolVersion}`,
    ...(l.init.flags.length
      ? [`capabilities: ${l.init.capabilities.join(', ')} (${l.init.flags.join(', ')})`]
      : [`capabilities: ${l.init.capabilities.join(', ') || 'none'}`]),
    ...(l.tools ? [] : ['initialize answered without credentials, but tools/list gave no list']),
    ...(writes ? [`${writes} tools say they change state (readOnlyHint false or destructiveHint true)`] : []),
  ];
  return {
    status: 'exposed',
    ...(l.tools ? { assessment: assess(l, reaches) } : {}),
    evidence: {
      product: l.init.serverName ? `MCP server ${l.init.serverName}` : 'MCP server',
      ...(l.init.serverVersion ? { version: l.init.serverVersion } : {}),
      proof: masked(o.proof),
      reply: masked(o.reply),
      notes: notes.map((n) => masked(redactText(n))),
      ...(l.toolsTruncated ? { truncated: true } : {}),
      // The handshake is open but the tool list was refused or absent: exposed, limited (classify: medium).
      ...(l.tools ? {} : { limited: true }),
    },
    facts: {
      transport: l.transport,
      path: masked(l.path),
      protocolVersion: l.init.protocolVersion,
      ...(l.init.serverName ? { serverName: l.init.serverName } : {}),
      capabilities: l.init.capabilities,
      capabilityFlags: l.init.flags,
      tools: tools.length,
      toolNames: tools.map((t) => redactText(t.name)),
      toolReach: reaches,
      ...(l.resources !== undefined ? { resources: l.resources } : {}),
      ...(l.prompts !== undefined ? { prompts: l.prompts } : {}),
      session: l.session,
    },
  };
}

/** The OAuth protected-resource metadata a Bearer challenge points at (RFC 9728: public by design), same origin only. */
async function resourceMetadata(ctx: ProbeContext, target: ProbeTarget, at: string): Promise<Record<string, unknown> | undefined> {
  const origin = new URL(originOf(target));
  let url: URL;
  try {
    url = new URL(at, origin);
  } catch {
    return undefined;
  }
  // Only the declared forms: the root document, or one path segment below it (the SDK's `/…/mcp`), no query.
  const rest = url.pathname.slice(wellKnown.length);
  if (url.origin !== origin.origin || !url.pathname.startsWith(wellKnown) || !(rest === '' || /^\/[^/]+$/.test(rest)) || url.search)
    return undefined;
  const m = await get(ctx, url.pathname);
  try {
    const doc = m && m.status === 200 ? (JSON.parse(m.text) as Record<string, unknown>) : undefined;
    if (!doc || typeof doc.resource !== 'string') return undefined;
    return {
      resource: doc.resource.slice(0, 200),
      ...(Array.isArray(doc.authorization_servers)
        ? { authorizationServers: doc.authorization_servers.slice(0, 5).map((s) => String(s).slice(0, 200)) }
        : {}),
    };
  } catch {
    return undefined;
  }
}

function authRequired(proof: string, res: HttpResponse, product: string, meta?: Record<string, unknown>): ProbeResult {
  const ch = bearerChallenge(res);
  return {
    status: 'auth-required',
    evidence: {
      product,
      proof,
      reply: `${reply(res)}${ch ? ` (WWW-Authenticate: ${ch.challenge})` : ''}`,
      ...(meta ? { notes: ['OAuth protected-resource metadata names this resource'] } : {}),
    },
    facts: { ...(ch ? { challenge: 'Bearer' } : {}), ...(meta ?? {}) },
  };
}

/**
 * A Bearer challenge on an MCP path is an MCP server demanding a token when its protected-resource metadata can be
 * read, or when a random path is not challenged alike (a gateway that challenges every path proves nothing).
 */
async function bearerVerdict(ctx: ProbeContext, target: ProbeTarget, proof: string, res: HttpResponse): Promise<ProbeResult | undefined> {
  const ch = bearerChallenge(res);
  if (!ch) return undefined;
  const meta = ch.resourceMetadata ? await resourceMetadata(ctx, target, ch.resourceMetadata) : undefined;
  if (meta) return authRequired(proof, res, 'MCP server', meta);
  if (await catchAll(ctx, bearerChallenge)) return undefined;
  return authRequired(proof, res, 'MCP server');
}

function inspector(sig: { open: true; envNames: string[]; command: string }, proof: string, res: HttpResponse): ProbeResult {
  return {
    status: 'exposed',
    assessment: {
      severity: 'critical',
      reason:
        'MCP Inspector proxy answers without its session token (before 0.14.1: CVE-2025-49596, or DANGEROUSLY_OMIT_AUTH): its /stdio route starts any command',
      exposure:
        'remote code execution: anyone who reaches the port (or a web page the developer opens) can start any program as the developer',
      remediation:
        'Upgrade @modelcontextprotocol/inspector to 0.14.1 or later, never set DANGEROUSLY_OMIT_AUTH, and keep the proxy on 127.0.0.1.',
    },
    evidence: {
      product: 'MCP Inspector proxy',
      proof,
      reply: `${res.status} {"defaultEnvironment":{${sig.envNames.length} variables},"defaultCommand":…,"defaultArgs":…}`,
      notes: [
        redactText(`environment variable names readable: ${sig.envNames.join(', ')}`),
        ...(sig.command ? ['a default command is configured'] : []),
      ],
    },
    facts: { inspector: true, environmentNames: sig.envNames.map((n) => redactText(n)) },
  };
}

/** The Streamable HTTP session on `path`, once a GET identified it there. */
async function streamable(ctx: ProbeContext, target: ProbeTarget, path: string, why: string): Promise<ProbeResult> {
  if (await catchAll(ctx, streamableSignal))
    return {
      status: 'not-detected',
      evidence: { proof: `GET ${path}`, notes: ['a random path answers the same: a catch-all, not an MCP server'] },
      facts: {},
    };
  const o = await streamableSession((r) => ctx.http(r), path, sessionOptions(ctx));
  if (o.kind === 'listed') return listed(o, why);
  if (o.kind === 'auth') return (await bearerVerdict(ctx, target, o.proof, o.res)) ?? authRequired(o.proof, o.res, 'MCP server');
  return { status: 'not-detected', evidence: { proof: o.proof, reply: o.reply, notes: [o.why] }, facts: {} };
}

/** Baseline for the stream: does a random path also stream an endpoint event? (Read up to its first event only.) */
async function streamsEndpointAnywhere(ctx: ProbeContext): Promise<boolean> {
  const parser = new SseParser();
  let seen = false;
  try {
    await ctx.http({
      path: randomPath(),
      headers: { accept: 'text/event-stream' },
      maxBytes: getCap,
      timeoutMs: Math.max(100, remaining(ctx.limits) / 4),
      onChunk: (chunk) => parser.push(chunk).some((e) => ((seen ||= e.event === 'endpoint'), true)),
    });
  } catch (err) {
    if (isEaError(err, 'EA_ABORTED')) throw err;
  }
  return seen;
}

async function legacySse(ctx: ProbeContext, target: ProbeTarget): Promise<ProbeResult | undefined> {
  const o = await sseSession((r) => ctx.http(r), paths.sse, originOf(target), {
    ...sessionOptions(ctx),
    streamMs: Math.max(200, remaining(ctx.limits) - 100),
    beforePost: async () => !(await streamsEndpointAnywhere(ctx)),
  });
  // No stream: a Bearer challenge on /sse is a legacy MCP server demanding a token (judged as on /mcp).
  if (o.kind === 'no-endpoint') return o.res ? bearerVerdict(ctx, target, `GET ${paths.sse}`, o.res) : undefined;
  if (o.kind === 'refused-endpoint')
    return {
      status: 'not-detected',
      evidence: {
        proof: `GET ${paths.sse}`,
        reply: `event: endpoint data: ${o.endpoint}`,
        notes: ['the endpoint points off this host:port (or at a process-starting route): not followed'],
      },
      facts: {},
    };
  if (o.kind === 'listed') return listed(o, `GET ${paths.sse}: text/event-stream with an endpoint event`);
  if (o.kind === 'auth') return (await bearerVerdict(ctx, target, o.proof, o.res)) ?? authRequired(o.proof, o.res, 'MCP server');
  if (o.kind === 'catch-all')
    return {
      status: 'not-detected',
      evidence: { proof: `GET ${paths.sse}`, notes: ['a random path streams an endpoint event too: a catch-all'] },
      facts: {},
    };
  return { status: 'not-detected', evidence: { proof: o.proof, reply: o.reply, notes: [o.why] }, facts: {} };
}

export default defineProbe({
  meta: {
    id: 'mcp',
    service: 'mcp',
    title: 'MCP server that lists its tools without authentication',
    description: `GET /mcp, /config, /sse and / until a known MCP reply identifies the port; then a read-only MCP session over Streamable HTTP or legacy SSE (${postBodies}). Tools are listed, never called.`,
    defaultPorts: [3000, 3001, 6277, 8000, 8080, 8931],
    transport: 'http',
    tls: 'optional',
    impact: 'code-execution',
    sends,
    neverSends,
    exposure:
      'anyone who reaches the port can call the MCP server’s tools as the server: what those tools reach (files, shell, databases, cloud accounts) is theirs',
    remediation:
      'Require OAuth bearer tokens on the MCP endpoint (the SDKs ship requireBearerAuth / token verifiers), bind stdio gateways (supergateway, mcp-proxy) and SDK examples to 127.0.0.1, and firewall the port.',
    references: [
      'https://modelcontextprotocol.io/specification/2025-06-18/basic/transports',
      'https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization',
      'https://github.com/advisories/GHSA-7f8r-222p-6f5g',
    ],
  },
  async run(target, ctx): Promise<ProbeResult> {
    const tried: string[] = [];
    // 1. Streamable HTTP at /mcp (or /mcp/ behind a same-origin redirect).
    let mcpPath = paths.mcp;
    let r = await get(ctx, mcpPath, true);
    if (r?.redirect?.sameOrigin && new URL(r.redirect.location, originOf(target)).pathname === paths.mcpSlash)
      r = await get(ctx, (mcpPath = paths.mcpSlash));
    if (r?.truncated)
      // Every identifying reply is small: a peer that fills the cap here is not MCP, and its other paths are not read.
      return {
        status: 'not-detected',
        evidence: {
          proof: `GET ${mcpPath}`,
          reply: reply(r),
          notes: [`GET ${mcpPath} answered more than ${getCap} bytes: not an MCP reply`],
        },
        facts: {},
      };
    if (r) {
      tried.push(`GET ${mcpPath}: ${r.status}`);
      const why = streamableSignal(r);
      if (why) return streamable(ctx, target, mcpPath, `GET ${mcpPath}: ${why}`);
      const lock = inspectorSignal(r);
      if (lock && !lock.open) return authRequired(`GET ${mcpPath}`, r, 'MCP Inspector proxy');
      const bearer = await bearerVerdict(ctx, target, `GET ${mcpPath}`, r);
      if (bearer) return bearer;
    }
    // 2. MCP Inspector's proxy, before /sse (its /sse would try to connect somewhere).
    const c = await get(ctx, paths.config);
    const ins = c && inspectorSignal(c);
    if (c && ins?.open) return inspector(ins, `GET ${paths.config}`, c);
    if (c && ins) return authRequired(`GET ${paths.config}`, c, 'MCP Inspector proxy');
    // 3. Legacy SSE.
    const s = await legacySse(ctx, target);
    if (s) return s;
    tried.push(`GET ${paths.sse}: no endpoint event`);
    // 4. Streamable HTTP at the root.
    const root = await get(ctx, paths.root);
    const rootWhy = root && streamableSignal(root);
    if (rootWhy) return streamable(ctx, target, paths.root, `GET /: ${rootWhy}`);
    return { status: 'not-detected', evidence: { ...(r ? { proof: `GET ${mcpPath}`, reply: reply(r) } : {}), notes: tried }, facts: {} };
  },
});
