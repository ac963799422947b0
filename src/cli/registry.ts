import { probes as folder } from '../../probes/index.js';
import { signatures } from '../../signatures/index.js';
import { signatureProbes } from '../http-catalog/index.js';
import { defaultPortsOf, servicesOf, type Probe, type ProbeMeta } from '../probe.js';

/**
 * The one place probes are assembled: everything below the CLI takes probes (or their meta) as arguments.
 * probes/index.ts is generated from the folder (npm run gen:registry). The first six keep the order they were
 * listed in before the folder became the registry, because a target without `services:` lists its endpoints in
 * this order (reports stay byte-identical); probes added later follow in file-name order.
 */
const listedFirst = ['redis', 'clickhouse-http', 'clickhouse-native', 'elasticsearch', 'kibana', 'http-admin'];
const place = (id: string): number => {
  const i = listedFirst.indexOf(id);
  return i < 0 ? listedFirst.length : i;
};

/** The probe files, then one probe per catalog signature (service = signature id, see src/http-catalog/probes.ts). */
export const probes: readonly Probe[] = [
  ...[...folder].sort((a, b) => place(a.meta.id) - place(b.meta.id)),
  ...signatureProbes(signatures),
];

export const probeMetas: readonly ProbeMeta[] = probes.map((p) => p.meta);

/**
 * The probe files' meta without the per-signature services: what an importer maps ports to. A port that a catalog
 * product names maps to `http`, whose catalog runs every signature there (rather than to one service per product).
 */
export const portMappingMetas: readonly ProbeMeta[] = folder.map((p) => p.meta);

export function probesFor(service: string): Probe[] {
  return probes.filter((p) => p.meta.service === service);
}

export const services: readonly string[] = servicesOf(probeMetas);

/** A service's default ports: the union of its probes' ports. */
export function defaultPorts(service: string): number[] {
  return defaultPortsOf(probeMetas, service);
}
