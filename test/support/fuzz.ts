import { expect } from 'vitest';
import { clientRevision, encodeString as chString, varuint, type ServerPacket } from '../../src/protocols/clickhouse-native.js';
import type { RespValue } from '../../src/protocols/resp.js';

/** Per-input time bound for a pure parser call: generous for a shared 2-core machine, far below a hang. */
export const perInputMs = 250;

export type FrameOutcome = { kind: 'need' } | { kind: 'frame'; n: number } | { kind: 'throw'; error: unknown };

/** Runs a framer once and classifies what it did, asserting it took bounded time. */
export function runFramer(frame: (b: Buffer) => number | undefined, buf: Buffer): FrameOutcome {
  const t0 = performance.now();
  let out: FrameOutcome;
  try {
    const n = frame(buf);
    out = n === undefined ? { kind: 'need' } : { kind: 'frame', n };
  } catch (error) {
    out = { kind: 'throw', error };
  }
  const ms = performance.now() - t0;
  if (ms > perInputMs) throw new Error(`framer took ${ms.toFixed(0)} ms on ${buf.length} bytes`);
  return out;
}

/**
 * The framer contract tcp.ts relies on: undefined (need more), a length 1..buf.length, or a *plain* Error
 * (tcp.ts turns it into EA_PROTOCOL). A TypeError/RangeError (stack overflow, bad index) would be a bug.
 */
export function expectFramerContract(out: FrameOutcome, buf: Buffer): void {
  if (out.kind === 'frame') {
    expect(Number.isInteger(out.n)).toBe(true);
    expect(out.n).toBeGreaterThanOrEqual(1);
    expect(out.n).toBeLessThanOrEqual(buf.length);
  } else if (out.kind === 'throw') {
    expect(out.error).toBeInstanceOf(Error);
    expect((out.error as Error).constructor).toBe(Error);
  }
}

/**
 * The decision is stable as bytes arrive (tcp.ts re-runs the framer on every chunk): what a prefix decided — a
 * frame of n bytes, or "this is not the protocol" — more bytes never change.
 */
export function expectPrefixConsistent(prefix: FrameOutcome, full: FrameOutcome): void {
  if (prefix.kind === 'frame') expect(full).toEqual(prefix);
  if (prefix.kind === 'throw') expect(full.kind).toBe('throw');
}

/** Object.prototype must stay clean whatever a peer sends (a polluted prototype breaks zod, reports, verdicts). */
export function expectCleanPrototype(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => !builtinProtoNames.has(k))).toEqual([]);
}

const builtinProtoNames = new Set(Object.getOwnPropertyNames(Object.prototype));

/** numRuns for the property tests: FUZZ_RUNS overrides (e.g. a nightly deep run); the default keeps the suite fast. */
export function runs(n: number): number {
  const env = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(env) && env > 0 ? env : n;
}

/** Encoder for the RESP2 subset the parser reads (the inverse of parseResp). */
export function encodeResp(v: RespValue): Buffer {
  switch (v.type) {
    case 'simple':
      return Buffer.from(`+${v.value}\r\n`);
    case 'error':
      return Buffer.from(`-${v.value}\r\n`);
    case 'integer':
      return Buffer.from(`:${v.value}\r\n`);
    case 'bulk':
      return v.value === null
        ? Buffer.from('$-1\r\n')
        : Buffer.concat([Buffer.from(`$${v.value.length}\r\n`), v.value, Buffer.from('\r\n')]);
    case 'array':
      return v.value === null ? Buffer.from('*-1\r\n') : Buffer.concat([Buffer.from(`*${v.value.length}\r\n`), ...v.value.map(encodeResp)]);
  }
}

export { chString, varuint };

/** Server-side encoder (what a ClickHouse server writes), the inverse of parseServerHello for our client revision. */
export function encodeServerPacket(p: ServerPacket, stack = ''): Buffer {
  if (p.type === 'hello') {
    const effective = Math.min(p.revision, clientRevision);
    return Buffer.concat([
      varuint(0),
      chString(p.name),
      varuint(p.major),
      varuint(p.minor),
      varuint(p.revision),
      ...(effective >= 54058 ? [chString(p.timezone ?? '')] : []),
      ...(effective >= 54372 ? [chString(p.displayName ?? '')] : []),
      ...(effective >= 54401 ? [varuint(p.patch ?? 0)] : []),
    ]);
  }
  const code = Buffer.alloc(4);
  code.writeInt32LE(p.code);
  return Buffer.concat([varuint(2), code, chString(p.name), chString(p.message), chString(stack), Buffer.from([p.nested ? 1 : 0])]);
}
