import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signatures } from '../signatures/index.js';
import { probes, services } from '../src/registry.js';

describe('probe registry', () => {
  const files = readdirSync(new URL('../probes/', import.meta.url)).filter((f) => f.endsWith('.ts'));

  it('every file in probes/ is registered, under its file name (then one probe per catalog signature)', () => {
    const signatureIds = new Set(signatures.map((s) => s.id));
    expect(probes.filter((p) => !signatureIds.has(p.meta.id)).map((p) => `${p.meta.id}.ts`).sort()).toEqual(files.sort());
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
