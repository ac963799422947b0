import { countEndpoints, defaultMaxCidrAddresses, defaultMaxEndpoints } from '../inventory/checks.js';
import { planTargets, type EndpointPlan, type Resolver } from '../inventory/expand.js';
import { combineInventories, inventoryFiles } from '../inventory/combine.js';
import { InventoryError, InventoryProblems, loadInventoryFile, type InventoryProblem, type LoadedInventory } from '../inventory/load.js';
import { didYouMean } from '../domain/suggest.js';
import { EaError } from '../errors.js';
import { probeMetas, services } from './registry.js';

export interface SelectOptions {
  maxCidrAddresses?: number;
  maxEndpoints?: number;
  service?: string[];
  target?: string[];
  /** Fail fast on a name that does not resolve (validate always does). */
  strict?: boolean;
}

const usage = (message: string) => new EaError('EA_USAGE', message);

/** Only the targets `--target` names (by host as declared, or `name:`); each must name one. */
function selectTargets(loaded: LoadedInventory, wanted: readonly string[]): LoadedInventory {
  const { targets } = loaded.inventory;
  const keys = (t: (typeof targets)[number]) => [t.host.toLowerCase(), ...(t.name ? [t.name.toLowerCase()] : [])];
  for (const w of wanted) {
    if (!targets.some((t) => keys(t).includes(w.toLowerCase()))) {
      const known = [...new Set(targets.flatMap((t) => [t.host, ...(t.name ? [t.name] : [])]))];
      throw usage(`--target ${w} matches no target of ${loaded.file}${didYouMean(w, known, 'declared')}`);
    }
  }
  const keep = targets.map((t) => wanted.some((w) => keys(t).includes(w.toLowerCase())));
  return {
    ...loaded,
    inventory: { ...loaded.inventory, targets: targets.filter((_, i) => keep[i]) },
    locations: loaded.locations.filter((_, i) => keep[i]),
  };
}

const byPlace = (a: InventoryProblem, b: InventoryProblem) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

/**
 * The inventory, read and expanded, with the command line's selection applied. Every problem in one pass: schema
 * problems first (nothing else can be checked in an inventory that does not parse), then duplicates, CIDR sizes,
 * empty service maps, the endpoint bound and names that do not resolve (with --strict, or for validate), one line
 * each as `file:line:column: message`. A selection (`--service`, `--target`) that matches nothing is exit 2 with
 * "did you mean". Without --strict a name that does not resolve makes its endpoints `error` / EA_DNS.
 */
export async function loadSelection(
  inventories: string | readonly string[],
  opts: SelectOptions,
  resolver: Resolver | undefined,
): Promise<{ loaded: LoadedInventory; plan: EndpointPlan; notes: string[] }> {
  for (const s of opts.service ?? []) {
    if (!services.includes(s)) throw usage(`--service ${s}: no such service${didYouMean(s, services)}`);
  }
  const problems: InventoryProblem[] = [];
  const parts: LoadedInventory[] = [];
  const unreadable: InventoryProblem[] = [];
  for (const f of await inventoryFiles(typeof inventories === 'string' ? [inventories] : inventories)) {
    try {
      parts.push(await loadInventoryFile(f, services, opts.maxCidrAddresses ? { maxCidrAddresses: opts.maxCidrAddresses } : {}));
    } catch (err) {
      if (err instanceof InventoryProblems) {
        parts.push(err.partial);
        problems.push(...err.problems);
      } else if (err instanceof InventoryError) unreadable.push(...err.problems);
      else throw err;
    }
  }
  // Every file's problems in one pass; a file that does not parse leaves nothing to combine.
  if (unreadable.length) throw new InventoryError([...unreadable, ...problems].sort(byPlace));
  const combined = combineInventories(parts);
  problems.push(...combined.problems);
  let loaded = combined.loaded;
  const file = loaded.file;
  if (opts.target?.length) loaded = selectTargets(loaded, opts.target);

  // The bound, counted over the declarations before anything is made (an expansion of 17 million endpoints would
  // exhaust memory before it failed).
  const max = opts.maxEndpoints ?? defaultMaxEndpoints;
  const cidrCap = opts.maxCidrAddresses ?? loaded.inventory.defaults?.maxCidrAddresses ?? defaultMaxCidrAddresses;
  const count = countEndpoints(loaded.inventory, probeMetas, opts.service, cidrCap);
  if (count.endpoints > max) {
    const big = count.largest ? `; the largest, ${count.largest.host}, makes ${count.largest.endpoints.toLocaleString('en')}` : '';
    const p = {
      file,
      line: 1,
      column: 1,
      message: `the inventory makes ${count.endpoints.toLocaleString('en')} endpoints (${count.addresses.toLocaleString('en')} addresses × their services' ports${big}), over the cap of ${max.toLocaleString('en')}: split it, select with --service/--target/--shard, or raise --max-endpoints`,
    };
    throw new InventoryError([...problems, p].sort(byPlace));
  }

  let plan: EndpointPlan = { count: 0, declarations: [], [Symbol.iterator]: () => [][Symbol.iterator]() };
  try {
    // Lazy: nothing is expanded here; the scan's connect phase pulls endpoints one at a time.
    plan = await planTargets(loaded, {
      probes: probeMetas,
      ...(resolver ? { resolver } : {}),
      ...(opts.maxCidrAddresses ? { maxCidrAddresses: opts.maxCidrAddresses } : {}),
      ...(opts.service ? { onlyServices: opts.service } : {}),
      unresolved: opts.strict ? 'fail' : 'endpoint',
    });
  } catch (err) {
    if (!(err instanceof InventoryError)) throw err;
    const seen = new Set(problems.map((p) => `${p.line}:${p.column}:${p.message}`));
    problems.push(...err.problems.filter((p) => !seen.has(`${p.line}:${p.column}:${p.message}`)));
  }
  if (problems.length) throw new InventoryError(problems.sort(byPlace));

  // A selection that matches nothing audits nothing: never a green "0 endpoints".
  // Decided on the declarations (each target's services, or the default ones), not by walking every endpoint.
  const defaults = services.filter((s) => probeMetas.some((p) => p.service === s && p.defaultExpansion !== false));
  for (const s of opts.service ?? []) {
    if (!loaded.inventory.targets.some((t) => (t.services ? s in t.services : defaults.includes(s)))) {
      const declared = [...new Set(loaded.inventory.targets.flatMap((t) => (t.services ? Object.keys(t.services) : services)))];
      throw usage(`--service ${s} selects no endpoint: no target of ${file} declares it${didYouMean(s, declared, 'declared')}`);
    }
  }
  if (plan.count === 0) throw usage(`${file}: the selection matches no endpoint: nothing would be audited`);
  return { loaded, plan, notes: combined.notes };
}
