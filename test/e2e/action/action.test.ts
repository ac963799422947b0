// The composite action's shell steps, run as a runner would run them: each `run:` with bash (-eo pipefail, as
// GitHub does for `shell: bash`), the step's `env:` with its expressions evaluated, GITHUB_OUTPUT / GITHUB_PATH /
// GITHUB_STEP_SUMMARY files, `if:` conditions honoured. The action path is a copy of this checkout (npm ci there
// must not touch the shared node_modules); the inventory is loopback only: an HTTP server on 127.0.0.181 declared
// as a Redis that should be closed (a low finding: port open but declared closed) and a closed port.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { closedPort, startHttp, startRaw, type FakeServer } from '../../support/fake-servers.js';

const root = path.resolve(import.meta.dirname, '../../..');
const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
interface Step {
  name: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
  github: Record<string, string>;
  runner: Record<string, string>;
}

/** `${{ inputs.x }}`, `${{ steps.id.outputs.y }}`, `${{ github.action_path }}`, `${{ runner.temp }}`. */
function value(expr: string, ctx: Context): string {
  const e = expr.trim();
  const lit = /^'(.*)'$/.exec(e);
  if (lit) return lit[1]!;
  const parts = e.split('.');
  if (parts[0] === 'inputs') return ctx.inputs[parts.slice(1).join('.')] ?? '';
  if (parts[0] === 'steps' && parts[2] === 'outputs') return ctx.steps[parts[1]!]?.outputs[parts.slice(3).join('.')] ?? '';
  if (parts[0] === 'github') return ctx.github[parts[1]!] ?? '';
  if (parts[0] === 'runner') return ctx.runner[parts[1]!] ?? '';
  throw new Error(`expression not understood by this test: ${e}`);
}
const interpolate = (s: string, ctx: Context) => s.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => value(e, ctx));

/** The `if:` forms the action uses: terms joined by &&; always(); a == 'b'; a != ''. */
function condition(expr: string | undefined, ctx: Context, failed: boolean): boolean {
  if (!expr) return !failed;
  let always = false;
  const ok = expr.split('&&').every((term) => {
    const t = term.trim();
    if (t === 'always()') return (always = true);
    const m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(t);
    if (!m) throw new Error(`condition not understood by this test: ${t}`);
    const eq = value(m[1]!, ctx) === value(m[3]!, ctx);
    return m[2] === '==' ? eq : !eq;
  });
  return ok && (always || !failed);
}

describe('action.yml (composite) run with a local shell', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ea-action-'));
  const actionPath = path.join(tmp, 'action');
  const workspace = path.join(tmp, 'workspace');
  const runnerTemp = path.join(tmp, 'runner-temp');
  let web: FakeServer;
  let closed = 0;
  let extraPath: string[] = [];

  beforeAll(async () => {
    // This checkout as `uses: …@ref` would fetch it: tracked and new files, no node_modules, no dist.
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    for (const f of files) {
      if (f === 'node_modules' || f.startsWith('node_modules/') || !existsSync(path.join(root, f))) continue;
      mkdirSync(path.dirname(path.join(actionPath, f)), { recursive: true });
      cpSync(path.join(root, f), path.join(actionPath, f));
    }
    mkdirSync(workspace);
    mkdirSync(runnerTemp);
    web = await startHttp('127.0.0.181', (_req, res) => res.end('hello'));
    closed = await closedPort('127.0.0.182');
    writeFileSync(
      path.join(workspace, 'targets.yaml'),
      [
        'targets:',
        '  - host: 127.0.0.181',
        `    services: {redis: [${web.port}]}`,
        '    expect: closed',
        '  - host: 127.0.0.182',
        `    services: {redis: [${closed}]}`,
        'defaults: {timeout: 1s, connectTimeout: 500ms}',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await web?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function runSteps(inputs: Record<string, string>, only?: (s: Step) => boolean) {
    const ctx: Context = {
      inputs: { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...inputs },
      steps: {},
      github: { action_path: actionPath, workspace },
      runner: { temp: runnerTemp },
    };
    const summary = path.join(tmp, `summary-${Date.now()}.md`);
    writeFileSync(summary, '');
    const log: { name: string; ran: boolean; status?: number; stderr?: string; uses?: string; with?: Record<string, string> }[] = [];
    let failed = false;
    for (const [i, step] of action.runs.steps.entries()) {
      if (only && !only(step)) continue;
      if (!condition(step.if, ctx, failed)) {
        log.push({ name: step.name, ran: false });
        continue;
      }
      if (step.uses) {
        // Not run here (it talks to GitHub): check what it would be given.
        log.push({
          name: step.name,
          ran: true,
          uses: step.uses,
          with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, ctx)])),
        });
        continue;
      }
      expect(step.shell).toBe('bash');
      const output = path.join(tmp, `output-${i}`);
      const ghPath = path.join(tmp, `path-${i}`);
      writeFileSync(output, '');
      writeFileSync(ghPath, '');
      const script = path.join(tmp, `step-${i}.sh`);
      writeFileSync(script, step.run!);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: [...extraPath, process.env.PATH].join(path.delimiter),
        GITHUB_OUTPUT: output,
        GITHUB_PATH: ghPath,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runnerTemp,
        npm_config_update_notifier: 'false',
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)])),
      };
      // Asynchronously: the fake server lives in this process and must keep answering while the step runs.
      const r = await new Promise<{ status: number; out: string }>((resolve) => {
        execFile(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', script],
          { cwd: workspace, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout, stderr) =>
            resolve({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: `${stdout}\n${stderr}` }),
        );
      });
      log.push({ name: step.name, ran: true, status: r.status, stderr: r.out.slice(-4000) });
      if (step.id)
        ctx.steps[step.id] = {
          outputs: Object.fromEntries(
            readFileSync(output, 'utf8')
              .split('\n')
              .filter((l) => l.includes('='))
              .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
          ),
        };
      extraPath = [...readFileSync(ghPath, 'utf8').split('\n').filter(Boolean).reverse(), ...extraPath];
      if (r.status !== 0) failed = true;
    }
    return { ctx, log, summary: readFileSync(summary, 'utf8') };
  }

  it('is a composite action whose inputs reach the shell through env only', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) if (s.run) expect(s.run, s.name).not.toContain('${{');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['targets', 'args', 'fail-on', 'upload-sarif']));
    const uses = action.runs.steps.flatMap((s) => (s.uses ? [s.uses] : []));
    for (const u of ['github/codeql-action/upload-sarif', 'actions/upload-artifact', 'actions/cache/restore', 'actions/cache/save'])
      expect(
        uses.some((x) => new RegExp(`^${u}@v\\d+$`).test(x)),
        u,
      ).toBe(true);
  });

  it(
    'installs from its checkout, scans, hands SARIF to the upload, writes the summary, fails on findings',
    { timeout: 600_000 },
    async () => {
      const { ctx, log, summary } = await runSteps({ targets: 'targets.yaml', 'fail-on': 'low', args: '--no-state --sample 0' });
      const byName = Object.fromEntries(log.map((l) => [l.name, l]));
      expect(byName['Check Node.js']!.status, byName['Check Node.js']!.stderr).toBe(0);
      expect(
        byName["Install exposure-audit from the action's checkout"]!.status,
        byName["Install exposure-audit from the action's checkout"]!.stderr,
      ).toBe(0);
      expect(existsSync(path.join(runnerTemp, 'exposure-audit-install', 'bin', 'exposure-audit'))).toBe(true);
      expect(byName.Scan!.status, byName.Scan!.stderr).toBe(0);
      expect(ctx.steps.scan!.outputs['exit-code']).toBe('1');
      const dir = path.join(workspace, 'exposure-audit-report');
      for (const f of ['report.json', 'report.md', 'report.html', 'report.sarif']) expect(existsSync(path.join(dir, f)), f).toBe(true);
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
      expect(report.summary.findings).toBe(1);
      expect(report.findings[0].check).toMatch(/:port-open$/);
      const upload = byName['Upload SARIF to code scanning']!;
      expect(upload.ran).toBe(true);
      expect(upload.with).toEqual({ sarif_file: 'exposure-audit-report/report.sarif', category: 'exposure-audit' });
      expect(summary).toBe(readFileSync(path.join(dir, 'report.md'), 'utf8'));
      const artifact = byName['Upload the report folder']!;
      expect([artifact.ran, artifact.uses, artifact.with]).toEqual([
        true,
        'actions/upload-artifact@v4',
        { name: 'exposure-audit-report', path: 'exposure-audit-report', 'retention-days': '90' },
      ]);
      // --no-state in args: no cache steps would carry anything, yet the state input is on: the scan got --state.
      expect(byName['Save the state for the next run']!.ran).toBe(true);
      expect(byName.Result!.status).toBe(1);
      expect(byName.Result!.stderr).toContain('::error title=exposure-audit::findings at or above low');
    },
  );

  it('passes when nothing is at or above fail-on, and skips the upload when asked', { timeout: 120_000 }, async () => {
    // exposure-audit is on PATH from the install above (GITHUB_PATH).
    const { ctx, log } = await runSteps(
      { 'fail-on': 'high', 'upload-sarif': 'false', 'report-dir': 'second' },
      (s) => !/^(Install|Check)/.test(s.name),
    );
    const byName = Object.fromEntries(log.map((l) => [l.name, l]));
    expect(ctx.steps.scan!.outputs['exit-code']).toBe('0');
    expect(ctx.steps.scan!.outputs['sarif-file']).toBe('');
    expect(byName['Upload SARIF to code scanning']!.ran).toBe(false);
    expect(existsSync(path.join(workspace, 'second', 'report.sarif'))).toBe(false);
    expect(byName.Result!.status).toBe(0);
  });

  it(
    'carries the state between runs through the cache: the second run knows the first finding (not new)',
    { timeout: 240_000 },
    async () => {
      const notInstall = (s: Step) => !/^(Install|Check)/.test(s.name);
      const inputs = { 'fail-on': 'low', 'state-dir': '.state-carried', args: '--sample 0' };
      const first = await runSteps({ ...inputs, 'report-dir': 'state-1' }, notInstall);
      const key = first.ctx.steps.state!.outputs.key!;
      expect(key).toMatch(/^exposure-audit-state-[0-9a-f]{16}$/);
      const restore = first.log.find((l) => l.name === 'Restore the state of the previous run')!;
      expect(restore.with).toEqual({ path: '.state-carried', key: `${key}-`, 'restore-keys': `${key}-` });
      const save = first.log.find((l) => l.name === 'Save the state for the next run')!;
      expect(save.with).toEqual({ path: '.state-carried', key: `${key}-` });
      // The cache would hand the folder back as it was saved; here it simply stays in the workspace.
      expect(existsSync(path.join(workspace, '.state-carried', 'state.json'))).toBe(true);
      const report1 = JSON.parse(readFileSync(path.join(workspace, 'state-1', 'report.json'), 'utf8'));
      expect(report1.findings[0].change).toBe('new');
      await runSteps({ ...inputs, 'report-dir': 'state-2' }, notInstall);
      const report2 = JSON.parse(readFileSync(path.join(workspace, 'state-2', 'report.json'), 'utf8'));
      expect(report2.findings[0].change).toBe('unchanged');
      expect(report2.findings[0].firstSeen).toBe(report1.findings[0].firstSeen);
    },
  );

  it('labels exit 3 (untested endpoints) as what it is', { timeout: 120_000 }, async () => {
    // A tarpit accepts and never answers: a timeout, no verdict, so --fail-on-untested 0 exits 3.
    const tarpit = await startRaw('127.0.0.183', { kind: 'silent' });
    try {
      writeFileSync(path.join(workspace, 'untested.yaml'), `targets:\n  - host: 127.0.0.183\n    services: {redis: [${tarpit.port}]}\n`);
      const { ctx, log } = await runSteps(
        { targets: 'untested.yaml', 'report-dir': 'untested', state: 'false', args: '--fail-on-untested 0 --timeout 1s' },
        (s) => !/^(Install|Check)/.test(s.name),
      );
      const byName = Object.fromEntries(log.map((l) => [l.name, l]));
      expect(ctx.steps.scan!.outputs['exit-code']).toBe('3');
      expect(byName.Result!.stderr).toContain('could not be tested (exit 3');
      expect(byName.Result!.stderr).not.toContain('usage error');
    } finally {
      await tarpit.close();
    }
  });

  it('a usage error fails the action with its own message', { timeout: 120_000 }, async () => {
    const { ctx, log } = await runSteps({ targets: 'missing.yaml', 'report-dir': 'third' }, (s) => !/^(Install|Check)/.test(s.name));
    const byName = Object.fromEntries(log.map((l) => [l.name, l]));
    expect(ctx.steps.scan!.outputs['exit-code']).toBe('2');
    expect(byName.Result!.status).toBe(1);
    expect(byName.Result!.stderr).toContain('did not run (exit 2)');
  });
});
