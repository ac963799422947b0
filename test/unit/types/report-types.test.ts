// The report row is declared by the zod schema (src/report/schema.ts, which the published JSON Schema is generated
// from) and by the engine's types (src/types.ts). These are checked both ways by `npm run typecheck` (tsc reads
// test/): a field added, removed or retyped on one side only fails to compile here, naming the field.
import { describe, expectTypeOf, it } from 'vitest';
import type { ReportEndpoint, ReportFinding } from '../../../src/report/schema.js';
import type { DeclaredEndpoint, EndpointResult, Finding, Observation } from '../../../src/types.js';

/** What the continuous layer adds to a finding in a report (first seen, change, suppression): not the classifier's. */
type ContinuousKeys = 'firstSeen' | 'ageDays' | 'change' | 'previousSeverity' | 'suppressed' | 'suppressionExpired';

describe('one shape for the report row', () => {
  it('an endpoint result is exactly a report endpoint row', () => {
    expectTypeOf<EndpointResult>().toEqualTypeOf<ReportEndpoint>();
  });

  it("a classifier finding is exactly a report finding without the continuous layer's fields", () => {
    expectTypeOf<Omit<ReportFinding, ContinuousKeys>>().toEqualTypeOf<Finding>();
  });

  it('an observation is an endpoint result without the endpoint, the probe id and the duration', () => {
    expectTypeOf<Omit<EndpointResult, keyof DeclaredEndpoint | 'probe' | 'durationMs'>>().toEqualTypeOf<Observation>();
  });
});
