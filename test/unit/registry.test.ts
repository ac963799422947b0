import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probes as folderList } from '../../probes/index.js';
import { outOfDate } from '../../scripts/gen-outputs.js';
import { probeFiles, registrySource } from '../../scripts/gen-registry.js';
import { signatures } from '../../signatures/index.js';
import { probes, services } from '../../src/cli/registry.js';
import { catalogRunners, loadProbeReplies, recordedHttpStates, repliesPath } from '../support/probe-tester.js';

describe('probe registry: the folder is the registry', () => {
  const dir = fileURLToPath(new URL('../../probes/', import.meta.url));
  const files = probeFiles(dir);

  it('probes/index.ts is what npm run gen writes for the folder (sorted by file name)', () => {
    expect(readFileSync(new URL('../../probes/index.ts', import.meta.url), 'utf8'), outOfDate('probes/index.ts')).toBe(
      registrySource(files),
    );
  });

  it('every file in probes/ is listed, under its file name, then one probe per catalog signature', () => {
    expect(folderList.map((p) => p.meta.id)).toEqual(files);
    const signatureIds = new Set(signatures.map((s) => s.id));
    expect(
      probes
        .filter((p) => !signatureIds.has(p.meta.id))
        .map((p) => p.meta.id)
        .sort(),
    ).toEqual(files);
    expect(probes.filter((p) => signatureIds.has(p.meta.id)).map((p) => p.meta.service)).toEqual(signatures.map((s) => s.id));
  });

  it.each(probes.map((p) => [p.meta.id, p] as const))('%s: meta is valid', (_id, p) => {
    expect(p.meta.sends.length).toBeGreaterThan(0);
    expect(p.meta.defaultPorts.length).toBeGreaterThan(0);
    expect(p.meta.remediation.length).toBeGreaterThan(10);
    expect(services).toContain(p.meta.service);
  });

  it('ids are unique', () => {
    expect(new Set(probes.map((p) => p.meta.id)).size).toBe(probes.length);
  });
});

const replies = await loadProbeReplies();

describe('every probe has recorded replies (probes/<id>.replies.ts, run by test/integration/probes/probe-tester.test.ts)', () => {
  const own = probes.filter((p) => folderList.includes(p) && !catalogRunners.has(p.meta.id));

  it.each(own.map((p) => [p.meta.id, p.meta.transport] as const))('%s has exposed and secured cases', async (id, transport) => {
    const r = replies.find((x) => x.probe === id);
    const states = new Set(Object.values(r?.cases ?? {}).map((c) => c.state));
    const http = !r && transport === 'http' ? await recordedHttpStates(id) : undefined;
    const missing = http ? !http.has('exposed') || !http.has('auth-required') : !r || !states.has('exposed') || !states.has('secured');
    expect(
      missing
        ? `probes/${id}.ts has no ${repliesPath(id)} with exposed and secured cases: write it (npm run new:probe ${id} scaffolds one)`
        : '',
    ).toBe('');
  });
});
