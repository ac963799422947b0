import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The installed entry (package.json's bin: dist/src/cli/bin.cjs, the CommonJS build of the start-up path made by
 * scripts/bundle-bin.ts) against the ES modules tsc built (dist/src/cli/main.js): the same output and exit codes,
 * the commands' modules loaded on demand from dist/src/cli/lazy (one split build), an error thrown there still a
 * one-line usage error. The one scan here connects to a loopback port nothing listens on.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const bin = path.join(root, pkg.bin['exposure-audit']!);
const esm = path.join(root, 'dist/src/cli/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'ea-bin-entry-'));

beforeAll(() => {
  const t0 = Date.now();
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  if (!existsSync(bin) || statSync(bin).mtimeMs < t0 - 1000)
    throw new Error(`npm run build did not produce ${bin}:\n${build.stdout}\n${build.stderr}`);
}, 200_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [file, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });

describe('the installed entry (bin.cjs)', () => {
  it('is CommonJS with the shebang, and --help / --version never start the ES module loader', () => {
    expect(bin).toMatch(/\.cjs$/);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Node's own list of the internal modules it loaded: the ES module entry loads the loader (resolve, translators,
    // module_job …, ~20 ms of compiling before any module of ours); the CommonJS entry must not.
    const hook = path.join(dir, 'loaded.cjs');
    writeFileSync(hook, `process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList) + '\\n'));\n`);
    const loaded = (file: string, arg: string) => {
      const r = spawnSync(process.execPath, ['-r', hook, file, arg], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stderr.trim().split('\n').pop()!) as string[];
    };
    for (const arg of ['--help', '--version'])
      expect(loaded(bin, arg).filter((m) => m.includes('internal/modules/esm/loader'))).toEqual([]);
    // The check can fail: the ES module entry does load it.
    expect(loaded(esm, '--version')).toContain('NativeModule internal/modules/esm/loader');
  });

  it('prints the same --help and --version as the ES modules', () => {
    for (const args of [['--help'], ['--version'], ['scan', '--help'], ['import', '--help']]) {
      const a = run(bin, args);
      const b = run(esm, args);
      expect(a.status, a.stderr).toBe(b.status);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stderr).toBe(b.stderr);
    }
    expect(run(bin, ['--version']).stdout.trim()).toBe(pkg.version);
  });

  it('runs a command from its lazily loaded modules; their errors stay one-line usage errors (exit 2)', () => {
    const missing = run(bin, ['validate', path.join(dir, 'nope.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(missing.stderr).toBe(run(esm, ['validate', path.join(dir, 'nope.yaml')]).stderr);
    const init = run(bin, ['init', path.join(dir, 'targets.yaml')]);
    expect(init.status, init.stderr).toBe(0);
    const valid = run(bin, ['validate', path.join(dir, 'targets.yaml')]);
    expect(valid.status, valid.stderr).toBe(0);
    // import (the importers and the inventory writer): the same output both ways.
    const nmap = path.join(root, 'test/fixtures/import/nmap.xml');
    for (const args of [['import', 'nmap', nmap]]) {
      const a = run(bin, args);
      const b = run(esm, args);
      expect(a.status, a.stderr).toBe(0);
      expect([a.status, a.stdout, a.stderr]).toEqual([b.status, b.stdout, b.stderr]);
    }
    const probes = run(bin, ['probes', '--json']);
    expect(probes.status, probes.stderr).toBe(0);
    expect(JSON.parse(probes.stdout)).toEqual(JSON.parse(run(esm, ['probes', '--json']).stdout));
  });

  it('a scan runs from the lazy build: the same report as the ES modules, a few chunks loaded instead of dist/src', async () => {
    // A loopback port that was just free: the scan's one endpoint is refused (closed).
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    // And a loopback web server of none of the products: the HTTP path (undici, loaded from its own chunk) runs too.
    const web = http.createServer((req, res) => {
      res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html' });
      res.end(req.url === '/' ? '<html><title>Welcome</title></html>' : 'not found');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const webPort = (web.address() as net.AddressInfo).port;
    const inv = path.join(dir, 'one.yaml');
    writeFileSync(inv, `targets:\n  - host: 127.0.0.1\n    name: one\n    services: {redis: [${port}], http: [${webPort}]}\n`);
    const report = async (file: string) => {
      const out = path.join(dir, `${path.basename(file)}.json`);
      const child = spawn(process.execPath, [file, 'scan', inv, '-q', '--no-state', '--out', out], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', NODE_DEBUG: 'esm' },
      });
      const chunks: string[] = [];
      child.stderr.setEncoding('utf8').on('data', (c: string) => chunks.push(c));
      child.stdout.resume();
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
      clearTimeout(killer);
      const r = { status, stderr: chunks.join('') };
      expect(r.status, r.stderr.slice(-4000)).toBe(0);
      // The random baseline path differs from run to run.
      const text = readFileSync(out, 'utf8').replace(/\/ea-[0-9a-f]{16}/g, '/ea-RANDOM');
      const json = JSON.parse(text) as { run: Record<string, unknown>; endpoints: Array<Record<string, unknown>> };
      // What differs between two runs: times.
      for (const k of ['startedAt', 'finishedAt', 'durationMs']) delete json.run[k];
      for (const e of json.endpoints) delete e.durationMs;
      for (const e of json.endpoints) delete (e.facts as Record<string, unknown> | undefined)?.rttMs;
      // NODE_DEBUG=esm names every ES module the loader reads (the lazy build's files are ES modules).
      const loaded = [...r.stderr.matchAll(/file:\/\/(\S+?\.m?js)/g)].map((m) => m[1]!);
      return { json, loaded: new Set(loaded) };
    };
    const [viaBin, viaEsm] = await (async () => {
      try {
        // spawnSync would block this process's web server: run each CLI asynchronously.
        return [await report(bin), await report(esm)];
      } finally {
        web.close();
      }
    })();
    expect(viaBin.json).toEqual(viaEsm.json);
    expect(viaBin.json.endpoints.map((e) => e.status).sort()).toEqual(['closed', 'not-detected']);
    // diff (the report reader, the change view) of the two reports: the same output both ways.
    const reports = [path.join(dir, 'bin.cjs.json'), path.join(dir, 'main.js.json')];
    const d = run(bin, ['diff', ...reports]);
    expect(d.status, d.stderr).toBe(0);
    expect(d.stdout).toContain('0 new, 0 resolved');
    expect([d.stdout, d.stderr]).toEqual([run(esm, ['diff', ...reports]).stdout, run(esm, ['diff', ...reports]).stderr]);
    const fromSrc = (s: Set<string>) => [...s].filter((f) => f.includes('/dist/src/') && !f.includes('/dist/src/cli/lazy/'));
    const fromLazy = (s: Set<string>) => [...s].filter((f) => f.includes('/dist/src/cli/lazy/'));
    // The check can fail: the ES modules load hundreds of dist files for the same scan.
    expect(fromSrc(viaEsm.loaded).length).toBeGreaterThan(100);
    expect(fromSrc(viaBin.loaded)).toEqual([]);
    expect(fromLazy(viaBin.loaded).length).toBeGreaterThan(0);
    expect(fromLazy(viaBin.loaded).length).toBeLessThan(60);
  });

  it('installs the signal handlers before loading the CLI', () => {
    const r = run(bin, ['--version'], { EXPOSURE_AUDIT_SIGNAL_READY: '1' });
    expect(r.stderr).toBe('exposure-audit: signal handlers installed\n');
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
