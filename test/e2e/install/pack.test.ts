import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

/**
 * The documented install: `npm pack` (prepack builds dist/), then `npm install -g` of the tarball into a prefix.
 * --prefer-offline: dependencies come from the npm cache when it has them (a second run needs no network).
 * No traffic of the product itself: only --version, --help and `init` run.
 */
describe('npm pack + npm install -g of the tarball', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ea-install-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

  it('packs dist/, LICENSE and the schemas, and no sources or tests', { timeout: 240_000 }, async () => {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
    const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    const files = info.files.map((f) => f.path);
    expect(files).toContain('dist/src/cli/main.js');
    // The installed entry: the CommonJS start-up build (scripts/bundle-bin.ts).
    expect(files).toContain('dist/src/cli/bin.cjs');
    expect(files).toContain('LICENSE');
    expect(files).toContain('schema/targets.schema.json');
    expect(files).toContain('schema/report.schema.json');
    expect(files).toContain('package.json');
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.endsWith('.ts'))).toEqual([]);
    expect(info.filename).toBe(`exposure-audit-${pkg.version}.tgz`);

    const tarball = path.join(tmp, info.filename);
    // The packed package.json runs nothing at install time (npm 11 asks to approve such scripts; a user installing
    // a security tool should not run code from it before its first run) and names no file the tarball lacks.
    const packed = await run('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: tmp, env });
    const scripts = (JSON.parse(packed.stdout) as { scripts?: Record<string, string> }).scripts ?? {};
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts[hook], hook).toBeUndefined();
    const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    expect(sha).toMatch(/^[0-9a-f]{64}$/);

    const prefix = path.join(tmp, 'prefix');
    const installed = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: tmp,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(`${installed.stdout}${installed.stderr}`).not.toMatch(/install-scripts|install script/i);
    const bin = path.join(prefix, 'bin', 'exposure-audit');
    const version = await run(bin, ['--version'], { cwd: tmp, env });
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await run(bin, ['--help'], { cwd: tmp, env });
    expect(help.stdout).toContain('import');
    expect(help.stdout).toContain('init');
  });

  it('declares the Node version the README states', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const min = pkg.engines.node.replace(/^>=/, '');
    expect(readme).toContain(`Node.js ${min}`);
  });
});

describe('examples install a pinned, verifiable build', () => {
  const docs = [
    'README.md',
    ...readdirSync(path.join(root, 'docs'))
      .filter((f) => /\.(ya?ml|md)$/.test(f))
      .map((f) => `docs/${f}`),
    ...readdirSync(path.join(root, 'examples'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.[a-z]+$/.test(f))
      .map((f) => `examples/${f}`),
  ];

  it('no example runs exposure-audit by package name through npx or npm install -g NAME', () => {
    expect(docs.length).toBeGreaterThan(5);
    for (const f of docs) {
      const text = readFileSync(path.join(root, f), 'utf8');
      expect(text, f).not.toMatch(/npx (--yes |-y )?exposure-audit[ "]+(scan|diff|merge|validate|init|import|\$|\/|[a-z-]+\.ya?ml)/);
      expect(text, f).not.toMatch(/npm (install|i) (-g|--global) exposure-audit(@|\s|$)/m);
    }
  });

  it('every workflow that runs exposure-audit installs a checksum-verified tarball or uses the pinned action', () => {
    for (const f of docs.filter((d) => /\.ya?ml$/.test(d))) {
      const text = readFileSync(path.join(root, f), 'utf8');
      if (!/exposure-audit (scan|diff|merge)|uses: [\w-]+\/exposure-audit@/.test(text)) continue;
      const pinnedAction = /uses: [\w-]+\/exposure-audit@[0-9a-f]{40}\b/.test(text);
      const checkedTarball = /sha256sum --check --strict/.test(text) && /npm install -g [^\n]*(\.tgz|EA_TARBALL)/.test(text);
      expect(pinnedAction || checkedTarball, f).toBe(true);
    }
  });
});
