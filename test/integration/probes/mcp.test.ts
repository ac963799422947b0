// The MCP probe against real MCP servers from npm (scripts/install-test-deps.sh → .test-tools/), each behind a
// loopback recording proxy: the request log proves only GET/HEAD reached an unidentified port and only read-only
// JSON-RPC methods were ever sent. Servers on 127.0.22.10–29, proxies on 127.0.22.30–49; IP literals only.
import { afterAll, describe, expect, it } from 'vitest';
import mcpProbe from '../../../probes/mcp.js';
import { mcpServerAvailable, startMcpServer, type McpServer, type McpServerKind } from '../../support/servers/mcp.js';
import { stopAll } from '../../support/servers/index.js';
import { reservePorts } from '../../support/servers/loopback.js';
import { readOnlyMethods } from '../../../src/protocols/mcp.js';
import type { Observation, Severity, Status } from '../../../src/types.js';
import { createHarness } from '../../support/probe-harness.js';
import { startRecordingProxy, type Recorded, type RecordingProxy } from '../../support/recording-proxy.js';

const T = 120_000;
const harness = createHarness({ probes: [mcpProbe], timeoutMs: 20_000 });
const running: Array<{ stop(): Promise<void> } | RecordingProxy> = [];

afterAll(async () => {
  for (const r of running.reverse()) await ('close' in r ? r.close() : r.stop());
  await harness.close();
  await stopAll();
}, T);

/** What may ever reach an MCP server from the probe. */
const forbiddenRpc =
  /^(tools\/call|resources\/read|resources\/subscribe|prompts\/get|completion\/complete|logging\/setLevel|sampling\/|elicitation\/|roots\/)/;

/** The request log's safety rules: the first non-GET comes after a GET; every POST carries read-only methods only. */
function expectReadOnly(log: Recorded[]): void {
  const firstWrite = log.findIndex((r) => r.method !== 'GET' && r.method !== 'HEAD');
  if (firstWrite >= 0) expect(firstWrite, 'a GET identified the server before any POST').toBeGreaterThan(0);
  for (const r of log) {
    expect(['GET', 'HEAD', 'POST', 'DELETE']).toContain(r.method);
    expect(r.path).not.toMatch(/^\/stdio|[?&](command|transportType)=/);
    if (r.method === 'POST') for (const m of r.rpc) expect(readOnlyMethods as readonly string[], `${m} at ${r.path}`).toContain(m);
    for (const m of r.rpc) expect(m).not.toMatch(forbiddenRpc);
    if (r.method === 'DELETE') expect(r.headers['mcp-session-id'], 'DELETE only ends a session we were given').toBeTruthy();
  }
}

interface Row {
  kind: McpServerKind;
  status: Status;
  severity?: Severity;
  transport?: 'streamable-http' | 'sse';
  product?: RegExp;
  tools?: string[];
  reach?: string[];
}

const rows: Row[] = [
  {
    kind: 'everything-streamable',
    status: 'exposed',
    severity: 'critical',
    transport: 'streamable-http',
    product: /mcp-servers\/everything/,
    tools: ['echo', 'get-env'],
    reach: ['secrets'],
  },
  {
    kind: 'everything-sse',
    status: 'exposed',
    severity: 'critical',
    transport: 'sse',
    product: /mcp-servers\/everything/,
    tools: ['echo'],
    reach: ['secrets'],
  },
  {
    kind: 'filesystem-streamable',
    status: 'exposed',
    severity: 'critical',
    transport: 'streamable-http',
    product: /secure-filesystem-server/,
    tools: ['read_text_file', 'write_file'],
    reach: ['file-system'],
  },
  {
    kind: 'filesystem-stateful',
    status: 'exposed',
    severity: 'critical',
    transport: 'streamable-http',
    product: /secure-filesystem-server/,
    tools: ['list_directory'],
    reach: ['file-system'],
  },
  {
    kind: 'filesystem-sse',
    status: 'exposed',
    severity: 'critical',
    transport: 'sse',
    product: /secure-filesystem-server/,
    tools: ['edit_file'],
    reach: ['file-system'],
  },
  {
    kind: 'sdk-open',
    status: 'exposed',
    severity: 'high',
    transport: 'streamable-http',
    product: /ea-test-sdk-server/,
    tools: ['add', 'get-weather-forecast'],
    reach: [],
  },
  { kind: 'sdk-bearer', status: 'auth-required' },
  { kind: 'inspector-0.14.0', status: 'exposed', severity: 'critical', product: /MCP Inspector/ },
  { kind: 'inspector-token', status: 'auth-required', product: /MCP Inspector/ },
];

async function serve(kind: McpServerKind, i: number): Promise<{ server: McpServer; proxy: RecordingProxy }> {
  const host = `127.0.22.${10 + i}`;
  const proxyHost = `127.0.22.${30 + i}`;
  // The proxy first, so the SDK server's resource_metadata URL names the address the probe reaches.
  const { proxy: port } = await reservePorts(proxyHost, ['proxy']);
  const server = await startMcpServer({ kind, host, publicUrl: `http://${proxyHost}:${port}` });
  running.push(server);
  const proxy = await startRecordingProxy(proxyHost, host, server.port, port);
  running.push(proxy);
  return { server, proxy };
}

const facts = (o: Observation) =>
  o.facts as { transport?: string; toolNames?: string[]; toolReach?: Record<string, string[]>; resource?: string };

describe('MCP probe against real servers', () => {
  rows.forEach((row, i) => {
    it.skipIf(!mcpServerAvailable(row.kind))(
      `${row.kind}: ${row.status}${row.severity ? ` (${row.severity})` : ''}`,
      async () => {
        const { server, proxy } = await serve(row.kind, i);
        const { observation: o } = await harness.probe('mcp', proxy.host, proxy.port);
        const context = `${JSON.stringify(o, null, 1).slice(0, 3000)}\n${server.log()}`;
        expect(o.status, context).toBe(row.status);
        if (row.severity) expect(o.assessment?.severity, context).toBe(row.severity);
        if (row.product) expect(o.evidence.product, context).toMatch(row.product);
        if (row.transport) expect(facts(o).transport).toBe(row.transport);
        for (const t of row.tools ?? []) expect(facts(o).toolNames, context).toContain(t);
        if (row.reach) expect(Object.keys(facts(o).toolReach ?? {})).toEqual(row.reach);
        if (row.kind === 'sdk-bearer') expect(facts(o).resource).toMatch(/\/mcp$/);
        expectReadOnly(proxy.log);
        if (row.kind.startsWith('inspector')) expect(proxy.log.every((r) => r.method === 'GET')).toBe(true);
        if (row.kind === 'sdk-bearer') expect(proxy.log.filter((r) => r.method === 'POST')).toEqual([]);
        if (row.status === 'exposed' && !row.kind.startsWith('inspector')) {
          const rpc = proxy.log.flatMap((r) => r.rpc);
          expect(rpc).toEqual(expect.arrayContaining(['initialize', 'tools/list']));
          // A session (Streamable HTTP with Mcp-Session-Id, or SSE) is marked initialized; a stateless server is not.
          expect(rpc.includes('notifications/initialized')).toBe(o.facts.session === true);
          if (row.kind === 'filesystem-streamable') expect(o.facts.session).toBe(false);
        }
      },
      T,
    );
  });
});
