// --try-default-credentials end to end: the CLI flag → AuditOptions → ProbeRunOptions → ProbeContext → the catalog.
// A replayed LiteLLM proxy (signatures/litellm.replies.ts: the 401 of a proxy with a master key, the /model/info of
// one without) on 127.0.7.11, port 0, accepting ONLY its documented example master key (Bearer sk-1234). With the
// flag the run reports a `default-credential` finding (its own check id); without it no credential ever goes out.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import litellmReplies from '../../../signatures/litellm.replies.js';
import type { RecordedReply } from '../../../src/http-catalog/replies.js';
import { reportSchema } from '../../../src/report/schema.js';
import { cli } from '../../support/cli.js';

const HOST = '127.0.7.11';
const dir = mkdtempSync(path.join(tmpdir(), 'ea-defcred-'));
const recorded = (kase: string, p: string): RecordedReply => litellmReplies.cases[kase]!.replies.find((r) => r.path === p)!;
const denied = recorded('secured', '/model/info');
const granted = recorded('exposed', '/model/info');

/** Every request as `METHOD url authorization-or-dash`. */
const seen: string[] = [];
let server: http.Server;
let inventory = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const auth = req.headers.authorization;
    seen.push(`${req.method} ${req.url} ${auth ?? '-'}`);
    req.resume();
    const reply =
      req.url === '/model/info' ? (auth === 'Bearer sk-1234' ? granted : denied) : { status: 404, body: { detail: 'Not Found' } };
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const port = (server.address() as AddressInfo).port;
  inventory = path.join(dir, 'targets.yaml');
  writeFileSync(
    inventory,
    [`targets:`, `  - host: ${HOST}`, `    name: llm-gateway`, `    services: {litellm: [${port}]}`, `defaults: {timeout: 10s}`, ''].join(
      '\n',
    ),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function scan(extra: string[], file = inventory) {
  const { code, stdout, stderr } = await cli([file, '--format', 'json', '--no-state', ...extra]);
  return { code, stderr, report: reportSchema.parse(JSON.parse(stdout)) };
}

describe('--try-default-credentials (CLI)', () => {
  it('without the flag: auth-required, no finding, and no credential is sent', async () => {
    seen.length = 0;
    const r = await scan([]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.report.endpoints.map((e) => e.status)).toEqual(['auth-required']);
    expect(r.report.findings.filter((f) => f.check.endsWith(':default-credential'))).toEqual([]);
    expect(seen.filter((s) => s.startsWith('GET /model/info'))).toEqual(['GET /model/info -']);
    expect(seen.some((s) => !s.endsWith(' -'))).toBe(false);
  });

  it('with the flag: the documented key is tried once and reported as its own critical check', async () => {
    seen.length = 0;
    const r = await scan(['--try-default-credentials']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.report.endpoints.map((e) => e.status)).toEqual(['auth-required']);
    const creds = r.report.findings.filter((f) => f.check.endsWith(':default-credential'));
    expect(creds).toHaveLength(1);
    expect(creds[0]!.check).toBe('litellm:default-credential');
    expect(creds[0]!.severity).toBe('critical');
    expect(creds[0]!.asset).toBe('llm-gateway');
    // Exactly one credentialed request, the documented one, on the signature's declared GET.
    expect(seen.filter((s) => !s.endsWith(' -'))).toEqual(['GET /model/info Bearer sk-1234']);
  });

  it('a port declared under two services gets the documented key once, and one default-credential finding', async () => {
    seen.length = 0;
    const port = (server.address() as AddressInfo).port;
    const twice = path.join(dir, 'twice.yaml');
    writeFileSync(
      twice,
      [
        `targets:`,
        `  - host: ${HOST}`,
        `    name: llm-gateway`,
        `    services: {litellm: [${port}], http: [${port}]}`,
        `defaults: {timeout: 10s}`,
        '',
      ].join('\n'),
    );
    const r = await scan(['--try-default-credentials'], twice);
    expect(r.stderr).toBe('');
    expect(r.report.endpoints).toHaveLength(2);
    expect(seen.filter((s) => !s.endsWith(' -'))).toEqual(['GET /model/info Bearer sk-1234']);
    expect(r.report.findings.filter((f) => f.check.endsWith(':default-credential'))).toHaveLength(1);
  });
});
