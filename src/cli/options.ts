import net from 'node:net';
import { InvalidArgumentError } from 'commander';
import { durationHint, parseDuration } from '../duration.js';
import { severities, type Severity } from '../types.js';

export function durationArg(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined) throw new InvalidArgumentError(durationHint);
  return ms;
}

export function intArg(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

export function severityArg(v: string): Severity {
  if (!(severities as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${severities.join(', ')}`);
  return v as Severity;
}

export function ipArg(v: string): string {
  if (!net.isIP(v)) throw new InvalidArgumentError('expected an IP address literal');
  return v;
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** Fails fast, before any probe, when the source address is not one of this machine's. */
export async function checkSourceAddress(address: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
    server.listen(0, address, () => server.close(() => resolve(undefined)));
  });
}
