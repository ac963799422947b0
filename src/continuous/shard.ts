import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import ipaddr from 'ipaddr.js';

/** `--shard K/N`: this run audits shard K (1-based) of N. */
export interface Shard {
  index: number;
  count: number;
}

export const maxShards = 1000;

export function parseShard(v: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || count > maxShards || index < 1 || index > count) {
    throw new InvalidArgumentError(
      `expected K/N with 1 <= K <= N <= ${maxShards}, e.g. 1/3 (a Kubernetes JOB_COMPLETION_INDEX is 0-based: pass $((JOB_COMPLETION_INDEX + 1))/N)`,
    );
  }
  return { index, count };
}

function canonicalHost(host: string): string {
  try {
    return ipaddr.process(host).toString();
  } catch {
    return host.toLowerCase();
  }
}

/**
 * The 1-based shard an endpoint belongs to: a hash of `host|port|service`, so it depends neither on the order
 * of the inventory nor on the other endpoints (adding a host never moves the others).
 */
export function shardOf(ep: { host: string; port: number; service: string }, count: number): number {
  const digest = createHash('sha256')
    .update(`${canonicalHost(ep.host)}|${ep.port}|${ep.service}`)
    .digest();
  // 48 bits: the modulo bias is negligible for any count up to maxShards.
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard(ep: { host: string; port: number; service: string }, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(ep, shard.count) === shard.index;
}

export function selectShard<T extends { host: string; port: number; service: string }>(
  endpoints: readonly T[],
  shard: Shard | undefined,
): T[] {
  return endpoints.filter((ep) => inShard(ep, shard));
}
