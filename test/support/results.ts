// One endpoint result for report and continuous-layer tests: a Redis row on `host`, no evidence, loopback data only.
import type { EndpointResult, Status } from '../../src/types.js';

export function redisResult(host: string, status: Status, port = 6379, over: Partial<EndpointResult> = {}): EndpointResult {
  return {
    host,
    port,
    service: 'redis',
    asset: host,
    declaredHost: host,
    labels: {},
    source: { file: 'targets.yaml', line: 2, column: 11 },
    probe: 'redis',
    status,
    evidence: { requests: [] },
    facts: {},
    durationMs: 1,
    ...over,
  };
}
