import { InvalidArgumentError } from 'commander';

// `--shard K/N` as the command line parses it: apart from shard.ts (hashing, ipaddr.js), so defining the scan
// command (`--help`) loads nothing heavy.

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
