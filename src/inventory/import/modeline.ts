import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Apart from common.ts (YAML, the inventory schema): `exposure-audit init` and `--help` load only this.

/**
 * The installed package's targets schema, for the editor modeline of generated files: an absolute path, since the
 * generated file can live anywhere (src/inventory/import/ in the source tree, dist/src/inventory/import/ built).
 */
export function schemaModeline(): string | undefined {
  for (const rel of ['../../../schema/targets.schema.json', '../../../../schema/targets.schema.json']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return `yaml-language-server: $schema=${fileURLToPath(url)}`;
  }
  return undefined;
}
