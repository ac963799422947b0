import { importAnsible } from './ansible.js';
import type { ImportedInventory } from './common.js';
import { importKubernetes } from './kubernetes.js';
import { importNmap } from './nmap.js';
import { importTerraform } from './terraform.js';

export { ImportError, renderInventory, type ImportedInventory, type ImportedTarget } from './common.js';

/** The sources `exposure-audit import` reads; each is a pure function of the file's text. */
export const importers = {
  ansible: importAnsible,
  terraform: importTerraform,
  nmap: importNmap,
  kubernetes: importKubernetes,
} as const satisfies Record<string, (text: string) => ImportedInventory>;

export type ImportSource = keyof typeof importers;
export const importSources = Object.keys(importers) as ImportSource[];
