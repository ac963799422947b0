import { expect } from 'vitest';
import type { Observation, Status } from '../../src/types.js';
import { closedPort, startCatchAll, startGarbage, startSilent } from '../fixtures/elasticsearch-stub.js';

type ProbeFn = (host: string, port: number) => Promise<{ observation: Observation; ms: number }>;
type Peer = { port: number; requests?: string[]; close(): Promise<void> };

export interface PeerCase {
  name: string;
  expect: Status[];
  run: () => Promise<{ observation: Observation; ms: number }>;
}

/** Runs `probe` against a peer started on `host`, checks it, and always closes the peer. */
export function againstPeer(
  probe: ProbeFn,
  host: string,
  start: (host: string) => Promise<Peer>,
  check?: (peer: Peer, r: { ms: number }) => void,
) {
  return async () => {
    const peer = await start(host);
    try {
      const r = await probe(host, peer.port);
      check?.(peer, r);
      return r;
    } finally {
      await peer.close();
    }
  };
}

/**
 * The rows every HTTP probe's table has: wrong service (a catch-all page, which must earn no request after the
 * first), garbage, a silent server (one deadline) and a closed port. Loopback peers on `host`, port 0.
 */
export function commonPeerCases(probe: ProbeFn, host: string, timeoutMs: number, onlyRequest: string): PeerCase[] {
  return [
    {
      name: 'wrong service (catch-all 200 HTML)',
      expect: ['not-detected'],
      run: againstPeer(probe, host, startCatchAll, (peer) => expect(peer.requests).toEqual([onlyRequest])),
    },
    { name: 'garbage reply', expect: ['error', 'not-detected'], run: againstPeer(probe, host, startGarbage) },
    {
      name: 'silent server',
      expect: ['timeout'],
      run: againstPeer(probe, host, startSilent, (_p, r) => expect(r.ms).toBeLessThan(timeoutMs + 1_000)),
    },
    { name: 'closed port', expect: ['closed'], run: async () => probe(host, await closedPort(host)) },
  ];
}
