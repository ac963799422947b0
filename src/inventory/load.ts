import ipaddr from 'ipaddr.js';
import type { Node } from 'yaml';
import { NotRegularFileError, readBounded, readProblem, TooLargeError } from '../read-bounded.js';
import { cidrProblem, defaultMaxCidrAddresses, normalizeMapped } from './checks.js';
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

/**
 * Problems found after the schema passed (duplicates, CIDR sizes, empty service maps), all in one pass. `partial`
 * is the inventory as read, so a caller can add its own checks (names that do not resolve) to the same report.
 */
export class InventoryProblems extends InventoryError {
  constructor(
    problems: InventoryProblem[],
    readonly partial: LoadedInventory,
  ) {
    super(problems);
  }
}

export interface LoadOptions {
  /** The CIDR cap (CLI --max-cidr-addresses); default: the inventory's defaults.maxCidrAddresses, else 65,536. */
  maxCidrAddresses?: number;
}

export async function loadInventoryFile(file: string, services: readonly string[], opts: LoadOptions = {}): Promise<LoadedInventory> {
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
          : code === 'EISDIR' || (err instanceof NotRegularFileError && err.kind === 'directory')
            ? 'is a directory, not an inventory file'
            : readProblem(err);
    throw new InventoryError([{ file, line: 1, column: 1, message }]);
  }
  return parseInventory(raw, file, services, opts);
}

export function parseInventory(raw: Buffer | string, file: string, services: readonly string[], opts: LoadOptions = {}): LoadedInventory {
  const { doc, data, at, posOf } = parseYamlMapping(raw, file, { noun: 'an inventory', listKey: 'targets' });
  const schema = inventorySchema(services);
  const result = schema.safeParse(data);
  if (!result.success) throw new InventoryError(zodProblems(result.error.issues, doc, data, at, posOf, schema));
  const inventory = result.data;
  // One network, one spelling: ::ffff:127.88.49.0/126 is 127.88.49.0/30 (before the duplicate check below).
  for (const t of inventory.targets) t.host = normalizeMapped(t.host);
  const locations = inventory.targets.map((_, i) => {
    const node = doc.getIn(['targets', i, 'host'], true) as Node | undefined;
    const fallback = doc.getIn(['targets', i], true) as Node | undefined;
    const p = posOf((node ?? fallback)?.range?.[0]);
    return { file, line: p.line, column: p.column };
  });

  // Every problem the schema lets through, in one pass: duplicates, CIDR sizes, targets with no service.
  const problems: InventoryProblem[] = [];
  const seen = new Map<string, number>();
  const cap = opts.maxCidrAddresses ?? inventory.defaults?.maxCidrAddresses ?? defaultMaxCidrAddresses;
  inventory.targets.forEach((t, i) => {
    const loc = locations[i]!;
    const key = normalizeHost(t.host);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(at(loc.line, loc.column, `duplicate target: ${t.host} is already declared at line ${locations[first]!.line}`));
    } else seen.set(key, i);
    const big = cidrProblem(t.host, cap);
    if (big) problems.push(at(loc.line, loc.column, big));
    if (t.services && Object.keys(t.services).length === 0) {
      const p = posOf((doc.getIn(['targets', i, 'services'], true) as Node | undefined)?.range?.[0] ?? undefined);
      problems.push(
        at(p.line, p.column, `services is empty: ${t.host} would have no endpoint (name a service, or drop \`services:\` for all of them)`),
      );
    }
  });
  const suppressionLocations = (inventory.suppressions ?? []).map((_, i) => {
    const p = posOf((doc.getIn(['suppressions', i], true) as Node | undefined)?.range?.[0]);
    return { file, line: p.line, column: p.column };
  });
  const loaded = { file, inventory, locations, suppressionLocations };
  if (problems.length) throw new InventoryProblems(problems, loaded);
  return loaded;
}

export function normalizeHost(h: string): string {
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
