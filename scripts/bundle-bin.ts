// `npm run build`, after tsc: the installed CLI's entry, dist/src/cli/bin.cjs — bin.ts and its start-up path (main,
// the command definitions, commander) as one CommonJS file. A bare `node -e 0` costs ~100 ms; the ES module loader
// (its own internal modules, then an asynchronous resolve and read per module) added ~70 ms to `--help` over ~25
// modules. CommonJS loads none of that. What a command runs stays where tsc put it: every dynamic import() is left
// as an import() of the dist/src file, loaded when the command runs (the scan: probes, renderers, undici …), so
// the start-up file holds only what every command needs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Resolve {
  path: string;
  kind: string;
  importer: string;
  resolveDir: string;
}
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ metafile: { inputs: Record<string, unknown>; outputs: Record<string, { bytes: number }> } }>;
}
interface PluginBuild {
  onResolve(filter: { filter: RegExp }, cb: (args: Resolve) => { path: string; external: boolean } | undefined): void;
  onLoad(filter: { filter: RegExp }, cb: (args: { path: string }) => { contents: string; loader: 'js' } | undefined): void;
}

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(dist, 'src/cli/bin.js');
const outfile = path.join(dist, 'src/cli/bin.cjs');

// esbuild is a devDependency (CommonJS); required, not imported, so a missing one names itself plainly.
const { build } = createRequire(import.meta.url)('esbuild') as Esbuild;

/**
 * Every dynamic import() but the entry's own (bin.ts loads main.ts after installing the signal handlers: bundled, so
 * still after them) stays one, relative to the output file: a package by name, a module by its dist path.
 */
const lazyImports = {
  name: 'lazy-imports-stay',
  setup(b: PluginBuild) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer === entry) return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = path.resolve(args.resolveDir, args.path);
      const rel = path.relative(path.dirname(outfile), target).split(path.sep).join('/');
      return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
    });
  },
};

/**
 * import.meta.url, which CommonJS has not, as each module's own file in dist/ (version.ts finds package.json and
 * modeline.ts the schema from it): that file's path relative to this one, resolved when it runs.
 */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b: PluginBuild) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes('import.meta.url')) return undefined;
      const rel = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
      return { contents: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, __bin_url).href`), loader: 'js' };
    });
  },
};

const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // First: a directive after the banner would not be one, and every module here was written as (strict) ESM.
  banner: { js: `'use strict';\nconst __bin_url = require('node:url').pathToFileURL(__filename).href;` },
  plugins: [lazyImports, ownUrl],
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
process.stderr.write(
  `bundle-bin: ${path.relative(process.cwd(), outfile)}: ${Object.keys(result.metafile.inputs).length} modules, ${(bytes / 1024).toFixed(0)} KiB\n`,
);
