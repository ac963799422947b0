import { describe, expect, it } from 'vitest';
import { probeConfig, resolveRunConfig, runDefaults } from '../../../src/domain/run-config.js';
import { starterInventory } from '../../../src/cli/commands/init.js';

describe('one resolved, frozen run configuration', () => {
  it('the command line wins, then the inventory defaults, then the built-in ones', () => {
    const c = resolveRunConfig({ timeoutMs: 900, concurrency: undefined }, { timeout: 5000, connectTimeout: 700, concurrency: 16 });
    expect(c).toEqual({ ...runDefaults, timeoutMs: 900, connectTimeoutMs: 700, concurrency: 16 });
    expect(resolveRunConfig()).toEqual(runDefaults);
  });

  it('is frozen, caps included, and opt-ins left unset stay absent', () => {
    const c = resolveRunConfig({ tryDefaultCredentials: false, sampleRows: undefined });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.caps)).toBe(true);
    expect('tryDefaultCredentials' in c || 'sampleRows' in c || 'rate' in c).toBe(false);
    expect(() => ((c as { timeoutMs: number }).timeoutMs = 1)).toThrow(TypeError);
  });

  it("a probe attempt's slice: its limits and opt-ins, not the schedulers'", () => {
    const c = resolveRunConfig({ sampleRows: 5, tryDefaultCredentials: true, sourceAddress: '127.0.0.9', rate: 100 });
    expect(probeConfig(c)).toEqual({
      timeoutMs: runDefaults.timeoutMs,
      connectTimeoutMs: runDefaults.connectTimeoutMs,
      maxBytes: runDefaults.maxBytes,
      caps: runDefaults.caps,
      sampleRows: 5,
      tryDefaultCredentials: true,
      sourceAddress: '127.0.0.9',
    });
    expect(Object.keys(probeConfig(resolveRunConfig())).sort()).toEqual(['caps', 'connectTimeoutMs', 'maxBytes', 'timeoutMs']);
  });

  it("init's starter inventory quotes the built-in defaults", () => {
    const inv = starterInventory('targets.yaml');
    expect(inv).toContain(`#   timeout: ${runDefaults.timeoutMs / 1000}s `);
    expect(inv).toContain(`#   maxBytes: ${runDefaults.maxBytes} `);
  });
});
