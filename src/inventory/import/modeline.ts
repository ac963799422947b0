import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Apart from common.ts (YAML, the inventory schema): `exposure-audit init` and `--help` load only this.

/** The installed package's targets schema (src/inventory/import/ in the source tree, dist/src/inventory/import/ built). */
function installedSchema(): string | undefined {
  for (const rel of ['../../../schema/targets.schema.json', '../../../../schema/targets.schema.json']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return fileURLToPath(url);
  }
  return undefined;
}

/**
 * The editor modeline for a generated inventory at `forFile`, portable or absent: users commit the file, so it
 * never names a path of the machine that wrote it. When the package is installed in a `node_modules` folder beside
 * the file or above it (a project's own devDependency), the path is relative to the file and holds on every clone
 * after `npm ci`; otherwise (a global install, a checkout) there is no portable path and no modeline is written.
 */
export function schemaModeline(forFile: string, schema = installedSchema()): string | undefined {
  if (!schema) return undefined;
  const rel = path
    .relative(path.dirname(path.resolve(forFile)), schema)
    .split(path.sep)
    .join('/');
  // Only ../ steps up to a node_modules folder, then down inside it: e.g. ../node_modules/exposure-audit/schema/…
  if (!/^(\.\.\/)*node_modules\/(?!.*\.\.\/)/.test(rel)) return undefined;
  return `yaml-language-server: $schema=${rel.startsWith('../') ? rel : `./${rel}`}`;
}
