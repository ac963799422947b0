import { split } from 'shlex';
import { parse as parseYaml } from 'yaml';
import { ImportError, TargetSet, type ImportedInventory } from './common.js';
import type { PortOwner } from './common.js';

/**
 * Ansible inventories (https://docs.ansible.com/ansible/latest/inventory_guide/intro_inventory.html), YAML or INI:
 * each host becomes a target — host = `ansible_host` when set (the address Ansible connects to), else the
 * inventory name; name = the inventory name; labels = `ansible_groups` (its groups, parents included, comma-joined,
 * without the implicit `all` / `ungrouped`). Ranges such as `web[01:03].example` are expanded as Ansible does.
 * Nothing is resolved and nothing connects: text in, inventory out.
 */
export function importAnsible(text: string, _probes?: readonly PortOwner[]): ImportedInventory {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    data = undefined; // not YAML: the INI format
  }
  const hosts = data && typeof data === 'object' && !Array.isArray(data) ? fromYaml(data as Record<string, unknown>) : fromIni(text);
  const set = new TargetSet();
  for (const [inventoryName, h] of hosts) {
    const groups = [...h.groups].filter((g) => g !== 'all' && g !== 'ungrouped').sort();
    const address = h.vars.ansible_host ?? inventoryName;
    set.add(
      {
        host: address,
        ...(address !== inventoryName ? { name: inventoryName } : {}),
        ...(groups.length ? { labels: { ansible_groups: groups.join(',') } } : {}),
      },
      `host ${inventoryName}`,
    );
  }
  return set.result();
}

interface AnsibleHost {
  groups: Set<string>;
  vars: Record<string, string>;
}

/** One host pattern expands to at most this many names (a /16's worth): `h[0:4095][0:4095]` is refused, not grown. */
export const maxPatternHosts = 65_536;

interface Range {
  pre: string;
  values: () => Generator<string>;
  size: number;
  post: string;
}

/** The first `[from:to(:step)]` of a pattern, with its size computed before any name is made. */
function firstRange(pattern: string): Range | undefined {
  const m = /^(.*?)\[([0-9a-z]+):([0-9a-z]+)(?::(\d+))?\](.*)$/i.exec(pattern);
  if (!m) return undefined;
  const [, pre, from, to, stepText, post] = m as unknown as [string, string, string, string, string | undefined, string];
  const step = Math.max(1, stepText ? Number(stepText) : 1);
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) {
    const width = from.startsWith('0') ? from.length : 0;
    const [a, b] = [Number(from), Number(to)];
    return {
      pre,
      post,
      size: b < a ? 0 : Math.floor((b - a) / step) + 1,
      *values() {
        for (let i = a; i <= b; i += step) yield String(i).padStart(width, '0');
      },
    };
  }
  if (from.length === 1 && to.length === 1) {
    const [a, b] = [from.charCodeAt(0), to.charCodeAt(0)];
    return {
      pre,
      post,
      size: b < a ? 0 : Math.floor((b - a) / step) + 1,
      *values() {
        for (let c = a; c <= b; c += step) yield String.fromCharCode(c);
      },
    };
  }
  throw new ImportError(`host pattern ${pattern}: a range is numbers or single letters`);
}

/** How many names a pattern expands to: the product of its ranges, counted without expanding any. */
export function patternSize(pattern: string): number {
  let n = 1;
  for (let rest = pattern, r = firstRange(rest); r; rest = r.post, r = firstRange(rest)) n *= r.size;
  return n;
}

/**
 * `web[01:03].example` -> web01.example, web02.example, web03.example; `db-[a:c]` -> db-a, db-b, db-c; `[1:9:2]`
 * steps. The product of all ranges is counted first and bounded by `maxPatternHosts`: each range alone may be
 * small while their product is not (two 4,096-ranges are 16.7 million names).
 */
export function expandHostPattern(pattern: string): string[] {
  const size = patternSize(pattern);
  if (size > maxPatternHosts)
    throw new ImportError(`host pattern ${pattern} expands to ${size} names, more than ${maxPatternHosts}: split it or list the hosts`);
  return expand(pattern);
}

function expand(pattern: string): string[] {
  const r = firstRange(pattern);
  if (!r) return [pattern];
  const tails = expand(r.post);
  const out: string[] = [];
  for (const v of r.values()) for (const t of tails) out.push(`${r.pre}${v}${t}`);
  return out;
}

function hostEntry(hosts: Map<string, AnsibleHost>, name: string): AnsibleHost {
  let h = hosts.get(name);
  if (!h) hosts.set(name, (h = { groups: new Set(), vars: {} }));
  return h;
}

function fromYaml(data: Record<string, unknown>): Map<string, AnsibleHost> {
  const hosts = new Map<string, AnsibleHost>();
  const walk = (group: string, body: unknown, parents: string[], depth: number) => {
    if (depth > 64) throw new ImportError(`group ${group}: groups nested deeper than 64`);
    if (!body || typeof body !== 'object') return;
    const g = body as { hosts?: unknown; children?: unknown };
    const lineage = [...parents, group];
    if (g.hosts && typeof g.hosts === 'object') {
      for (const [pattern, vars] of Object.entries(g.hosts as Record<string, unknown>)) {
        for (const name of expandHostPattern(pattern)) {
          const h = hostEntry(hosts, name);
          lineage.forEach((x) => h.groups.add(x));
          if (vars && typeof vars === 'object' && 'ansible_host' in vars)
            h.vars.ansible_host = String((vars as { ansible_host: unknown }).ansible_host);
        }
      }
    }
    if (g.children && typeof g.children === 'object') {
      for (const [child, childBody] of Object.entries(g.children as Record<string, unknown>)) walk(child, childBody, lineage, depth + 1);
    }
  };
  for (const [group, body] of Object.entries(data)) walk(group, body, [], 0);
  return hosts;
}

/**
 * The INI format: `[group]` host lines (`name key=value …`, split like a shell line, as Ansible's own INI plugin
 * does with shlex), `[group:children]` lines naming child groups, `[group:vars]` (ignored here). A host line's
 * `name:port` suffix is a port for SSH, not for us: dropped.
 */
function fromIni(text: string): Map<string, AnsibleHost> {
  const hosts = new Map<string, AnsibleHost>();
  const parentsOf = new Map<string, Set<string>>();
  let section = 'ungrouped';
  let kind: 'hosts' | 'children' | 'vars' = 'hosts';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(\w+))?\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      const k = header[2];
      if (k && k !== 'children' && k !== 'vars') throw new ImportError(`line ${i + 1}: unknown section type [${section}:${k}]`);
      kind = (k as 'children' | 'vars' | undefined) ?? 'hosts';
      return;
    }
    if (kind === 'vars') return;
    let tokens: string[];
    try {
      tokens = split(line.replace(/\s+[#;].*$/, ''));
    } catch (err) {
      throw new ImportError(`line ${i + 1}: ${(err as Error).message}`);
    }
    const [first, ...rest] = tokens;
    if (!first) return;
    if (kind === 'children') {
      let p = parentsOf.get(first);
      if (!p) parentsOf.set(first, (p = new Set()));
      p.add(section);
      return;
    }
    // `host:2222` (SSH port) but not an IPv6 literal.
    const name = (first.match(/:/g) ?? []).length === 1 ? first.replace(/:\d+$/, '') : first;
    for (const n of expandHostPattern(name)) {
      const h = hostEntry(hosts, n);
      h.groups.add(section);
      for (const kv of rest) {
        const eq = kv.indexOf('=');
        if (eq > 0 && kv.slice(0, eq) === 'ansible_host') h.vars.ansible_host = kv.slice(eq + 1);
      }
    }
  });
  // Parents of parents: a host of `web` is also in `prod` when `[prod:children]` lists web.
  const ancestors = (g: string, seen = new Set<string>()): Set<string> => {
    for (const p of parentsOf.get(g) ?? []) {
      if (seen.has(p)) continue;
      seen.add(p);
      ancestors(p, seen);
    }
    return seen;
  };
  for (const h of hosts.values()) for (const g of [...h.groups]) for (const a of ancestors(g)) h.groups.add(a);
  return hosts;
}
