import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

export { maxShards, parseShard, type Shard } from './shard-arg.js';
import type { Shard } from './shard-arg.js';

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
