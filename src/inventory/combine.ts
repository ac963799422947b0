import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { normalizeHost, type LoadedInventory } from './load.js';
import type { InventoryTarget } from './schema.js';
import type { InventoryProblem } from './yaml.js';

/**
 * Several inventories as one (`scan a.yaml b.yaml inventories/`): an estate described by Terraform, Kubernetes and
 * Ansible imports side by side. The same host from two files is ONE target — the union of its services (a side
 * that declares no `services:` means every service, and wins), labels merged (the first file's value kept on a
 * clash), the first name — and a note says so; within one file a host declared twice stays an error (a typo).
 * What cannot be merged is a problem at the later declaration: two different `expect:` for one host, and `defaults:`
 * that differ between files (one run has one timeout, one concurrency).
 */
export interface CombinedInventory {
  loaded: LoadedInventory;
  /** One line per merge: `b.yaml:3:9: 127.0.0.5 is also declared at a.yaml:7:9: one target, services united`. */
  notes: string[];
  problems: InventoryProblem[];
}

const where = (l: { file: string; line: number; column: number }) => `${l.file}:${l.line}:${l.column}`;

function mergeTarget(into: InventoryTarget, t: InventoryTarget): void {
  if (!into.services || !t.services) delete into.services;
  else
    for (const [s, ports] of Object.entries(t.services)) {
      const have = into.services[s];
      // null / [] = the service's default ports: the wider declaration wins.
      if (have === undefined) into.services[s] = ports;
      else if (have === null || ports === null || have.length === 0 || ports.length === 0) into.services[s] = null;
      else into.services[s] = [...new Set([...have, ...ports])].sort((a, b) => a - b);
    }
  if (t.labels) into.labels = { ...t.labels, ...into.labels };
  if (!into.name && t.name) into.name = t.name;
  if (t.buckets) into.buckets = [...new Set([...(into.buckets ?? []), ...t.buckets])];
  if (!into.expect && t.expect) into.expect = t.expect;
  if (!into.retention && t.retention) into.retention = t.retention;
}

export function combineInventories(parts: readonly LoadedInventory[]): CombinedInventory {
  if (parts.length === 1) return { loaded: parts[0]!, notes: [], problems: [] };
  const notes: string[] = [];
  const problems: InventoryProblem[] = [];
  const targets: InventoryTarget[] = [];
  const locations: LoadedInventory['locations'] = [];
  const byHost = new Map<string, number>();
  const first = parts[0]!;
  for (const part of parts) {
    part.inventory.targets.forEach((t, i) => {
      const loc = part.locations[i]!;
      const key = normalizeHost(t.host);
      const at = byHost.get(key);
      if (at === undefined) {
        byHost.set(key, targets.length);
        targets.push(structuredClone(t));
        locations.push(loc);
        return;
      }
      const prev = targets[at]!;
      if (prev.expect && t.expect && prev.expect !== t.expect)
        problems.push({
          ...loc,
          message: `expect: ${t.expect} conflicts with expect: ${prev.expect} for ${t.host} at ${where(locations[at]!)}`,
        });
      mergeTarget(prev, t);
      notes.push(`${where(loc)}: ${t.host} is also declared at ${where(locations[at]!)}: one target, services united`);
    });
    if (part !== first && part.inventory.defaults && !isDeepStrictEqual(part.inventory.defaults, first.inventory.defaults))
      problems.push({
        file: part.file,
        line: 1,
        column: 1,
        message: `defaults: differ from ${first.file}'s: one run has one set of defaults (declare them in one file only)`,
      });
  }
  const defaults = parts.find((p) => p.inventory.defaults)?.inventory.defaults;
  const suppressions = parts.flatMap((p) => p.inventory.suppressions ?? []);
  const loaded: LoadedInventory = {
    file: parts.map((p) => p.file).join(' + '),
    inventory: { targets, ...(defaults ? { defaults } : {}), ...(suppressions.length ? { suppressions } : {}) },
    locations,
    suppressionLocations: parts.flatMap((p) => p.suppressionLocations ?? []),
  };
  return { loaded, notes, problems };
}

/** Inventory arguments: files as given; a folder stands for its `*.yaml` / `*.yml` files (not recursive, sorted). */
export async function inventoryFiles(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    const st = await stat(a).catch(() => undefined);
    if (!st?.isDirectory()) {
      out.push(a);
      continue;
    }
    const names = (await readdir(a)).filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.')).sort();
    // An empty folder reads as its own path, so the loader says what is wrong with it ("is a directory").
    out.push(...(names.length ? names.map((n) => path.join(a, n)) : [a]));
  }
  return [...new Set(out)];
}
