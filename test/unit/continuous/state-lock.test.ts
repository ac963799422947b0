import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateFingerprints } from '../../../src/continuous/migrate.js';
import {
  commitState,
  emptyState,
  loadState,
  maxStateEntries,
  maxStateField,
  saveState,
  type State,
  type StateEntry,
} from '../../../src/continuous/state.js';
import { legacyFingerprints } from '../../../src/classify/classify.js';
import { maxStateBytes } from '../../../src/read-bounded.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ea-state-lock-'));
const entry = (host: string, lastSeen: string, firstSeen = lastSeen): StateEntry => ({
  firstSeen,
  lastSeen,
  severity: 'high',
  title: `Redis on ${host}`,
  check: 'redis:unauthenticated',
  asset: host,
  host,
  port: 6379,
  service: 'redis',
});
const state = (findings: Record<string, StateEntry>, at = '2026-11-30T00:00:00.000Z'): State => ({ ...emptyState(new Date(at)), findings });

describe('the state file under a lock, merged on write', () => {
  it("two runs committing at once keep each other's findings; first seen is the earliest", async () => {
    const file = path.join(dir, 'shared', 'state.json');
    await saveState(file, state({ shared: entry('127.0.0.2', '2026-11-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z') }));
    const opts = { startedAt: new Date('2026-11-30T00:00:00Z'), resolved: () => false, now: new Date('2026-11-30T00:00:00Z') };
    // Each run computed its state from what it read at its start: neither knows the other's finding.
    const a = state({
      a: entry('127.0.0.3', '2026-11-30T00:00:00.000Z'),
      shared: entry('127.0.0.2', '2026-11-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z'),
    });
    const b = state({ b: entry('127.0.0.4', '2026-11-30T00:00:01.000Z') });
    await Promise.all([commitState(file, a, opts), commitState(file, b, opts)]);
    const after = (await loadState(file))!;
    expect(Object.keys(after.findings).sort()).toEqual(['a', 'b', 'shared']);
    expect(after.findings.shared!.firstSeen).toBe('2026-10-01T00:00:00.000Z');
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a finding this run proved gone is dropped, unless the other run saw it after this run started', async () => {
    const file = path.join(dir, 'resolved', 'state.json');
    await saveState(
      file,
      state({ gone: entry('127.0.0.5', '2026-11-29T00:00:00.000Z'), seenAgain: entry('127.0.0.6', '2026-11-30T12:00:00.000Z') }),
    );
    await commitState(file, state({}), {
      startedAt: new Date('2026-11-30T00:00:00Z'),
      resolved: () => true,
      now: new Date('2026-11-30T13:00:00Z'),
    });
    expect(Object.keys((await loadState(file))!.findings)).toEqual(['seenAgain']);
  });

  it("a maximal state (every entry and field at its cap) is written within its reader's cap and loads again", async () => {
    const file = path.join(dir, 'max', 'state.json');
    const long = 'x'.repeat(maxStateField * 4);
    const findings: Record<string, StateEntry> = {};
    for (let i = 0; i < maxStateEntries + 100; i++) {
      findings[i.toString(16).padStart(16, '0')] = {
        ...entry(long, new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString()),
        title: long,
        check: long,
        asset: long,
        service: long,
        suppressed: true,
      };
    }
    await saveState(file, state(findings));
    expect(statSync(file).size).toBeLessThan(maxStateBytes);
    const back = (await loadState(file))!;
    expect(Object.keys(back.findings)).toHaveLength(maxStateEntries);
    // The most recently seen are kept.
    expect(back.findings[(maxStateEntries + 99).toString(16).padStart(16, '0')]).toBeDefined();
    expect(back.findings['0000000000000000']).toBeUndefined();
  }, 60_000);
});

describe('state migration: product check ids keep first-seen dates', () => {
  const finding = {
    fingerprint: 'new',
    severity: 'critical' as const,
    title: 'Jenkins: script console open',
    check: 'jenkins:unauthenticated',
    probe: 'http-admin',
    asset: 'ci',
    host: '127.0.0.2',
    port: 8080,
    service: 'http',
  };
  const [legacy] = legacyFingerprints(finding);
  const old = (title: string, severity: 'critical' | 'medium'): StateEntry => ({
    ...entry('127.0.0.2', '2026-11-29T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
    title,
    severity,
    check: 'http-admin:unauthenticated',
    service: 'http',
    port: 8080,
    asset: 'ci',
  });

  it('the same product under its old fingerprint moves to the new one, first seen kept', () => {
    const m = migrateFingerprints(
      { findings: [finding] as never },
      { state: state({ [legacy!]: old('Jenkins: script console open', 'critical') }) },
    );
    expect(m.migrated).toBe(1);
    expect(m.state!.findings.new!.firstSeen).toBe('2026-01-01T00:00:00.000Z');
    expect(m.state!.findings.new!.check).toBe('jenkins:unauthenticated');
    expect(m.state!.findings[legacy!]).toBeUndefined();
  });

  it('another product under the old fingerprint (nginx stub_status then, Jenkins now) is not migrated: the finding is NEW', () => {
    const m = migrateFingerprints(
      { findings: [finding] as never },
      { state: state({ [legacy!]: old('nginx: stub_status open', 'medium') }) },
    );
    expect(m.migrated).toBe(0);
    expect(m.state!.findings.new).toBeUndefined();
  });
});
