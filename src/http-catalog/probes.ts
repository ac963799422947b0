import { defineProbe, type Probe } from '../probe.js';
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
      sends: [baselineRequest, ...signatureSends(sig)],
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

/** Every request line any of the signatures may send, after the baseline (for a probe's meta.sends). */
export function catalogSends(signatures: readonly Signature[]): string[] {
  return [baselineRequest, ...new Set(signatures.flatMap(signatureSends))];
}

/** `sends` holds the request line, or a template (`GET /{name}`) it fills, or it is the random-path baseline. */
export function isDeclared(sends: readonly string[], request: string): boolean {
  let line = request;
  try {
    line = decodeURIComponent(request);
  } catch {
    line = request;
  }
  if (sends.includes(request) || sends.includes(line)) return true;
  if (/^GET \/ea-[0-9a-f]{16}$/.test(request)) return true;
  return sends.some((s) => {
    if (!s.includes('{name}')) return false;
    const [pre, post] = s.split('{name}', 2) as [string, string];
    if (!request.startsWith(pre) || !request.endsWith(post)) return false;
    const mid = request.slice(pre.length, request.length - post.length);
    return mid.length > 0 && !mid.includes('/') && !mid.includes('?');
  });
}
