// The MCP probe against the recorded exchanges beside it (probes/mcp.replies.ts): each case replayed on loopback
// (127.0.22.80–89) answers its recorded `METHOD path [JSON-RPC method]` and 404 otherwise, must get its verdict, and
// may receive only read-only JSON-RPC methods, each POST after a GET identified the server.
import { afterAll, describe, expect, it } from 'vitest';
import mcpProbe from '../../../probes/mcp.js';
import { mcpReplies } from '../../../probes/mcp.replies.js';
import { readOnlyMethods } from '../../../src/protocols/mcp.js';
import { bodyServers } from '../../support/body-servers.js';
import { createHarness } from '../../support/probe-harness.js';

const harness = createHarness({ probes: [mcpProbe], timeoutMs: 8_000 });
const replays = bodyServers();
afterAll(async () => (await replays.close(), await harness.close()));

/** Serves one case: `METHOD path` (+ ` <JSON-RPC method>` for a POST) → its exchange; `{origin}` filled in. */
async function replay(host: string, name: string): Promise<{ port: number; seen: string[] }> {
  const c = mcpReplies[name]!;
  const seen: string[] = [];
  let origin = '';
  const port = await replays.serve(host, (req, res, body) => {
    let key = `${req.method} ${req.url}`;
    if (req.method === 'POST') {
      try {
        key += ` ${(JSON.parse(body) as { method?: string }).method}`;
      } catch {
        key += ' <not JSON>';
      }
    }
    seen.push(key);
    const x = c.exchanges[key];
    if (!x) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    const fill = (s: string) => s.split('{origin}').join(origin);
    res.writeHead(x.status, Object.fromEntries(Object.entries(x.headers ?? {}).map(([k, v]) => [k, fill(v)])));
    res.end(fill(x.body));
  });
  origin = `http://${host}:${port}`;
  return { port, seen };
}

describe('MCP recorded replies', () => {
  Object.entries(mcpReplies).forEach(([name, c], i) => {
    it(`${name}: ${c.expect.status} (${c.source.slice(0, 60)}…)`, async () => {
      const host = `127.0.22.${80 + i}`;
      const { port, seen } = await replay(host, name);
      const { observation: o } = await harness.probe('mcp', host, port);
      expect(o.status, JSON.stringify(o)).toBe(c.expect.status);
      if (c.expect.severity) expect(o.assessment?.severity).toBe(c.expect.severity);
      if (c.expect.product) expect(o.evidence.product).toBe(c.expect.product);
      const firstPost = seen.findIndex((s) => s.startsWith('POST '));
      if (firstPost >= 0) expect(seen.slice(0, firstPost).some((s) => s.startsWith('GET /mcp'))).toBe(true);
      for (const s of seen.filter((x) => x.startsWith('POST '))) expect(readOnlyMethods as readonly string[]).toContain(s.split(' ')[2]);
      // Every request the replay saw is one the probe recorded, in order.
      expect(o.evidence.requests).toEqual(seen.map((s) => s.split(' ').slice(0, 2).join(' ')));
    });
  });
});

describe('MCP handshake open, tool list refused', () => {
  it('is exposed (limited: classify rates it medium), never auth-required, with no tool named', async () => {
    // Built from the SDK's replies above (initialize as server-everything answers it), with tools/list refused.
    const host = '127.0.22.95';
    const port = await replays.serve(host, (req, res, body) => {
      const method = req.method === 'POST' ? (JSON.parse(body) as { method?: string }).method : undefined;
      if (req.method === 'GET' && req.url === '/mcp') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end('{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"}}');
      }
      if (method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(
          '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"half-open","version":"0.1.0"}}}',
        );
      }
      if (method === 'tools/list') {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"jsonrpc":"2.0","id":2,"error":{"code":-32001,"message":"Unauthorized"}}');
      }
      res.writeHead(method ? 202 : 404);
      res.end();
    });
    const { observation: o } = await harness.probe('mcp', host, port);
    expect(o.status).toBe('exposed');
    expect(o.evidence.limited).toBe(true);
    expect(o.assessment).toBeUndefined();
    expect(o.facts.tools).toBe(0);
    expect(o.evidence.notes?.join(' ')).toMatch(/tools\/list gave no list/);
  });
});
