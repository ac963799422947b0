/**
 * Recorded HTTP exchanges of MCP servers, for replaying the `mcp` probe without installing them
 * (test/integration/probes/mcp-replies.test.ts). Each case is one server state: its exchanges keyed by `METHOD path` (plus the
 * JSON-RPC method for POSTs), the verdict it must get, and where the replies come from. Anything not listed answers
 * 404. Plain data on purpose: the generic per-probe replies format may wrap it later.
 * Streams (legacy SSE) are not replayable as one-shot replies; those run against the real servers only
 * (test/integration/probes/mcp.test.ts).
 */
export interface RecordedExchange {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface RecordedCase {
  source: string;
  expect: { status: 'exposed' | 'auth-required' | 'not-detected'; severity?: 'critical' | 'high' | 'medium'; product?: string };
  /** `GET /mcp`, `POST /mcp initialize`, `DELETE /mcp`. */
  exchanges: Record<string, RecordedExchange>;
}

const sse = (data: unknown) => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream', 'mcp-session-id': 'b6a1c7e0-5d1f-4f7e-9a43-0c8d2e3f4a5b' },
  body: `event: message\ndata: ${JSON.stringify(data)}\n\n`,
});
const json = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(data),
});

export const mcpReplies: Record<string, RecordedCase> = {
  'everything-streamable': {
    source:
      'recorded from @modelcontextprotocol/server-everything 2026.8.31 (`streamableHttp`) here; tools/list trimmed to 4 of its 13 tools',
    expect: { status: 'exposed', severity: 'critical', product: 'MCP server mcp-servers/everything' },
    exchanges: {
      'GET /mcp': json(400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' } }),
      'POST /mcp initialize': sse({
        result: {
          protocolVersion: '2025-06-18',
          capabilities: {
            tools: { listChanged: true },
            prompts: { listChanged: true },
            resources: { subscribe: true, listChanged: true },
            logging: {},
            completions: {},
          },
          serverInfo: { name: 'mcp-servers/everything', title: 'Everything Reference Server', version: '2.0.0' },
        },
        jsonrpc: '2.0',
        id: 1,
      }),
      'POST /mcp notifications/initialized': { status: 202, body: '' },
      'POST /mcp tools/list': sse({
        result: {
          tools: [
            { name: 'echo', description: 'Echoes back the input string', annotations: { readOnlyHint: true, destructiveHint: false } },
            {
              name: 'get-env',
              description: 'Returns all environment variables, helpful for debugging MCP server configuration',
              annotations: { readOnlyHint: true },
            },
            { name: 'get-sum', description: 'Returns the sum of two numbers', annotations: { readOnlyHint: true } },
            {
              name: 'gzip-file-as-resource',
              description: 'Compresses a single file using gzip compression.',
              annotations: { readOnlyHint: false, openWorldHint: true },
            },
          ],
        },
        jsonrpc: '2.0',
        id: 2,
      }),
      'POST /mcp resources/list': sse({
        result: { resources: [{ uri: 'demo://resource/static/document/architecture.md', name: 'architecture.md' }] },
        jsonrpc: '2.0',
        id: 10,
      }),
      'POST /mcp prompts/list': sse({ result: { prompts: [{ name: 'simple-prompt' }] }, jsonrpc: '2.0', id: 11 }),
      'DELETE /mcp': { status: 200, body: '' },
    },
  },
  'filesystem-supergateway-stateless': {
    source:
      'recorded from @modelcontextprotocol/server-filesystem 2026.8.31 behind supergateway 4.0.0 `--outputTransport streamableHttp` (stateless: no session id) here; tools/list trimmed',
    expect: { status: 'exposed', severity: 'critical', product: 'MCP server secure-filesystem-server' },
    exchanges: {
      'GET /mcp': { status: 405, body: '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Method not allowed."},"id":null}' },
      'POST /mcp initialize': {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: 'event: message\ndata: {"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"secure-filesystem-server","version":"0.2.0"}},"jsonrpc":"2.0","id":1}\n\n',
      },

      'POST /mcp tools/list': {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: 'event: message\ndata: {"result":{"tools":[{"name":"read_text_file","description":"Read the complete contents of a file from the file system as text."},{"name":"write_file","description":"Create a new file or completely overwrite an existing file with new content."},{"name":"list_allowed_directories","description":"Returns the list of directories that this server is allowed to access."}]},"jsonrpc":"2.0","id":2}\n\n',
      },
    },
  },
  'python-sdk-streamable': {
    source:
      'modelcontextprotocol/python-sdk src/mcp/server/streamable_http.py: GET without `Accept: text/event-stream` → 406 (create_error_response, id "server-error", INVALID_REQUEST); JSON responses when json_response=True; tool from the SDK README quickstart (`add`)',
    expect: { status: 'exposed', severity: 'high', product: 'MCP server Demo' },
    exchanges: {
      'GET /mcp': json(406, {
        jsonrpc: '2.0',
        id: 'server-error',
        error: { code: -32600, message: 'Not Acceptable: Client must accept text/event-stream' },
      }),
      'POST /mcp initialize': json(
        200,
        {
          jsonrpc: '2.0',
          id: 1,
          result: {
            protocolVersion: '2025-06-18',
            capabilities: { tools: { listChanged: false } },
            serverInfo: { name: 'Demo', version: '1.26.0' },
          },
        },
        { 'mcp-session-id': '2c1f0d9e8b7a4c3d9e0f1a2b3c4d5e6f' },
      ),
      'POST /mcp notifications/initialized': json(202, null),
      'POST /mcp tools/list': json(200, { jsonrpc: '2.0', id: 2, result: { tools: [{ name: 'add', description: 'Add two numbers' }] } }),
      'DELETE /mcp': { status: 200, body: '' },
    },
  },
  'sdk-bearer': {
    source:
      "recorded from an @modelcontextprotocol/sdk 1.32.2 server behind requireBearerAuth with mcpAuthMetadataRouter here (test/support/servers/mcp.ts 'sdk-bearer')",
    expect: { status: 'auth-required', product: 'MCP server' },
    exchanges: {
      'GET /mcp': json(
        401,
        { error: 'invalid_token', error_description: 'Missing Authorization header' },
        {
          'www-authenticate':
            'Bearer error="invalid_token", error_description="Missing Authorization header", resource_metadata="{origin}/.well-known/oauth-protected-resource/mcp"',
        },
      ),
      'GET /.well-known/oauth-protected-resource/mcp': json(200, { resource: '{origin}/mcp', authorization_servers: ['{origin}/'] }),
    },
  },
  'inspector-0.14.0': {
    source: 'recorded from @modelcontextprotocol/inspector 0.14.0 server/build/index.js here (no authentication; CVE-2025-49596)',
    expect: { status: 'exposed', severity: 'critical', product: 'MCP Inspector proxy' },
    exchanges: {
      'GET /mcp': { status: 404, body: 'Session not found' },
      'GET /health': json(200, { status: 'ok' }),
      'GET /config': json(200, {
        defaultEnvironment: { HOME: '/root', PATH: '/usr/local/bin:/usr/bin:/bin', SHELL: '/bin/bash', TERM: 'xterm' },
        defaultCommand: '',
        defaultArgs: '',
      }),
    },
  },
  'inspector-0.14.3': {
    source: 'recorded from @modelcontextprotocol/inspector-server 0.14.3 build/index.js here (session token required)',
    expect: { status: 'auth-required', product: 'MCP Inspector proxy' },
    exchanges: {
      'GET /mcp': json(401, {
        error: 'Unauthorized',
        message: 'Authentication required. Use the session token shown in the console when starting the server.',
      }),
      'GET /health': json(200, { status: 'ok' }),
      'GET /config': json(401, {
        error: 'Unauthorized',
        message: 'Authentication required. Use the session token shown in the console when starting the server.',
      }),
    },
  },
};
