import { importAnsible } from './ansible.js';
import type { ImportedInventory, PortOwner } from './common.js';
import { importKubernetes } from './kubernetes.js';
import { importNmap } from './nmap.js';
import { importTerraform } from './terraform.js';

export { ImportError, renderInventory, type PortOwner, type ImportedInventory, type ImportedTarget } from './common.js';

/** The sources `exposure-audit import` reads; each is a pure function of the file's text. */
export const importers = {
  ansible: importAnsible,
  terraform: importTerraform,
  nmap: importNmap,
  kubernetes: importKubernetes,
} as const satisfies Record<string, (text: string, probes: readonly PortOwner[]) => ImportedInventory>;

export type ImportSource = keyof typeof importers;
export const importSources = Object.keys(importers) as ImportSource[];
