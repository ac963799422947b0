import ipaddr from 'ipaddr.js';
import type { Node } from 'yaml';
import { readBounded, TooLargeError } from '../read-bounded.js';
import type { SourceLocation } from '../types.js';
import { hostKind, inventorySchema, type Inventory } from './schema.js';
import { InventoryError, parseYamlMapping, zodProblems, type InventoryProblem } from './yaml.js';

export { formatProblem, InventoryError, type InventoryProblem } from './yaml.js';

export interface LoadedInventory {
  file: string;
  inventory: Inventory;
  /** Where each target's `host` is declared, by target index. */
  locations: SourceLocation[];
  /** Where each `suppressions:` entry is declared, by index. */
  suppressionLocations?: SourceLocation[];
}

/** Largest inventory read (≈ 100k targets): a bigger file is a mistake (a log, a disk image, /dev/zero), not a fleet. */
export const maxInventoryBytes = 4 * 1024 * 1024;

export async function loadInventoryFile(file: string, services: readonly string[]): Promise<LoadedInventory> {
  let raw: Buffer;
  try {
    raw = await readBounded(file, maxInventoryBytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      err instanceof TooLargeError
        ? `the file is larger than ${maxInventoryBytes / 1024 / 1024} MiB: not an inventory (split a fleet that big)`
        : code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'is a directory, not an inventory file'
            : `cannot read: ${code ?? String(err)}`;
    throw new InventoryError([{ file, line: 1, column: 1, message }]);
  }
  return parseInventory(raw, file, services);
}

export function parseInventory(raw: Buffer | string, file: string, services: readonly string[]): LoadedInventory {
  const { doc, data, at, posOf } = parseYamlMapping(raw, file, { noun: 'an inventory', listKey: 'targets' });
  const result = inventorySchema(services).safeParse(data);
  if (!result.success) throw new InventoryError(zodProblems(result.error.issues, doc, data, at, posOf));
  const inventory = result.data;
  const locations = inventory.targets.map((_, i) => {
    const node = doc.getIn(['targets', i, 'host'], true) as Node | undefined;
    const fallback = doc.getIn(['targets', i], true) as Node | undefined;
    const p = posOf((node ?? fallback)?.range?.[0]);
    return { file, line: p.line, column: p.column };
  });

  const problems: InventoryProblem[] = [];
  const seen = new Map<string, number>();
  inventory.targets.forEach((t, i) => {
    const key = normalizeHost(t.host);
    const first = seen.get(key);
    if (first !== undefined) {
      const loc = locations[i]!;
      problems.push(at(loc.line, loc.column, `duplicate target: ${t.host} is already declared at line ${locations[first]!.line}`));
    } else seen.set(key, i);
  });
  if (problems.length) throw new InventoryError(problems);
  const suppressionLocations = (inventory.suppressions ?? []).map((_, i) => {
    const p = posOf((doc.getIn(['suppressions', i], true) as Node | undefined)?.range?.[0]);
    return { file, line: p.line, column: p.column };
  });
  return { file, inventory, locations, suppressionLocations };
}

function normalizeHost(h: string): string {
  const kind = hostKind(h);
  if (kind === 'name') return h.toLowerCase().replace(/\.$/, '');
  try {
    // One address, many spellings: ::1 = 0:0::1, ::ffff:127.0.0.1 = 127.0.0.1.
    if (kind === 'ip') return ipaddr.process(h).toString();
    if (kind === 'cidr') {
      const [addr, prefix] = ipaddr.parseCIDR(h);
      return `${addr.toString()}/${prefix}`;
    }
  } catch {
    // fall through: compare as written
  }
  return h.toLowerCase();
}
