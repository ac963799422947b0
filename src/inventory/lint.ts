import { expandTargets, type ExpandOptions, type Resolver, systemResolver } from './expand.js';
import type { LoadedInventory } from './load.js';
import { closest, didYouMean, plural } from '../text.js';

/**
 * Label keys the classifier acts on, and the values it acts on (src/classify/classify.ts: `exposure: internet`
 * raises severity one step). Any other value of these keys is silently meaningless there, so `validate` says so.
 * test/inventory/lint.test.ts checks the classifier against this list.
 */
export const classifierLabels: Readonly<Record<string, readonly string[]>> = { exposure: ['internet'] };

export interface InventoryWarning {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * What is valid but probably not what was meant: label values the classifier ignores, and declarations that
 * overlap (the same address, port and service reached from two targets: audited once, under the FIRST
 * declaration — its name, labels and expect apply there; the later one's do not).
 */
export async function lintInventory(loaded: LoadedInventory, opts: ExpandOptions): Promise<InventoryWarning[]> {
  const { inventory, locations, file } = loaded;
  const warnings: InventoryWarning[] = [];
  const at = (i: number, message: string) => warnings.push({ file, line: locations[i]!.line, column: locations[i]!.column, message });

  inventory.targets.forEach((t, i) => {
    for (const [key, value] of Object.entries(t.labels ?? {})) {
      const known = classifierLabels[key];
      if (known) {
        if (!known.includes(value))
          at(
            i,
            `label ${key}: ${value} is ignored by the classifier: it acts on ${known.map((v) => `${key}: ${v}`).join(', ')} only${didYouMean(value, known)}`,
          );
        continue;
      }
      const near = closest(key, Object.keys(classifierLabels));
      if (near) at(i, `label ${key} is free-form (not read by the classifier); did you mean ${near}?`);
    }
  });

  // Overlaps: expand each target alone (names resolved once, shared) and note which earlier target owns each endpoint.
  const cache = new Map<string, Promise<string[]>>();
  const base = opts.resolver ?? systemResolver;
  const resolver: Resolver = (name) => {
    let p = cache.get(name);
    if (!p) cache.set(name, (p = base(name)));
    return p;
  };
  const owner = new Map<string, number>();
  const overlaps = new Map<number, Map<number, number>>(); // later target -> earlier target -> endpoints
  for (let i = 0; i < inventory.targets.length; i++) {
    const single: LoadedInventory = { file, inventory: { ...inventory, targets: [inventory.targets[i]!] }, locations: [locations[i]!] };
    const endpoints = await expandTargets(single, { ...opts, resolver });
    for (const e of endpoints) {
      const key = `${e.host}|${e.port}|${e.service}`;
      const first = owner.get(key);
      if (first === undefined) owner.set(key, i);
      else if (first !== i) {
        const m = overlaps.get(i) ?? new Map<number, number>();
        m.set(first, (m.get(first) ?? 0) + 1);
        overlaps.set(i, m);
      }
    }
  }
  for (const [later, earlier] of overlaps) {
    for (const [first, n] of earlier) {
      const w = inventory.targets[first]!;
      at(
        later,
        `${inventory.targets[later]!.host} overlaps ${w.host} (line ${locations[first]!.line}) on ${plural(n, 'endpoint')}: audited once, as declared at line ${locations[first]!.line} (asset ${w.name ?? w.host}${w.expect ? `, expect ${w.expect}` : ''}); this declaration's name, labels and expect do not apply there`,
      );
    }
  }
  return warnings.sort((a, b) => a.line - b.line || a.column - b.column);
}
