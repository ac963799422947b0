import { parseSse } from './sse.js';

/**
 * Model Context Protocol wire facts (JSON-RPC 2.0 over HTTP), for a read-only client.
 * Spec: https://modelcontextprotocol.io/specification/2025-06-18/basic/transports (Streamable HTTP, and the
 * 2024-11-05 HTTP+SSE transport under "Backwards compatibility"); lifecycle:
 * https://modelcontextprotocol.io/specification/2025-06-18/basic/lifecycle.
 */

/** The protocol revision offered in `initialize`; servers answer the one they speak (2024-11-05 … 2025-11-25). */
export const mcpProtocolVersion = '2025-06-18';

/**
 * The only JSON-RPC methods this client ever sends. Each reads, or is the handshake itself: `initialize`,
 * `notifications/initialized`, and listings. Never tools/call, resources/read, prompts/get, completion/complete,
 * logging/setLevel, sampling/* or anything else that acts.
 */
export const readOnlyMethods = ['initialize', 'notifications/initialized', 'tools/list', 'resources/list', 'prompts/list'] as const;
export type ReadOnlyMethod = (typeof readOnlyMethods)[number];

/** The body of one JSON-RPC request (an `id`) or notification (none) whose method is on the read-only list. */
export function rpcBody(method: ReadOnlyMethod, id?: number, params?: Record<string, unknown>): string {
  if (!readOnlyMethods.includes(method)) throw new Error(`refusing MCP method ${String(method)}`);
  return JSON.stringify({ jsonrpc: '2.0', ...(id !== undefined ? { id } : {}), method, ...(params ? { params } : {}) });
}

export function initializeBody(clientVersion: string): string {
  return rpcBody('initialize', 1, {
    protocolVersion: mcpProtocolVersion,
    capabilities: {},
    clientInfo: { name: 'exposure-audit', version: clientVersion },
  });
}

export interface RpcReply {
  id?: unknown;
  result?: Record<string, unknown>;
  error?: { code?: unknown; message?: unknown };
}

function asReply(v: unknown): RpcReply | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (o.jsonrpc !== '2.0') return undefined;
  const result = o.result && typeof o.result === 'object' && !Array.isArray(o.result) ? (o.result as Record<string, unknown>) : undefined;
  const error = o.error && typeof o.error === 'object' ? (o.error as RpcReply['error']) : undefined;
  if (!result && !error) return undefined;
  return { id: o.id, ...(result ? { result } : {}), ...(error ? { error } : {}) };
}

/** A JSON-RPC reply from one JSON text (a single object, or the first match in a batch), or undefined. */
export function rpcFromJson(text: string, id?: number): RpcReply | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const all = Array.isArray(v) ? v.map(asReply) : [asReply(v)];
  return all.find((r) => r && (id === undefined || r.id === id));
}

/**
 * The reply to request `id` in an HTTP body: plain JSON, or server-sent events (`event: message`, `data: {…}`) as
 * Streamable HTTP servers usually answer a POST.
 */
export function rpcFromBody(contentType: string | undefined, body: Buffer | string, id?: number): RpcReply | undefined {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (/text\/event-stream/i.test(contentType ?? '')) {
    for (const e of parseSse(text)) {
      if (e.event !== 'message') continue;
      const r = rpcFromJson(e.data, id);
      if (r) return r;
    }
    return undefined;
  }
  return rpcFromJson(text, id);
}

/** What `initialize` answered: the handshake result that proves an MCP server (protocolVersion and serverInfo). */
export interface InitializeResult {
  protocolVersion: string;
  serverName?: string;
  serverVersion?: string;
  /** Capability names the server declares (tools, resources, prompts, logging, completions, …). */
  capabilities: string[];
  /** Sub-flags per capability (`tools.listChanged`, `resources.subscribe`). */
  flags: string[];
}

const str = (v: unknown, max = 128): string | undefined => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined);

/** Reads an `initialize` result; undefined unless it carries a protocolVersion string and a capabilities object. */
export function initializeResult(r: RpcReply | undefined): InitializeResult | undefined {
  const res = r?.result;
  const protocolVersion = str(res?.protocolVersion, 32);
  const caps = res?.capabilities;
  if (!protocolVersion || !caps || typeof caps !== 'object' || Array.isArray(caps)) return undefined;
  const info = res.serverInfo && typeof res.serverInfo === 'object' ? (res.serverInfo as Record<string, unknown>) : {};
  const capabilities = Object.keys(caps).slice(0, 32);
  const flags: string[] = [];
  for (const [k, v] of Object.entries(caps as Record<string, unknown>).slice(0, 32))
    if (v && typeof v === 'object') for (const [f, on] of Object.entries(v).slice(0, 8)) if (on === true) flags.push(`${k}.${f}`);
  const serverName = str(info.name);
  const serverVersion = str(info.version, 64);
  return { protocolVersion, capabilities, flags, ...(serverName ? { serverName } : {}), ...(serverVersion ? { serverVersion } : {}) };
}

/** One tool as listed (never called). */
export interface ListedTool {
  name: string;
  description?: string;
  /** annotations.readOnlyHint === false or destructiveHint === true: the server says it changes something. */
  writes?: boolean;
}

/** The tools of a `tools/list` result, and the cursor of the next page if any. */
export function listedTools(r: RpcReply | undefined): { tools: ListedTool[]; nextCursor?: string } | undefined {
  const list = r?.result?.tools;
  if (!Array.isArray(list)) return undefined;
  const tools: ListedTool[] = [];
  for (const t of list) {
    if (!t || typeof t !== 'object') continue;
    const o = t as Record<string, unknown>;
    const name = str(o.name, 256);
    if (!name) continue;
    const description = str(o.description, 512);
    const a = o.annotations && typeof o.annotations === 'object' ? (o.annotations as Record<string, unknown>) : {};
    const writes = a.readOnlyHint === false || a.destructiveHint === true;
    tools.push({ name, ...(description ? { description } : {}), ...(writes ? { writes } : {}) });
  }
  const nextCursor = str(r?.result?.nextCursor, 512);
  return { tools, ...(nextCursor ? { nextCursor } : {}) };
}

/** How many items a `resources/list` or `prompts/list` result holds (one page). */
export function listedCount(r: RpcReply | undefined, key: 'resources' | 'prompts'): number | undefined {
  const list = r?.result?.[key];
  return Array.isArray(list) ? list.length : undefined;
}

/** A reply as the signals below read it. */
export interface GetReply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * Known replies of MCP Streamable HTTP endpoints to a GET without a session (and without `Accept:
 * text/event-stream`, so no stream is opened). Each names an MCP implementation; a bare 400/405 or a JSON-RPC error
 * with any other message does not. Sources:
 * - 400 `Bad Request: No valid session ID provided`: @modelcontextprotocol/server-everything (src/everything/transports/streamableHttp.ts) and the SDK's session examples; recorded from server-everything 2026.8.31 here.
 * - 400 `Bad Request: Mcp-Session-Id header is required` / `Bad Request: Server not initialized`, 406 `Not Acceptable: Client must accept text/event-stream`: the TypeScript SDK's transport (packages/server/src/server/streamableHttp.ts validateSession / handleGetRequest).
 * - 400 `Bad Request: Missing session ID` (-32600): the Python SDK (mcp/server/streamable_http.py).
 * - 405 `Method not allowed.` (-32000): stateless SDK servers and supergateway 4.0 `--outputTransport streamableHttp`; recorded here.
 * - 400 text `Invalid or missing session ID`: the SDK README's session example, supergateway 4.0 `--stateful`; recorded here.
 * - 400 text `No sessionId`: mcp-proxy 6.x (project reference notes).
 */
export function streamableSignal(r: GetReply): string | undefined {
  const text = r.text.trim();
  if (r.status === 400 && /^(Invalid or missing session ID|No sessionId)$/.test(text)) return `${r.status} ${text}`;
  const reply = rpcFromJson(text);
  const message = typeof reply?.error?.message === 'string' ? reply.error.message : undefined;
  if (!message || typeof reply?.error?.code !== 'number') return undefined;
  const known =
    (r.status === 400 &&
      /^Bad Request: (No valid session ID provided|Mcp-Session-Id header is required|Server not initialized|Missing session ID)/.test(
        message,
      )) ||
    (r.status === 406 && /^Not Acceptable: Client must accept /.test(message)) ||
    (r.status === 405 && /^Method not allowed\.?$/.test(message));
  return known ? `${r.status} ${message.slice(0, 120)}` : undefined;
}

/** The `resource_metadata` URL of a Bearer challenge (RFC 9728 §5.1), or undefined. */
export function bearerChallenge(r: GetReply): { challenge: string; resourceMetadata?: string } | undefined {
  if (r.status !== 401 && r.status !== 403) return undefined;
  const challenge = r.headers['www-authenticate'];
  if (!challenge || !/^\s*Bearer\b/i.test(challenge)) return undefined;
  const m = /resource_metadata="([^"]{1,512})"/i.exec(challenge);
  return { challenge: challenge.slice(0, 300), ...(m ? { resourceMetadata: m[1] } : {}) };
}

/** The legacy HTTP+SSE transport's first event (`event: endpoint`, `data: /message?sessionId=…`). */
export function endpointEvent(e: { event: string; data: string }): string | undefined {
  return e.event === 'endpoint' && e.data.length > 0 && e.data.length <= 1024 ? e.data.trim() : undefined;
}

/**
 * MCP Inspector's proxy (default port 6277), GET /config. Before 0.14.1 (CVE-2025-49596, GHSA-7f8r-222p-6f5g) the
 * proxy had no authentication: /config answers `{"defaultEnvironment":{…},"defaultCommand":…,"defaultArgs":…}` and
 * /stdio?command=… starts any program. 0.14.1+ demands its session token: 401 `{"error":"Unauthorized","message":
 * "Authentication required. Use the session token shown in the console when starting the server."}` (unless
 * DANGEROUSLY_OMIT_AUTH). Source: inspector server/src/index.ts at 0.14.0 and 0.14.3; both recorded here.
 */
export function inspectorSignal(r: GetReply): { open: true; envNames: string[]; command: string } | { open: false } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(r.text);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (r.status === 401 && o.error === 'Unauthorized' && typeof o.message === 'string' && /session token/i.test(o.message))
    return { open: false };
  const env = o.defaultEnvironment;
  if (r.status !== 200 || !env || typeof env !== 'object' || Array.isArray(env)) return undefined;
  if (typeof o.defaultCommand !== 'string' || typeof o.defaultArgs !== 'string') return undefined;
  return { open: true, envNames: Object.keys(env).slice(0, 64), command: o.defaultCommand.slice(0, 200) };
}
