import {
  ImportError,
  portServiceMap,
  type PortOwner,
  portNotes,
  servicesForPorts,
  stringLabels,
  TargetSet,
  type ImportedInventory,
} from './common.js';

/**
 * `kubectl get svc -A -o json` (a v1 List of Services, or one Service): each Service's cluster IP becomes a target
 * (name `namespace/name`, labels = the Service's labels plus `namespace`), and each load-balancer ingress address
 * another (`namespace/name (load balancer)`, labelled `exposure: internet` unless an internal-LB annotation says
 * otherwise). Ports become services by the port, the target port or the port's name (`redis`, `http`, `https`);
 * ports no probe knows are listed in the notes. Headless Services (clusterIP None) and ExternalName Services
 * (a name outside the cluster) are skipped. https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
 */
export function importKubernetes(text: string, probes: readonly PortOwner[]): ImportedInventory {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ImportError(`not JSON (use kubectl get svc -o json): ${(err as Error).message}`);
  }
  const d = doc as { kind?: string; items?: unknown[] };
  const items = d.kind === 'Service' ? [doc] : d.kind === 'List' || d.kind === 'ServiceList' ? (d.items ?? []) : undefined;
  if (!items) throw new ImportError(`not a Service or a List of Services (kind: ${String(d.kind)})`);
  const set = new TargetSet();
  const map = portServiceMap(probes);
  for (const raw of items as Service[]) {
    if (raw.kind && raw.kind !== 'Service') continue;
    const ns = raw.metadata?.namespace ?? 'default';
    const id = `${ns}/${raw.metadata?.name ?? '?'}`;
    const spec = raw.spec ?? {};
    if (spec.type === 'ExternalName') {
      set.notes.push(`${id}: ExternalName service (points outside the cluster)`);
      continue;
    }
    const found = servicesForPorts(
      (spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({ port: p.port, service: byName(p, map) })),
      map,
    );
    const { services } = found;
    set.notes.push(...portNotes(id, found));
    const udp = (spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') !== 'TCP').map((p) => `${p.port}/${p.protocol!.toLowerCase()}`);
    if (udp.length) set.notes.push(`${id}: port${udp.length > 1 ? 's' : ''} ${udp.join(', ')} (not TCP)`);
    if (!Object.keys(services).length) {
      if ((spec.ports ?? []).length) set.notes.push(`${id}: no port a probe serves; not imported`);
      else set.notes.push(`${id}: no ports; not imported`);
      continue;
    }
    const labels = { ...stringLabels(raw.metadata?.labels), namespace: ns };
    const clusterIps = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
    // A headless Service (clusterIP None) has no address of its own: its pods are reached one by one, and they
    // are not in `kubectl get svc` output. Said, not dropped.
    if (clusterIps.includes('None'))
      set.notes.push(`${id}: headless Service (clusterIP None): no address of its own; import its pods' addresses by hand`);
    for (const ip of clusterIps) if (ip !== 'None' && ip !== '') set.add({ host: ip, name: id, services, labels }, id);
    if (spec.type === 'LoadBalancer') {
      const internal = Object.entries(raw.metadata?.annotations ?? {}).some(([k, v]) =>
        internalLb.some(([key, val]) => k === key && (val === undefined || String(v).toLowerCase() === val)),
      );
      for (const ing of raw.status?.loadBalancer?.ingress ?? []) {
        const host = ing.ip ?? ing.hostname;
        if (host)
          set.add(
            { host, name: `${id} (load balancer)`, services, labels: internal ? labels : { ...labels, exposure: 'internet' } },
            `${id} load balancer`,
          );
      }
    }
  }
  return set.result();
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}
interface Service {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: ServicePort[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** Annotations that make a cloud load balancer internal (AWS, GKE, Azure, OCI), value to match (lower-case). */
const internalLb: [string, string | undefined][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', undefined],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', 'internal'],
  ['networking.gke.io/load-balancer-type', 'internal'],
  ['cloud.google.com/load-balancer-type', 'internal'],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', 'true'],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', 'true'],
];

/** The service a port carries when the port number alone does not say: its targetPort, else its name. */
function byName(p: ServicePort, map: Map<number, string[]>): string | undefined {
  if (map.has(p.port)) return undefined;
  if (typeof p.targetPort === 'number' && map.get(p.targetPort)?.length === 1) return map.get(p.targetPort)![0];
  const n = (p.name ?? (typeof p.targetPort === 'string' ? p.targetPort : '')).toLowerCase();
  if (n === 'redis') return 'redis';
  if (n === 'elasticsearch' || n === 'es-http') return 'elasticsearch';
  if (n === 'kibana') return 'kibana';
  if (/^(https?|web|http-.*|https-.*)$/.test(n)) return 'http';
  return undefined;
}
