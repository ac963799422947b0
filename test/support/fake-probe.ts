// The meta of a stand-in TCP probe for engine tests: every field a real probe declares, none of them about a product.
import { always, type ProbeMeta } from '../../src/probe.js';

export function fakeProbeMeta(id: string, sends: string): ProbeMeta {
  return {
    id,
    service: 'fake',
    title: 't',
    description: 'd',
    defaultPorts: [1],
    transport: 'tcp',
    tls: 'never',
    sends: always(sends),
    exposure: 'e',
    remediation: 'a remedy for tests',
  };
}
