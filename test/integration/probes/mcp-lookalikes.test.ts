// The MCP probe against servers that are NOT open MCP servers but look like one in some way: a plain JSON-RPC 2.0
// service, catch-alls that answer every path with MCP-looking replies, an SSE stream whose endpoint points off the
// port or at Inspector's process route, a gateway that challenges every path. Each must read not-detected, and its
// request log must show no POST where no GET identified MCP. In-process node:http servers on 127.0.22.60–79.
import type http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import mcpProbe from '../../../probes/mcp.js';
import { bodyServers, type BodyHandler as Handler } from '../../support/body-servers.js';
import { createHarness } from '../../support/probe-harness.js';

const harness = createHarness({ probes: [mcpProbe], timeoutMs: 8_000 });
const fakes = bodyServers();
afterAll(async () => (await fakes.close(), await harness.close()));

interface Seen {
  method: string;
  path: string;
  body: string;
}

async function serve(host: string, handler: Handler): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const port = await fakes.serve(host, (req, res, body) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', body });
    handler(req, res, body);
  });
  return { port, seen };
}

const json = (res: http.ServerResponse, status: number, v: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(v));
};
const rpcError = (code: number, message: string, id: unknown = null) => ({ jsonrpc: '2.0', error: { code, message }, id });
/** An SSE stream that sends one endpoint event and stays open until the client leaves. */
const endpointStream = (res: http.ServerResponse, endpoint: string) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`event: endpoint\ndata: ${endpoint}\n\n`);
};

const cases: Array<{ name: string; host: string; handler: Handler; posts: 'none' | 'initialize only'; note?: RegExp }> = [
  {
    // Answers GET /mcp like a stateless MCP server would (405 JSON-RPC), but initialize is an unknown method: not MCP.
    // (Had it answered every path so, the baseline would call it a catch-all before any POST.)
    name: 'a plain JSON-RPC 2.0 service (initialize → -32601)',
    host: '127.0.22.60',
    handler: (req, res, body) => {
      if (req.url !== '/mcp') return json(res, 404, {});
      if (req.method !== 'POST') return json(res, 405, rpcError(-32000, 'Method not allowed.'));
      let id: unknown = null;
      try {
        id = (JSON.parse(body) as { id?: unknown }).id ?? null;
      } catch {
        // keep null
      }
      json(res, 200, rpcError(-32601, 'Method not found', id));
    },
    posts: 'initialize only',
    note: /not MCP/,
  },
  {
    name: 'a JSON-RPC service that answers GET 404',
    host: '127.0.22.61',
    handler: (req, res) =>
      req.method === 'POST' ? json(res, 200, rpcError(-32601, 'Method not found')) : json(res, 404, { error: 'not found' }),
    posts: 'none',
  },
  {
    // 200 to everything, with every marker: an endpoint event, serverInfo, protocolVersion, tools.
    name: 'a catch-all answering 200 with every marker',
    host: '127.0.22.62',
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        'event: endpoint\ndata: /message?sessionId=x\n\nevent: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"x"},"tools":[{"name":"exec"}]}}\n\n',
      );
    },
    posts: 'none',
  },
  {
    name: 'a catch-all answering every path with the SDK "no session" error',
    host: '127.0.22.63',
    handler: (_req, res) => json(res, 400, rpcError(-32000, 'Bad Request: No valid session ID provided')),
    posts: 'none',
    note: /catch-all/,
  },
  {
    name: 'an SSE endpoint event pointing at another host',
    host: '127.0.22.64',
    handler: (req, res) => (req.url === '/sse' ? endpointStream(res, 'http://127.0.22.99:9/message?sessionId=1') : json(res, 404, {})),
    posts: 'none',
    note: /off this host:port/,
  },
  {
    name: "an SSE endpoint event pointing at Inspector's process route",
    host: '127.0.22.65',
    handler: (req, res) => (req.url === '/sse' ? endpointStream(res, '/stdio?transportType=stdio&command=id') : json(res, 404, {})),
    posts: 'none',
    note: /process-starting/,
  },
  {
    name: 'a gateway that challenges every path with Bearer',
    host: '127.0.22.66',
    handler: (_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="api"', 'content-type': 'application/json' });
      res.end('{"error":"unauthorized"}');
    },
    posts: 'none',
  },
];

describe('MCP look-alikes read not-detected', () => {
  for (const c of cases) {
    it(
      c.name,
      async () => {
        const { port, seen } = await serve(c.host, c.handler);
        const { observation: o } = await harness.probe('mcp', c.host, port);
        expect(o.status, JSON.stringify(o)).toBe('not-detected');
        const posts = seen.filter((s) => s.method !== 'GET' && s.method !== 'HEAD');
        if (c.posts === 'none') expect(posts).toEqual([]);
        else expect(posts.map((p) => (JSON.parse(p.body) as { method: string }).method)).toEqual(['initialize']);
        expect(seen.some((s) => /^\/stdio|command=/.test(s.path))).toBe(false);
        if (c.note) expect((o.evidence.notes ?? []).join(' ')).toMatch(c.note);
      },
      30_000,
    );
  }
});

describe('a legacy SSE server behind a Bearer token', () => {
  it('is auth-required from the challenge on /sse alone (a random path is not challenged), with no POST', async () => {
    const host = '127.0.22.67';
    const { port, seen } = await serve(host, (req, res) => {
      if (req.url !== '/sse') return json(res, 404, {});
      res.writeHead(401, {
        'www-authenticate': 'Bearer error="invalid_token", error_description="Missing Authorization header"',
        'content-type': 'application/json',
      });
      res.end('{"error":"invalid_token","error_description":"Missing Authorization header"}');
    });
    const { observation: o } = await harness.probe('mcp', host, port);
    expect(o.status, JSON.stringify(o)).toBe('auth-required');
    expect(o.evidence.proof).toBe('GET /sse');
    expect(seen.filter((s) => s.method !== 'GET')).toEqual([]);
  });
});
