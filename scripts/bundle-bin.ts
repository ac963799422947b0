// `npm run build`, after tsc: the installed CLI's entry, in two parts.
//
// 1. dist/src/cli/bin.cjs — bin.ts and its start-up path (main, the command definitions, commander) as one CommonJS
//    file. A bare `node -e 0` costs ~100 ms; the ES module loader (its own internal modules, then an asynchronous
//    resolve and read per module) added ~70 ms to `--help` over ~25 modules. CommonJS loads none of that.
// 2. dist/src/cli/lazy/ — what a command runs (the scan: probes, signatures, renderers, zod, yaml, undici …), every
//    module the start-up path imports dynamically as an entry of ONE split ES-module build: shared code lives in
//    shared chunks, so each module has one instance however many commands reach it (the scan's redactor is the one
//    main.ts redacts its error lines with). A scan used to load ~450 separate ES modules from dist/src (resolve,
//    read, compile each: ~0.3 s of a 0.7 s one-endpoint scan); it now loads a few chunks. Packages a lazy module
//    imports dynamically (undici) stay chunks of their own, loaded when first used.
//
// bin.cjs's dynamic import() of a dist module becomes an import() of its entry in lazy/.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
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
  build(
    options: Record<string, unknown>,
  ): Promise<{ metafile: { inputs: Record<string, unknown>; outputs: Record<string, { bytes: number }> } }>;
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

const lazyDir = path.join(path.dirname(outfile), 'lazy');
/** Dist modules the start-up path imports dynamically: the entries of the lazy build, by their name in lazy/. */
const lazyEntries = new Map<string, string>();
/** A dist module's entry name in lazy/: its path under dist/ with `/` as `-` (dist/src/cli/scan-run.js: src-cli-scan-run). */
const lazyName = (file: string) => path.relative(dist, file).replace(/\.js$/, '').split(path.sep).join('-');

/**
 * Every dynamic import() but the entry's own (bin.ts loads main.ts after installing the signal handlers: bundled, so
 * still after them) stays one: a package by name, a dist module as its entry in lazy/ (recorded for the lazy build).
 */
const lazyImports = {
  name: 'lazy-imports-stay',
  setup(b: PluginBuild) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer === entry) return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = path.resolve(args.resolveDir, args.path);
      lazyEntries.set(lazyName(target), target);
      return { path: `./lazy/${lazyName(target)}.mjs`, external: true };
    });
  },
};

/**
 * import.meta.url as each module's own file in dist/ (version.ts finds package.json and modeline.ts the schema from
 * it): that file's path relative to the output directory, resolved against `base` (CommonJS has no import.meta.url:
 * the banner's __bin_url; every file of the lazy build lies in lazy/ itself, so its own import.meta.url serves).
 */
const ownUrl = (outDir: string, base: string) => ({
  name: 'own-import-meta-url',
  setup(b: PluginBuild) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes('import.meta.url')) return undefined;
      const rel = path.relative(outDir, args.path).split(path.sep).join('/');
      return { contents: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, ${base}).href`), loader: 'js' };
    });
  },
});

const front = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // First: a directive after the banner would not be one, and every module here was written as (strict) ESM.
  banner: { js: `'use strict';\nconst __bin_url = require('node:url').pathToFileURL(__filename).href;` },
  plugins: [lazyImports, ownUrl(path.dirname(outfile), '__bin_url')],
  metafile: true,
  logLevel: 'warning',
});

// Built beside lazy/ (same depth: ownUrl's paths hold), then swapped in: a CLI already running from this dist (the
// e2e tests build while others run) never finds lazy/ half written.
const building = `${lazyDir}.build-${process.pid}`;
const lazy = await build({
  entryPoints: Object.fromEntries(lazyEntries),
  outdir: building,
  outExtension: { '.js': '.mjs' },
  // Shared code in chunks beside the entries (one directory: ownUrl's relative paths hold for every file).
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS packages bundled here (undici, proper-lockfile …) call require() for Node's built-ins.
  banner: { js: `import { createRequire as __eaCreateRequire } from 'node:module';\nconst require = __eaCreateRequire(import.meta.url);` },
  plugins: [ownUrl(lazyDir, 'import.meta.url')],
  metafile: true,
  logLevel: 'warning',
});

const retired = `${lazyDir}.old-${process.pid}`;
if (existsSync(lazyDir)) renameSync(lazyDir, retired);
renameSync(building, lazyDir);
rmSync(retired, { recursive: true, force: true });

for (const [name, result] of [
  [outfile, front],
  [lazyDir, lazy],
] as const) {
  const outputs = Object.values(result.metafile.outputs);
  const bytes = outputs.reduce((n, o) => n + o.bytes, 0);
  process.stderr.write(
    `bundle-bin: ${path.relative(process.cwd(), name)}: ${Object.keys(result.metafile.inputs).length} modules, ${outputs.length} file(s), ${(bytes / 1024).toFixed(0)} KiB\n`,
  );
}
