// The CLI every part of `npm run bench` measures: package.json's bin (dist/src/cli/bin.cjs and its lazy/ build,
// scripts/bundle-bin.ts), the file users run — not tsc's ES modules, whose hundreds of separate files cost a scan
// ~0.3 s more to load.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };

export const installedCli = path.join(root, pkg.bin['exposure-audit']!);
