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

/** A state-file / baseline entry: an open critical Redis finding on `host`, as an earlier run recorded it. */
export function redisFinding(host: string, extra: object = {}) {
  return {
    fingerprint: `fp-${host}`,
    severity: 'critical' as const,
    title: 'Redis readable without authentication',
    asset: host,
    host,
    port: 6379,
    service: 'redis',
    ...extra,
  };
}
