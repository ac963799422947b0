// Issue 21 part 5: one exposure, one identity. A replayed open Ollama (signatures/ollama.replies.ts, case `exposed`)
// on 127.0.9.31:11434 is declared four ways — its own service key, `http: [11434]`, no services (default expansion)
// and an nmap import — and audited by the CLI each time: one check id, one fingerprint, one severity (at least high,
// as the README's AI table promises). A state file written under the old `http:ollama` identity keeps first-seen.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ollamaReplies from '../../../signatures/ollama.replies.js';
import { fingerprintOf } from '../../../src/classify/classify.js';
import { atLeast } from '../../../src/domain/severity.js';
import { parseReport } from '../../../src/report/compact.js';
import type { ReportFinding } from '../../../src/report/schema.js';
import { cli } from '../../support/cli.js';
import { startReplayServer, type ReplayServer } from '../../support/replay-server.js';

const HOST = '127.0.9.31';
const dir = mkdtempSync(path.join(tmpdir(), 'ea-identity-'));
let ollama: ReplayServer;

const nmapXml = `<?xml version="1.0" encoding="UTF-8"?>
<nmaprun scanner="nmap" args="nmap -sV -oX - ${HOST}" start="1790000000" version="7.94" xmloutputversion="1.05">
<host><status state="up" reason="localhost-response"/><address addr="${HOST}" addrtype="ipv4"/><hostnames/>
<ports><port protocol="tcp" portid="11434"><state state="open" reason="syn-ack"/><service name="http" method="probed" conf="10"/></port></ports>
</host>
</nmaprun>
`;

async function scan(name: string, inventory: string, extra: string[] = ['--no-state']): Promise<ReportFinding> {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, inventory);
  const { code, stdout, stderr } = await cli([file, '--format', 'json', ...extra]);
  expect(stderr, name).toBe('');
  expect(code, name).toBe(1);
  const findings = parseReport(JSON.parse(stdout)).findings.filter((f) => f.port === 11434);
  expect(findings, name).toHaveLength(1);
  return findings[0]!;
}

const declared = (services: string) => `targets:\n  - host: ${HOST}\n    name: gpu-box\n${services}defaults: {timeout: 10s}\n`;

beforeAll(async () => {
  ollama = await startReplayServer(HOST, 11434, ollamaReplies.cases['exposed']!);
});
afterAll(() => ollama.close());

describe('the same Ollama declared four ways', () => {
  it('one check id, one fingerprint, one severity (at least high)', async () => {
    const nmapFile = path.join(dir, 'scan.xml');
    writeFileSync(nmapFile, nmapXml);
    const imported = await cli(['import', 'nmap', nmapFile]);
    expect(imported.code).toBe(0);
    // The import names the asset by its address; give it the same name as the hand-written declarations.
    const importedYaml = imported.stdout.replace(/^(\s*- host: 127\.0\.9\.31\n)/m, '$1    name: gpu-box\n');
    expect(importedYaml).toContain('11434');

    const found = [
      await scan('own-key', declared('    services: {ollama: [11434]}\n')),
      await scan('http', declared('    services: {http: [11434]}\n')),
      await scan('default', declared('')),
      await scan('nmap-import', `${importedYaml.replace(/^defaults:.*$/m, '')}\ndefaults: {timeout: 10s}\n`),
    ];
    const ids = found.map((f) => `${f.check} ${f.fingerprint} ${f.severity}`);
    expect(new Set(ids).size, ids.join('\n')).toBe(1);
    expect(found[0]!.check).toBe('ollama:unauthenticated');
    expect(atLeast(found[0]!.severity, 'high')).toBe(true);
  }, 240_000);

  it('a state file holding the old `http:ollama` fingerprint keeps its first-seen date', async () => {
    const state = path.join(dir, 'state.json');
    const before = await scan('state-first', declared('    services: {http: [11434]}\n'), ['--state', state]);
    const stateJson = JSON.parse(readFileSync(state, 'utf8'));
    const entry = stateJson.findings[before.fingerprint];
    expect(entry).toMatchObject({ check: 'ollama:unauthenticated', service: 'http' });
    // Rewrite the state as 0.x left it: the fingerprint of service `http`, check `http:ollama`, first seen long ago.
    const oldFp = fingerprintOf({ asset: 'gpu-box', declaredHost: HOST, host: HOST, service: 'http', port: 11434 }, 'http:ollama');
    expect(oldFp).not.toBe(before.fingerprint);
    const firstSeen = '2024-01-02T03:04:05.000Z';
    delete stateJson.findings[before.fingerprint];
    stateJson.findings[oldFp] = { ...entry, check: 'http:ollama', firstSeen };
    writeFileSync(state, JSON.stringify(stateJson));
    // Declared under its own key this time: the same identity, first seen kept.
    const after = await scan('state-again', declared('    services: {ollama: [11434]}\n'), ['--state', state]);
    expect(after.fingerprint).toBe(before.fingerprint);
    expect(after.firstSeen).toBe(firstSeen);
    expect(after.change).toBe('unchanged');
  }, 240_000);
});
