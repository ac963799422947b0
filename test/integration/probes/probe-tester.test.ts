// The one generic test of every probe's recorded replies (probes/<id>.replies.ts), ESLint RuleTester style: each
// case through one replay TCP server on 127.0.9.1, checking the verdict, that every request the server received is
// declared in meta.sends (read-only), that no planted secret survives into the observation, and hostile variants.
import { afterAll, describe, expect, it } from 'vitest';
import { probes } from '../../../src/cli/registry.js';
import { probeRepliesProblems, type ProbeCase, type ProbeReplies } from '../../../src/probe-replies.js';
import { hostileVariants, loadProbeReplies, runCase } from '../../support/probe-tester.js';
import { createHarness } from '../../support/probe-harness.js';

const host = '127.0.9.1';
const all = await loadProbeReplies();
const probeById = new Map(probes.map((p) => [p.meta.id, p]));
afterAll(() => createHarness().close());

/** `want` with every RegExp turned into expect.stringMatching, for toMatchObject / toEqual. */
function matcher(want: unknown): unknown {
  if (want instanceof RegExp) return expect.stringMatching(want);
  if (Array.isArray(want)) return want.map(matcher);
  if (want && typeof want === 'object') return Object.fromEntries(Object.entries(want).map(([k, v]) => [k, matcher(v)]));
  return want;
}

function check(replies: ProbeReplies, name: string, c: ProbeCase) {
  it(`${name} (${c.state}) → ${[c.expect.status].flat().join(' | ')}${c.expect.code ? ` ${c.expect.code}` : ''}`, async () => {
    const probe = probeById.get(replies.probe)!;
    const run = await runCase(probe, replies, c, host);
    const o = run.observation;
    const why = `${replies.probe}/${name}: ${o.status} ${JSON.stringify(o.error ?? o.evidence.reply ?? '')}`;
    expect([c.expect.status].flat(), why).toContain(o.status);
    if (c.expect.code) expect(o.error?.code, why).toBe(c.expect.code);
    if (c.expect.product) expect(o.evidence.product, why).toBe(c.expect.product);
    expect(o.error?.code, why).not.toBe('EA_PROBE_CRASH');
    expect(run.undeclared, `${replies.probe}/${name}: requests not in meta.sends`).toEqual([]);
    expect(run.leaked, `${replies.probe}/${name}: planted secrets in the observation`).toEqual([]);
    if (c.state === 'busy' && o.status === 'error') expect(o.evidence.product, why).toBeTruthy();
    const { evidence, facts, data, received } = c.expect;
    if (evidence) expect(o.evidence, why).toMatchObject(matcher(evidence) as object);
    if (facts) expect(o.facts, why).toMatchObject(matcher(facts) as object);
    if (data === null) expect(o.data, why).toBeUndefined();
    else if (data) expect(o.data, why).toMatchObject(matcher(data) as object);
    if (received) expect(run.received, `${replies.probe}/${name}: requests received`).toEqual(matcher(received));
  });
}

describe.each(all.map((r) => [r.probe, r] as const))('%s: recorded replies', (_id, replies) => {
  it('names a registered probe and is well formed', () => {
    expect(probeById.has(replies.probe), `probes/${replies.probe}.replies.ts names no probe`).toBe(true);
    expect(probeRepliesProblems(replies)).toEqual([]);
  });
  for (const [name, c] of Object.entries(replies.cases)) check(replies, name, c);
  for (const [name, c] of hostileVariants(replies)) check(replies, `hostile: ${name}`, c);
});
