/**
 * The HTTP catalog engine (a library, not a probe). Signatures live in signatures/ (listed by the generated
 * signatures/index.ts); this folder never imports them: callers pass the list in.
 *   signature.ts  the DSL (defineSignature) and its validation      match.ts     matchers on one reply
 *   json-path.ts  the one JSON-path walker                          baseline.ts  the random-path baseline
 *   run.ts        the engine: baseline, gate, fetch, evaluate, verdict   gate.ts      identify first (landing page)
 *   fetch.ts      the request cache, the non-GET scope               evaluate.ts  one signature's replies -> hits
 *   verdict.ts    hits -> one ProbeResult, assessment, advisories     measure.ts   measurements -> Observation.data
 *   credentials.ts  documented default credentials (opt-in)          forbidden.ts routes never sent
 *   probes.ts     signature = a service of its own                   replies.ts   recorded replies beside each signature
 */
import type { Signature } from './signature.js';

export type { Signature } from './signature.js';
export { baselinePattern, baselineRequest } from './baseline.js';
export { forbiddenReason, forbiddenRoutes, isForbiddenRequest } from './forbidden.js';
export { jsonAt, jsonLookup } from './json-path.js';
export { catalogSends, signatureProbe, signatureProbes } from './probes.js';
export { runCatalog, type CatalogContext } from './run.js';
export { advisoriesFor, compareVersions, type SignatureMatch, type SignatureVerdict } from './verdict.js';

/** Every port some signature names, ascending. */
export function catalogPorts(all: readonly Signature[]): number[] {
  return [...new Set(all.flatMap((s) => s.defaultPorts))].sort((a, b) => a - b);
}

/** Default TLS ports some signature names, ascending. */
export function catalogTlsPorts(all: readonly Signature[]): number[] {
  return [...new Set(all.flatMap((s) => s.tlsPorts ?? []))].sort((a, b) => a - b);
}

/** Signatures to run on a port: those that name it; on any other port, all of them. */
export function signaturesForPort(port: number, all: readonly Signature[]): Signature[] {
  const exact = all.filter((s) => s.defaultPorts.includes(port));
  return exact.length ? exact : [...all];
}

export function signatureById(all: readonly Signature[], id: string): Signature | undefined {
  return all.find((s) => s.id === id);
}
