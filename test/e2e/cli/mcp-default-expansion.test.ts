// Issue 22's "done" for MCP: a host declared WITHOUT `services:` that runs an MCP server with file-system tools on
// a default port (supergateway's 8000) is found and reported critical through the default expansion, by the CLI:
// inventory → expandTargets → runAudit → classify → report. The real @modelcontextprotocol/server-filesystem behind
// supergateway 4.0 (test/support/servers/mcp.ts) on 127.0.22.100; every other port of that address is closed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mcpServerAvailable, startMcpServer, type McpServer } from '../../support/servers/mcp.js';
import { parseReport } from '../../../src/report/compact.js';
import { cli } from '../../support/cli.js';

const HOST = '127.0.22.100';
let server: McpServer | undefined;
afterAll(async () => server?.stop());

describe('an MCP server on its default port, host declared without services', () => {
  it.skipIf(!mcpServerAvailable('filesystem-stateful'))(
    'is audited by default and reported critical with its file-system tools',
    async () => {
      server = await startMcpServer({ kind: 'filesystem-stateful', host: HOST, port: 8000 });
      const dir = mkdtempSync(path.join(tmpdir(), 'ea-mcp-default-'));
      const inventory = path.join(dir, 'targets.yaml');
      writeFileSync(inventory, [`targets:`, `  - host: ${HOST}`, `    name: agent-box`, `defaults: {timeout: 20s}`, ''].join('\n'));
      const { code, stdout, stderr } = await cli([inventory, '--format', 'json', '--no-state']);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      const report = parseReport(JSON.parse(stdout));
      const exposed = report.endpoints.filter((e) => e.status === 'exposed');
      expect(exposed.map((e) => `${e.service}:${e.port}`)).toEqual(['mcp:8000']);
      expect(exposed[0]!.evidence.product).toBe('MCP server secure-filesystem-server');
      const finding = report.findings.find((f) => f.service === 'mcp');
      expect(finding?.severity).toBe('critical');
      expect(finding?.reason).toMatch(/file system/);
    },
    180_000,
  );
});
