// MCP wire helpers without sockets: the SSE parser, JSON-RPC replies, the GET signals that identify MCP, endpoint
// scope, and what listed tools reach.
import { describe, expect, it } from 'vitest';
import {
  bearerChallenge,
  initializeResult,
  inspectorSignal,
  listedTools,
  rpcBody,
  rpcFromBody,
  streamableSignal,
} from '../../../src/protocols/mcp.js';
import { sameOriginEndpoint } from '../../../src/protocols/mcp-session.js';
import { SseParser } from '../../../src/protocols/sse.js';
import { reachesOf, reachMap } from '../../../src/risk/tool-reach.js';

describe('SseParser', () => {
  it('dispatches events split anywhere, CRLF / LF / CR line ends, multi-line data, comments', () => {
    const text = ': hi\r\nevent: endpoint\r\ndata: /message?sessionId=1\r\n\r\nevent: message\ndata: {"a":\ndata: 1}\n\ndata: x\r\r';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(Buffer.from(text.slice(0, cut))), ...p.push(Buffer.from(text.slice(cut)))];
      expect(events, `cut at ${cut}`).toEqual([
        { event: 'endpoint', data: '/message?sessionId=1' },
        { event: 'message', data: '{"a":\n1}' },
        { event: 'message', data: 'x' },
      ]);
    }
  });
  it('keeps a multi-byte character split across chunks, drops an endless line', () => {
    const p = new SseParser(64);
    const b = Buffer.from('data: é\n\n');
    expect([...p.push(b.subarray(0, 7)), ...p.push(b.subarray(7))]).toEqual([{ event: 'message', data: 'é' }]);
    expect(p.push('data: ' + 'x'.repeat(200))).toEqual([]);
    expect(p.push('\n\ndata: ok\n\n')).toEqual([{ event: 'message', data: 'ok' }]);
  });
});

describe('JSON-RPC and MCP results', () => {
  it('refuses to build any method off the read-only list', () => {
    expect(() => rpcBody('tools/call' as never, 1)).toThrow(/refusing/);
    expect(JSON.parse(rpcBody('tools/list', 2))).toEqual({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  });
  it('reads an initialize result from SSE or JSON, and only with protocolVersion and capabilities', () => {
    const sse =
      'event: message\ndata: {"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"s","version":"1"}},"jsonrpc":"2.0","id":1}\n\n';
    expect(initializeResult(rpcFromBody('text/event-stream', sse, 1))).toEqual({
      protocolVersion: '2025-06-18',
      capabilities: ['tools'],
      flags: ['tools.listChanged'],
      serverName: 's',
      serverVersion: '1',
    });
    expect(
      initializeResult(rpcFromBody('application/json', '{"jsonrpc":"2.0","id":1,"result":{"serverInfo":{"name":"s"}}}', 1)),
    ).toBeUndefined();
    expect(
      rpcFromBody('application/json', '{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}', 1)?.error?.code,
    ).toBe(-32601);
    expect(rpcFromBody('application/json', '{"jsonrpc":"2.0","id":7,"result":{}}', 1)).toBeUndefined();
  });
  it('lists tools with their write hints and the next cursor', () => {
    const r = rpcFromBody(
      'application/json',
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        result: { tools: [{ name: 'a', annotations: { readOnlyHint: false } }, { name: 'b' }, { nope: 1 }], nextCursor: 'c2' },
      }),
      2,
    );
    expect(listedTools(r)).toEqual({ tools: [{ name: 'a', writes: true }, { name: 'b' }], nextCursor: 'c2' });
  });
});

describe('GET signals', () => {
  const reply = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });
  const err = (message: string) => JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
  it('knows the MCP "no session" replies of the SDKs, supergateway and mcp-proxy', () => {
    expect(streamableSignal(reply(400, err('Bad Request: No valid session ID provided')))).toMatch(/^400 /);
    expect(streamableSignal(reply(400, err('Bad Request: Missing session ID')))).toBeTruthy();
    expect(streamableSignal(reply(406, err('Not Acceptable: Client must accept text/event-stream')))).toBeTruthy();
    expect(streamableSignal(reply(405, err('Method not allowed.')))).toBeTruthy();
    expect(streamableSignal(reply(400, 'Invalid or missing session ID'))).toBeTruthy();
    expect(streamableSignal(reply(400, 'No sessionId'))).toBeTruthy();
  });
  it('does not take a generic error, a wrong status or a success for MCP', () => {
    expect(streamableSignal(reply(200, err('Bad Request: No valid session ID provided')))).toBeUndefined();
    expect(streamableSignal(reply(405, err('Method not found')))).toBeUndefined();
    expect(streamableSignal(reply(400, 'Bad Request'))).toBeUndefined();
    expect(streamableSignal(reply(404, '<html>Cannot GET /mcp</html>'))).toBeUndefined();
  });
  it('reads a Bearer challenge and its resource_metadata', () => {
    const h = {
      'www-authenticate': 'Bearer error="invalid_token", resource_metadata="http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp"',
    };
    expect(bearerChallenge(reply(401, '', h))?.resourceMetadata).toBe('http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp');
    expect(bearerChallenge(reply(401, '', { 'www-authenticate': 'Basic realm="x"' }))).toBeUndefined();
    expect(bearerChallenge(reply(200, '', h))).toBeUndefined();
  });
  it("tells Inspector's open proxy from the token-protected one", () => {
    const open = inspectorSignal(reply(200, '{"defaultEnvironment":{"HOME":"/root","PATH":"/bin"},"defaultCommand":"","defaultArgs":""}'));
    expect(open).toEqual({ open: true, envNames: ['HOME', 'PATH'], command: '' });
    const locked =
      '{"error":"Unauthorized","message":"Authentication required. Use the session token shown in the console when starting the server."}';
    expect(inspectorSignal(reply(401, locked))).toEqual({ open: false });
    expect(inspectorSignal(reply(200, '{"status":"ok"}'))).toBeUndefined();
  });
});

describe('the SSE endpoint stays on this origin', () => {
  const origin = 'http://127.0.0.5:8000';
  it('follows relative and same-origin endpoints only', () => {
    expect(sameOriginEndpoint('/message?sessionId=a', origin)).toBe('/message?sessionId=a');
    expect(sameOriginEndpoint('http://127.0.0.5:8000/messages/?session_id=b', origin)).toBe('/messages/?session_id=b');
    expect(sameOriginEndpoint('http://127.0.0.5:8001/message', origin)).toBeUndefined();
    expect(sameOriginEndpoint('http://localhost:8000/message', origin)).toBeUndefined();
    expect(sameOriginEndpoint('//127.0.0.6:8000/message', origin)).toBeUndefined();
  });
  it("never Inspector's process routes", () => {
    expect(sameOriginEndpoint('/stdio?command=id', origin)).toBeUndefined();
    expect(sameOriginEndpoint('/sse?transportType=stdio', origin)).toBeUndefined();
  });
});

describe('tool reach', () => {
  it('names what real servers’ tools reach', () => {
    expect(reachesOf({ name: 'read_text_file' })).toEqual(['file-system']);
    expect(reachesOf({ name: 'list_allowed_directories' })).toEqual(['file-system']);
    expect(reachesOf({ name: 'execute_command' })).toEqual(['shell']);
    expect(reachesOf({ name: 'runPythonCode' })).toEqual(['shell']);
    expect(reachesOf({ name: 'query', description: 'Run a read-only SQL query' })).toEqual(['database']);
    expect(reachesOf({ name: 'browser_navigate' })).toEqual(['browser']);
    expect(reachesOf({ name: 's3_list_buckets' })).toEqual(['cloud']);
    expect(reachesOf({ name: 'get-env', description: 'Returns all environment variables' })).toEqual(['secrets']);
  });
  it('does not read reach into look-alike words', () => {
    for (const name of [
      'gzip-file-as-resource',
      'simulate-research-query',
      'trigger-long-running-operation',
      'get-sum',
      'echo',
      'add',
      'count_tokens',
    ])
      expect(reachesOf({ name }), name).toEqual([]);
    expect(reachMap([{ name: 'echo' }, { name: 'write_file' }, { name: 'edit_file' }])).toEqual({
      'file-system': ['write_file', 'edit_file'],
    });
  });
});
