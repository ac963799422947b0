import { signatures } from '../signatures/index.js';
import { catalogPorts, catalogSends, catalogTlsPorts, runCatalog, signaturesForPort } from '../src/http-catalog/index.js';
import { defineProbe } from '../src/probe.js';

/**
 * HTTP admin endpoints (service `http`): a thin adapter over the catalog engine (src/http-catalog/). On a port some
 * signatures name it runs those; on any other declared port, every signature in signatures/.
 *
 * Each signature is also a service of its own (signatureProbes: service = signature id, on the signature's ports),
 * and those are what a target without `services:` gets. So `http` is not expanded by default (defaultExpansion:
 * false): every port it would take is some signature's, and a port is audited once per product. Declare `http:`
 * (with ports) to run the whole catalog where no signature would look (a reverse proxy, an unusual port).
 */

export { baselinePattern, baselineRequest } from '../src/http-catalog/baseline.js';
export type { SignatureMatch, SignatureVerdict } from '../src/http-catalog/run.js';

export default defineProbe({
  meta: {
    id: 'http-admin',
    service: 'http',
    title: 'HTTP admin endpoints without authentication',
    description: `Runs the HTTP admin catalog (${signatures.length} products: ${signatures.map((s) => s.id).join(', ')}) after a random-path baseline; reports which admin page or API answers without credentials.`,
    defaultPorts: catalogPorts(signatures),
    tlsPorts: catalogTlsPorts(signatures),
    defaultExpansion: false,
    impact: 'info-leak',
    transport: 'http',
    tls: 'optional',
    sends: catalogSends(signatures),
    exposure: 'an admin page or API answers without credentials; what that allows depends on the product (see the finding)',
    remediation:
      'Put the admin endpoint behind authentication, or bind it to a private interface and firewall the port; the finding names the product-specific setting.',
    references: ['https://github.com/projectdiscovery/nuclei-templates/tree/main/http/misconfiguration'],
  },
  run(target, ctx) {
    const chosen = signaturesForPort(target.port, signatures);
    return runCatalog(chosen, target, ctx, chosen.length === signatures.length ? undefined : chosen.map((s) => s.id).join(', '));
  },
});
