import type { HttpRequest, HttpResponse } from '../net/http.js';
import {
  endpointEvent,
  initializeBody,
  initializeResult,
  listedCount,
  listedTools,
  rpcBody,
  rpcFromBody,
  rpcFromJson,
  type InitializeResult,
  type ListedTool,
  type ReadOnlyMethod,
  type RpcReply,
} from './mcp.js';
import { SseParser } from './sse.js';

/**
 * One read-only MCP session over either HTTP transport: the handshake, then listings only (tools, and counts of
 * resources and prompts when the server declares them). The caller has already identified an MCP endpoint with a
 * GET; nothing here is sent anywhere else.
 */
export type Http = (req: HttpRequest) => Promise<HttpResponse>;

export interface McpListing {
  transport: 'streamable-http' | 'sse';
  /** Where the JSON-RPC POSTs went. */
  path: string;
  init: InitializeResult;
  /** Absent: tools/list did not answer with a list. */
  tools?: ListedTool[];
  /** More tools than were read (pages or the cap). */
  toolsTruncated?: boolean;
  resources?: number;
  prompts?: number;
  /** The server handed a session id (Streamable HTTP) or a session endpoint (SSE). */
  session: boolean;
}

export type SessionOutcome =
  | { kind: 'listed'; listing: McpListing; proof: string; reply: string }
  /** The handshake was refused for want of credentials (a 401/403). */
  | { kind: 'auth'; res: HttpResponse; proof: string }
  /** Not an MCP handshake reply (e.g. -32601 from a plain JSON-RPC service, or a catch-all's page). */
  | { kind: 'not-mcp'; proof: string; reply: string; why: string };

const replyCap = 512 * 1024;
const maxPages = 3;
const sessionIdPattern = /^[\x21-\x7e]{1,256}$/;

const excerpt = (res: HttpResponse) => `${res.status} ${res.text.slice(0, 300).trim()}`;

interface Caller {
  call(method: ReadOnlyMethod, id?: number, params?: Record<string, unknown>): Promise<{ res?: HttpResponse; reply?: RpcReply }>;
}

/** The listings after a successful initialize: tools (a few pages), then resource and prompt counts if declared. */
async function listings(
  c: Caller,
  init: InitializeResult,
  toolCap: number,
  session: boolean,
): Promise<Pick<McpListing, 'tools' | 'toolsTruncated' | 'resources' | 'prompts'>> {
  // A stateless server (no session handed out) keeps nothing between requests: there is no session to mark
  // initialized, and gateways such as supergateway start the wrapped stdio server anew for every request.
  if (session) await c.call('notifications/initialized');
  const out: Pick<McpListing, 'tools' | 'toolsTruncated' | 'resources' | 'prompts'> = {};
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { reply } = await c.call('tools/list', 2 + page, cursor ? { cursor } : undefined);
    const got = listedTools(reply);
    if (!got) break;
    out.tools = [...(out.tools ?? []), ...got.tools];
    cursor = got.nextCursor;
    if (!cursor || out.tools.length >= toolCap) break;
  }
  if (out.tools && (cursor || out.tools.length > toolCap)) {
    out.toolsTruncated = true;
    out.tools = out.tools.slice(0, toolCap);
  }
  if (init.capabilities.includes('resources')) out.resources = listedCount((await c.call('resources/list', 10)).reply, 'resources');
  if (init.capabilities.includes('prompts')) out.prompts = listedCount((await c.call('prompts/list', 11)).reply, 'prompts');
  if (out.resources === undefined) delete out.resources;
  if (out.prompts === undefined) delete out.prompts;
  return out;
}

function handshakeFailure(res: HttpResponse, proof: string, reply: RpcReply | undefined): SessionOutcome {
  if ((res.status === 401 || res.status === 403) && res.headers['www-authenticate']) return { kind: 'auth', res, proof };
  const code = reply?.error?.code;
  const why =
    code === -32601
      ? 'a JSON-RPC service that does not know `initialize`: not MCP'
      : reply?.error
        ? `initialize answered a JSON-RPC error (${String(code)})`
        : 'no MCP initialize result (protocolVersion, capabilities)';
  return { kind: 'not-mcp', proof, reply: excerpt(res), why };
}

export interface SessionOptions {
  clientVersion: string;
  /** Most tools kept. */
  toolCap: number;
  /** ms per exchange (a POST's reply, or the wait for an event on the SSE stream). */
  timeoutMs: () => number;
}

/**
 * Streamable HTTP (spec 2025-03-26+): POST initialize → InitializeResult (JSON or SSE) and maybe `Mcp-Session-Id`;
 * then notifications/initialized, tools/list … on that session; DELETE ends the session the server gave us.
 */
export async function streamableSession(http: Http, path: string, opts: SessionOptions): Promise<SessionOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = async (method: ReadOnlyMethod, id?: number, params?: Record<string, unknown>) => {
    const parser = new SseParser();
    let found: RpcReply | undefined;
    const res = await http({
      method: 'POST',
      path,
      headers,
      body: method === 'initialize' ? initializeBody(opts.clientVersion) : rpcBody(method, id, params),
      maxBytes: replyCap,
      timeoutMs: opts.timeoutMs(),
      // A POST answered as an event stream ends after its reply (the SDK closes it); stop there either way.
      onChunk: (chunk) => {
        if (id === undefined) return false;
        for (const e of parser.push(chunk)) if (e.event === 'message') found ??= rpcFromJson(e.data, id);
        return found !== undefined;
      },
    });
    return { res, reply: found ?? (id === undefined ? undefined : rpcFromBody(res.headers['content-type'], res.body, id)) };
  };
  const proof = `POST ${path} initialize`;
  const first = await post('initialize', 1);
  const init = initializeResult(first.reply);
  if (!init) return handshakeFailure(first.res, proof, first.reply);
  const session = first.res.headers['mcp-session-id'];
  const hasSession = session !== undefined && sessionIdPattern.test(session);
  if (hasSession) headers['mcp-session-id'] = session;
  headers['mcp-protocol-version'] = init.protocolVersion;
  try {
    const lists = await listings({ call: post }, init, opts.toolCap, hasSession);
    return {
      kind: 'listed',
      listing: { transport: 'streamable-http', path, init, session: hasSession, ...lists },
      proof: lists.tools ? `POST ${path} tools/list` : proof,
      reply: excerpt(first.res),
    };
  } finally {
    // Ends the session the server just handed us (spec: "clients SHOULD send DELETE"), so no state is left behind.
    if (hasSession)
      await http({ method: 'DELETE', path, headers: { 'mcp-session-id': session }, maxBytes: 4096, timeoutMs: opts.timeoutMs() }).catch(
        () => undefined,
      );
  }
}

/** Where the SSE endpoint event points, if it stays on this origin and is not a process-starting Inspector route. */
export function sameOriginEndpoint(data: string, origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(data, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(origin).origin) return undefined;
  if (/^\/stdio\b/i.test(url.pathname) || /[?&](command|transportType|args|env)=/i.test(url.search)) return undefined;
  // A message path of one segment (`/message`, `/messages/`) and a query without `/`, as the SDKs, supergateway and
  // mcp-proxy hand out; the probe declares exactly that shape.
  if (!/^\/[^/]+\/?$/.test(url.pathname) || url.search.includes('/')) return undefined;
  return url.pathname + url.search;
}

export type SseOutcome =
  | SessionOutcome
  | { kind: 'no-endpoint'; res?: HttpResponse }
  | { kind: 'refused-endpoint'; endpoint: string }
  /** `beforePost` said no (the caller's catch-all baseline). */
  | { kind: 'catch-all' };

/**
 * Legacy HTTP+SSE (2024-11-05): GET the stream → `event: endpoint` → POST each message to that endpoint (202) and
 * read its reply as an `event: message` on the still-open stream (byte cap, a wait per reply), then close the stream.
 */
export async function sseSession(
  http: Http,
  ssePath: string,
  origin: string,
  opts: SessionOptions & { streamMs: number; beforePost?: () => Promise<boolean> },
): Promise<SseOutcome> {
  const stop = new AbortController();
  const parser = new SseParser();
  const replies = new Map<number, RpcReply>();
  let endpoint: string | undefined;
  let ended = false;
  let first = true;
  let waiters: Array<() => void> = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const stream = http({
    path: ssePath,
    headers: { accept: 'text/event-stream' },
    maxBytes: replyCap,
    timeoutMs: opts.streamMs,
    stop: stop.signal,
    onChunk: (chunk) => {
      // An event stream opens with a field, a comment or a blank line: anything else (an HTML page, an endless
      // body) is not one, and is not read on.
      if (first && ((first = false), !/^(\xef\xbb\xbf)?(:|event:|data:|id:|retry:|\r?\n|\r)/.test(chunk.toString('latin1', 0, 16))))
        return true;
      for (const e of parser.push(chunk)) {
        endpoint ??= endpointEvent(e);
        const r = e.event === 'message' ? rpcFromJson(e.data) : undefined;
        if (r && typeof r.id === 'number') replies.set(r.id, r);
      }
      wake();
      return false;
    },
  });
  const settled = stream.then(
    (res) => ((ended = true), wake(), res),
    () => ((ended = true), wake(), undefined),
  );
  const until = async (cond: () => boolean, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (!cond() && !ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
    return cond();
  };
  try {
    // Servers send the endpoint event at once; a path that holds the GET without one must not eat the whole budget.
    if (!(await until(() => endpoint !== undefined, Math.max(200, opts.timeoutMs() / 3))))
      return { kind: 'no-endpoint', ...((await settledNow(settled, stop)) ?? {}) };
    const path = sameOriginEndpoint(endpoint!, origin);
    if (!path) return { kind: 'refused-endpoint', endpoint: endpoint!.slice(0, 200) };
    if (opts.beforePost && !(await opts.beforePost())) return { kind: 'catch-all' };
    const call = async (method: ReadOnlyMethod, id?: number, params?: Record<string, unknown>) => {
      const body = method === 'initialize' ? initializeBody(opts.clientVersion) : rpcBody(method, id, params);
      const res = await http({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body,
        maxBytes: 64 * 1024,
        timeoutMs: opts.timeoutMs(),
      });
      if (id === undefined || res.status >= 300)
        return { res, reply: res.status < 300 ? undefined : rpcFromBody(res.headers['content-type'], res.body, id) };
      // Some servers answer in the POST's own body; the transport says the stream.
      const inline = rpcFromBody(res.headers['content-type'], res.body, id);
      if (inline) return { res, reply: inline };
      await until(() => replies.has(id), opts.timeoutMs());
      return { res, reply: replies.get(id) };
    };
    const proof = `POST ${path} initialize`;
    const first = await call('initialize', 1);
    const init = initializeResult(first.reply);
    if (!init) return handshakeFailure(first.res, proof, first.reply);
    const lists = await listings({ call }, init, opts.toolCap, true);
    return {
      kind: 'listed',
      listing: { transport: 'sse', path, init, session: true, ...lists },
      proof: lists.tools ? `POST ${path} tools/list` : proof,
      reply: `event: endpoint data: ${endpoint!.slice(0, 120)}`,
    };
  } finally {
    stop.abort();
    await settled;
  }
}

/** The stream's reply once it ended (or is stopped now), for evidence. */
async function settledNow(settled: Promise<HttpResponse | undefined>, stop: AbortController): Promise<{ res: HttpResponse } | undefined> {
  stop.abort();
  const res = await settled;
  return res ? { res } : undefined;
}
