import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportError, portServiceMap, type PortOwner, portNotes, servicesForPorts, TargetSet, type ImportedInventory } from './common.js';

/**
 * An nmap XML run (`nmap -oX`, https://nmap.org/book/nmap-dtd.html): every host that is up with open TCP ports
 * becomes a target — host = its IPv4/IPv6 address; name = the first host name nmap recorded (from the user's own
 * scan; exposure-audit itself never does reverse DNS); services = the open ports mapped to the services whose
 * probes list them as default ports (9000 -> clickhouse and http), or by nmap's service name when it names one of
 * ours (redis on 7000; http/https/http-alt on any port -> the http catalog). Open ports no probe knows are listed
 * in the notes. Which product really answers is decided by the audit from the reply, never from the port.
 */
export function importNmap(text: string, probes: readonly PortOwner[]): ImportedInventory {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ImportError(`not XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['host', 'address', 'hostname', 'port'].includes(name),
    // An nmap file never needs entities; refusing them keeps a hostile file from expanding.
    processEntities: false,
  });
  const doc = parser.parse(text) as { nmaprun?: { host?: NmapHost[] } };
  if (!doc.nmaprun) throw new ImportError('not an nmap XML run (no <nmaprun>)');
  const set = new TargetSet();
  const map = portServiceMap(probes);
  for (const h of doc.nmaprun.host ?? []) {
    if (h.status?.state && h.status.state !== 'up') continue;
    const addr = (h.address ?? []).find((a) => a.addrtype === 'ipv4' || a.addrtype === 'ipv6')?.addr;
    if (!addr) continue;
    const open = (h.ports?.port ?? []).filter((p) => p.protocol === 'tcp' && p.state?.state === 'open');
    if (!open.length) continue;
    const found = servicesForPorts(
      open.map((p) => ({ port: Number(p.portid), service: serviceByName(p.service?.name, p.service?.tunnel, Number(p.portid), map) })),
      map,
    );
    const { services } = found;
    set.notes.push(...portNotes(addr, found, 'open '));
    if (!Object.keys(services).length) continue;
    const name = typeof h.hostnames === 'object' ? h.hostnames.hostname?.[0]?.name : undefined;
    set.add({ host: addr, ...(name ? { name } : {}), services }, `host ${addr}`);
  }
  return set.result();
}

interface NmapHost {
  status?: { state?: string };
  address?: { addr?: string; addrtype?: string }[];
  hostnames?: { hostname?: { name?: string; type?: string }[] } | '';
  ports?: { port?: { protocol?: string; portid?: string; state?: { state?: string }; service?: { name?: string; tunnel?: string } }[] };
}

/** nmap's name for what answered, when it is one of our services; undefined = go by the port. */
function serviceByName(name: string | undefined, tunnel: string | undefined, port: number, map: Map<number, string[]>): string | undefined {
  if (!name || map.has(port)) return undefined;
  if ([...map.values()].some((list) => list.includes(name))) return name;
  if (/^(https?|http-alt|http-proxy|https-alt)$/.test(name) || (tunnel === 'ssl' && name.startsWith('http'))) return 'http';
  return undefined;
}
