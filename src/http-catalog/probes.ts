import { always, defineProbe, type Probe, type Send } from '../probe.js';
import { baselineRequest } from './baseline.js';
import { runCatalog } from './run.js';
import { signatureSends, type Signature } from './signature.js';

/**
 * Signature = a service of its own. Each signature becomes a thin probe whose id and inventory service key are the
 * signature id, with the signature's default ports: a target without `services:` gets each product audited on its
 * own ports, once. The `http` service (the http-admin probe) runs every signature on the ports it is given.
 */
export function signatureProbe(sig: Signature): Probe {
  return defineProbe({
    meta: {
      id: sig.id,
      service: sig.id,
      title: `${sig.product} without authentication`,
      description: `Runs the ${sig.product} catalog signature after a random-path baseline (see docs/http-catalog.md).`,
      defaultPorts: [...sig.defaultPorts],
      ...(sig.tlsPorts?.length ? { tlsPorts: [...sig.tlsPorts] } : {}),
      // The catalog runner's impact (probes/http-admin.ts): the signature's typed assessment decides the severity,
      // so a product found under its own key or under `http:` is classified the same (one severity: issue 21).
      impact: 'info-leak',
      transport: 'http',
      tls: 'optional',
      sends: asSends([baselineRequest, ...signatureSends(sig)]),
      ...(sig.neverSends ? { neverSends: sig.neverSends } : {}),
      ...(sig.impact ? { impact: sig.impact } : {}),
      exposure: sig.exposure,
      remediation: sig.remediation,
      references: [...sig.references],
    },
    run: (target, ctx) => runCatalog([sig], target, ctx, sig.product),
  });
}

/** One thin probe per signature (meta.service = signature id), in catalog order. */
export function signatureProbes(signatures: readonly Signature[]): Probe[] {
  return signatures.map(signatureProbe);
}

/** Request lines as meta.sends: a signature's `{name}` path template is the probe API's `<name>` placeholder. */
function asSends(lines: readonly string[]): Send[] {
  return always(...lines.map((l) => l.replace(/\{name\}/g, '<name>')));
}

/** Every request line any of the signatures may send, after the baseline (for a probe's meta.sends). */
export function catalogSends(signatures: readonly Signature[]): Send[] {
  return asSends([baselineRequest, ...new Set(signatures.flatMap(signatureSends))]);
}
