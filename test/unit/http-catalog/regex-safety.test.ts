// Every regex that sees server text must be linear-time (and only ever sees a bounded slice: match.ts, capture()).
// Each signature pattern — and each signature's extract/summarize, which hold inline patterns — runs on 64 KiB
// adversarial bodies (long runs of one character after a few openers: the inputs that make backtracking explode).
// The budget is generous (250 ms for the slowest body, measured in this process, so a loaded machine does not fail
// it): a catastrophic pattern takes seconds to hours on one such body, a linear one about a millisecond.
import { describe, expect, it } from 'vitest';
import { signatures } from '../../../signatures/index.js';
import { loginForm, scanLimit, type Signature, type SignatureReply } from '../../../src/http-catalog/signature.js';

/** Milliseconds one call takes; a slow call is retried twice and the fastest kept (a GC pause is not backtracking). */
function timed(fn: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3 && best >= 250; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function patternsOf(value: unknown, out: RegExp[] = [], seen = new Set<unknown>()): RegExp[] {
  if (value instanceof RegExp) out.push(value);
  else if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const v of Object.values(value)) patternsOf(v, out, seen);
  }
  return out;
}

const openers = ['', '"', '<', '{"', '<input ', '- ', 'a@'];

/** Long runs of each character the pattern mentions (and a few usual suspects), after a few openers. */
function hostileBodies(re: RegExp): string[] {
  const chars = new Set(
    [...re.source.replace(/\\[dswbDSWB]/g, '').replace(/[\\^$.*+?()[\]{}|]/g, '')].concat([
      ' ',
      '\n',
      '\t',
      '"',
      "'",
      '<',
      '>',
      'a',
      '@',
      '=',
      ':',
      '0',
      '/',
      '-',
      '_',
    ]),
  );
  const out: string[] = [];
  for (const o of openers) for (const c of chars) out.push(o + c.repeat(scanLimit - o.length));
  return out;
}

/** A JSON body with the hostile string at every path the signature's matchers name (and a few usual ones). */
function hostileJson(s: Signature, text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const paths = [...s.positive, ...s.auth, ...(s.leaks ?? []), ...(s.unclaimed ?? [])].flatMap((m) =>
    (m.json ?? []).map((c) => (typeof c === 'string' ? c : c.path)),
  );
  for (const p of [...paths, 'version', 'data.yaml', 'data.version']) {
    const segs = p.split('.');
    let cur = root;
    for (const seg of segs.slice(0, -1))
      cur = (cur[seg] && typeof cur[seg] === 'object' ? cur[seg] : (cur[seg] = {})) as Record<string, unknown>;
    cur[segs.at(-1)!] = text;
  }
  return root;
}

function reply(text: string, requestId: string, request: string, json?: unknown): SignatureReply {
  return {
    requestId,
    request,
    status: 200,
    headers: { 'content-type': 'text/html', server: text.slice(0, 4096) },
    text,
    truncated: false,
    json: () => json,
  };
}

describe('every pattern that sees server text is linear on 64 KiB adversarial bodies', () => {
  const all = signatures.flatMap((s) => patternsOf(s).map((re) => [s.id, re] as const));
  all.push(...patternsOf(loginForm).map((re) => ['(login form veto)', re] as const));

  it('finds the patterns', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it.each(all.map(([id, re]) => [id, String(re), re] as const))('%s %s', (_id, _src, re) => {
    let worst = 0;
    for (const b of hostileBodies(re))
      worst = Math.max(
        worst,
        timed(() => re.test(b)),
      );
    expect(worst, `the slowest body took ${worst.toFixed(0)} ms`).toBeLessThan(250);
  });

  it.each(signatures.map((s) => [s.id, s] as const))('%s: extract and summarize on adversarial replies', (_id, s: Signature) => {
    // Also wrapped in `x…x`, so that trimming extractors keep the run.
    const runs = ['"', '<', '\n', ' ', '@', '=', ':', '-', 'a', '0'].flatMap((c) =>
      openers.map((o) => o + c.repeat(scanLimit - o.length - 2)),
    );
    const bodies = runs.flatMap((r) => [r, `x${r}x`]);
    let worst = 0;
    for (const [i, b] of bodies.entries()) {
      const json = i % 2 ? hostileJson(s, b) : undefined;
      const replies = Object.fromEntries(s.requests.map((r) => [r.id, reply(b, r.id, `${r.method} ${r.path}`, json)]));
      worst = Math.max(
        worst,
        timed(() => {
          try {
            s.extract?.(replies);
            for (const r of Object.values(replies)) s.summarize?.(r);
          } catch {
            // Must not throw either, but the engine catches; this test is about time.
          }
        }),
      );
    }
    expect(worst, `the slowest body took ${worst.toFixed(0)} ms`).toBeLessThan(250);
  });
});
