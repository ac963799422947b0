// The MCP probe against the recorded exchanges beside it (probes/mcp.replies.ts): each case replayed on loopback
// (127.0.22.80–89) answers its recorded `METHOD path [JSON-RPC method]` and 404 otherwise, must get its verdict, and
// may receive only read-only JSON-RPC methods, each POST after a GET identified the server.
import { afterAll, describe, expect, it } from 'vitest';
import mcpProbe from '../../probes/mcp.js';
import { mcpReplies } from '../../probes/mcp.replies.js';
import { readOnlyMethods } from '../../src/protocols/mcp.js';
import { bodyServers } from '../support/body-servers.js';
import { createHarness } from '../support/probe-harness.js';

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
