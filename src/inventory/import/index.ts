import { importAnsible } from './ansible.js';
import type { ImportedInventory, PortOwner } from './common.js';
import { importKubernetes } from './kubernetes.js';
import { importNmap } from './nmap.js';
import { importTerraform } from './terraform.js';
import { importSources, type ImportSource } from './sources.js';

export { ImportError, renderInventory, type PortOwner, type ImportedInventory, type ImportedTarget } from './common.js';

/** The sources `exposure-audit import` reads; each is a pure function of the file's text. */
export const importers = {
  ansible: importAnsible,
  terraform: importTerraform,
  nmap: importNmap,
  kubernetes: importKubernetes,
} as const satisfies Record<ImportSource, (text: string, probes: readonly PortOwner[]) => ImportedInventory>;

export { importSources, type ImportSource };
