// `npm run prepare`: build dist/ when the TypeScript toolchain is here, otherwise say what to do.
//
// npm runs `prepare` on a plain `npm install` in a checkout, before `npm pack` and `npm publish`, and when a package
// is installed from git (after installing its devDependencies: https://docs.npmjs.com/cli/v11/using-npm/scripts).
// It also runs for `npm install -g ./checkout` (a folder install), where npm installs the production dependencies
// only: there `tsc` is missing, and failing with "tsc: not found" helped nobody. A checkout that already has a
// build (dist/) keeps it; one without says how to install instead. A tarball (`npm pack`) ships dist/ and never
// runs prepare on install.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}

if (!tsc && !existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js')) && process.env.npm_config_global === 'true') {
  // `npm install -g git+…` (or of a folder): npm should install devDependencies before prepare but, for global
  // installs, does not (https://github.com/npm/cli/issues/8440, fixed by npm/pacote#494). Fetch just the compiler,
  // at the version the lockfile pins, into this clone, without saving or running scripts.
  const want = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.typescript ?? 'latest';
  console.error(`exposure-audit prepare: global install without devDependencies; fetching typescript@${want} to build`);
  const npm = process.env.npm_execpath;
  const args = ['install', '--no-save', '--global=false', '--ignore-scripts', '--no-audit', '--no-fund', `typescript@${want}`];
  const r = npm
    ? spawnSync(process.execPath, [npm, ...args], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status === 0) {
    try {
      tsc = require.resolve('typescript/bin/tsc');
    } catch {
      tsc = undefined;
    }
  }
}

if (tsc) {
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
if (existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('exposure-audit prepare: TypeScript is not installed here; keeping the existing build in dist/.');
  process.exit(0);
}
console.error(
  [
    'exposure-audit prepare: TypeScript is not installed here and there is no build in dist/.',
    'Install from a release tarball instead (`npm install -g ./exposure-audit-VERSION.tgz`), or build it first:',
    '  npm ci && npm pack && npm install -g ./exposure-audit-*.tgz',
  ].join('\n'),
);
process.exit(1);
