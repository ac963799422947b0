// Shared by the bench parts that run in a private network namespace (`unshare -n`): real-network.ts and lossy.ts.
import { execFileSync } from 'node:child_process';

/** Runs a short command (ip, nft) and returns its stdout; throws on failure. */
export function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, ...(input !== undefined ? { input } : {}) });
}

/**
 * Refuses to run anywhere but a fresh namespace (only `lo` may exist, so nothing can leave it), then brings `lo` up
 * and loads the nftables ruleset `rules`.
 */
export function enterPrivateNamespace(rules: string): void {
  const links = sh('ip', ['-o', 'link', 'show'])
    .trim()
    .split('\n')
    .map((l) => l.split(':')[1]?.trim());
  if (links.length !== 1 || links[0] !== 'lo')
    throw new Error(`not in a private network namespace (links: ${links.join(', ')}): run as \`unshare -n node ${process.argv[1]}\``);
  sh('ip', ['link', 'set', 'lo', 'up']);
  sh('nft', ['-f', '-'], rules);
}
