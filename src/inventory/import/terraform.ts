import { ImportError, stringLabels, TargetSet, type ImportedInventory, type ImportedTarget } from './common.js';
import type { PortOwner } from './common.js';

/**
 * Terraform state (format version 4: `terraform state pull`, or terraform.tfstate; also `terraform show -json`):
 * instances, databases, caches and load balancers with their addresses. Each becomes a target — host = the
 * private address (the auditor runs inside the network), else the DNS name the provider gives; name = the
 * `Name` tag or the resource's name attribute, else the resource address; labels = its tags plus `terraform:
 * <address>`, and `exposure: internet` when the provider says it is reachable from the internet (a public IP,
 * `publicly_accessible`, an internet-facing load balancer) — the label the classifier raises severity for.
 * Only what is in the state: nothing is resolved or contacted.
 * Attribute names: registry.terraform.io provider docs (hashicorp/aws 5.x, hashicorp/google 6.x, hashicorp/azurerm 4.x).
 */
export function importTerraform(text: string, _probes?: readonly PortOwner[]): ImportedInventory {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (err) {
    throw new ImportError(`not JSON: ${(err as Error).message}`);
  }
  const set = new TargetSet();
  const resources = [...stateResources(state)];
  if (!resources.length) set.notes.push('no managed resources in this state');
  for (const r of resources) {
    const t = toTarget(r);
    if (t === undefined) continue;
    if (typeof t === 'string') set.notes.push(`${r.address}: ${t}`);
    else set.add(t, r.address);
  }
  return set.result();
}

interface Resource {
  address: string;
  type: string;
  attributes: Record<string, unknown>;
}

function* stateResources(state: unknown): Generator<Resource> {
  if (!state || typeof state !== 'object') throw new ImportError('not a Terraform state file');
  const s = state as { version?: unknown; resources?: unknown; values?: { root_module?: unknown } };
  if (s.values?.root_module) {
    yield* showModule(s.values.root_module);
    return;
  }
  if (s.version !== 4 || !Array.isArray(s.resources))
    throw new ImportError(`not a Terraform state file of format version 4 (found version ${String(s.version)})`);
  for (const r of s.resources as {
    mode?: string;
    type?: string;
    name?: string;
    module?: string;
    instances?: { index_key?: unknown; attributes?: Record<string, unknown> }[];
  }[]) {
    if (r.mode !== 'managed' || !r.type || !r.name) continue;
    for (const inst of r.instances ?? []) {
      const key =
        inst.index_key === undefined
          ? ''
          : `[${typeof inst.index_key === 'string' ? JSON.stringify(inst.index_key) : String(inst.index_key)}]`;
      yield { address: `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}${key}`, type: r.type, attributes: inst.attributes ?? {} };
    }
  }
}

/** `terraform show -json`: values.root_module.resources[] and child_modules[] recursively. */
function* showModule(mod: unknown, depth = 0): Generator<Resource> {
  if (!mod || typeof mod !== 'object' || depth > 64) return;
  const m = mod as {
    resources?: { address?: string; mode?: string; type?: string; values?: Record<string, unknown> }[];
    child_modules?: unknown[];
  };
  for (const r of m.resources ?? [])
    if (r.mode === 'managed' && r.type && r.address) yield { address: r.address, type: r.type, attributes: r.values ?? {} };
  for (const c of m.child_modules ?? []) yield* showModule(c, depth + 1);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const first = <T>(v: unknown): T | undefined => (Array.isArray(v) ? (v[0] as T | undefined) : undefined);

/** A target, a reason it was skipped (string), or undefined for a resource type that is not a host at all. */
function toTarget(r: Resource): ImportedTarget | string | undefined {
  const a = r.attributes;
  const tags = stringLabels(a.tags ?? a.labels, ['Name']);
  const name = str((a.tags as Record<string, unknown> | undefined)?.Name) ?? str(a.name) ?? str(a.identifier) ?? r.address;
  const labels: Record<string, string> = { ...tags, terraform: r.address };
  const target = (host: string | undefined, internet: boolean, services?: Record<string, number[]>): ImportedTarget | string =>
    host
      ? {
          host,
          name,
          labels: internet ? { ...labels, exposure: 'internet' } : labels,
          ...(services && Object.keys(services).length ? { services } : {}),
        }
      : 'no address in the state (not yet created?)';

  switch (r.type) {
    case 'aws_instance':
      return target(str(a.private_ip) ?? str(a.public_ip), Boolean(str(a.public_ip)));
    case 'aws_db_instance':
    case 'aws_rds_cluster':
      // The port is the engine's (5432, 3306…): no probe of ours speaks it, so every service's defaults are tried.
      return target(str(a.address) ?? str(a.endpoint), a.publicly_accessible === true);
    case 'aws_lb':
    case 'aws_alb':
    case 'aws_elb': {
      const application = r.type === 'aws_elb' || (str(a.load_balancer_type) ?? 'application') === 'application';
      return target(str(a.dns_name), a.internal !== true, application ? { http: [80, 443] } : undefined);
    }
    case 'aws_elasticache_cluster': {
      const node = first<{ address?: unknown; port?: unknown }>(a.cache_nodes);
      const port = typeof a.port === 'number' ? a.port : typeof node?.port === 'number' ? node.port : 6379;
      return target(
        str(node?.address) ?? str(a.cluster_address),
        false,
        str(a.engine) === 'redis' || str(a.engine) === 'valkey' ? { redis: [port] } : undefined,
      );
    }
    case 'aws_elasticache_replication_group': {
      const port = typeof a.port === 'number' ? a.port : 6379;
      return target(str(a.primary_endpoint_address) ?? str(a.configuration_endpoint_address), false, { redis: [port] });
    }
    case 'aws_opensearch_domain':
    case 'aws_elasticsearch_domain':
      return target(str(a.endpoint), first(a.vpc_options) === undefined, { elasticsearch: [443] });
    case 'google_compute_instance': {
      const nic = first<{ network_ip?: unknown; access_config?: { nat_ip?: unknown }[] }>(a.network_interface);
      const nat = str(first<{ nat_ip?: unknown }>(nic?.access_config)?.nat_ip);
      return target(str(nic?.network_ip) ?? nat, nat !== undefined);
    }
    case 'google_sql_database_instance':
      return target(str(a.private_ip_address) ?? str(a.public_ip_address), Boolean(str(a.public_ip_address)));
    case 'google_redis_instance':
      return target(str(a.host), false, { redis: [typeof a.port === 'number' ? a.port : 6379] });
    default:
      if (r.type.startsWith('azurerm_')) {
        // azurerm: VMs and NICs carry private_ip_address, managed services an fqdn or hostname, public IPs ip_address.
        const host = str(a.private_ip_address) ?? str(a.fqdn) ?? str(a.hostname) ?? str(a.ip_address);
        if (!host) return undefined; // resource groups, networks, role assignments: not hosts
        const publicIp = str(a.public_ip_address) ?? (r.type === 'azurerm_public_ip' ? str(a.ip_address) : undefined);
        const services = r.type === 'azurerm_redis_cache' ? { redis: [typeof a.ssl_port === 'number' ? a.ssl_port : 6380] } : undefined;
        return target(host, publicIp !== undefined || a.public_network_access_enabled === true, services);
      }
      return undefined;
  }
}
