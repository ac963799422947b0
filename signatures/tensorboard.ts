import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

/**
 * TensorBoard (tensorboard/backend/application.py, core plugin). No authentication of its own; --host defaults to
 * localhost and --bind_all exposes it. `/data/environment` names the log directory; `/data/runs` lists runs.
 * A 401 can only come from a proxy in front. Never sent: plugin data downloads, the debugger plugins.
 */
export default defineSignature({
  id: 'tensorboard',
  product: 'TensorBoard',
  category: 'ML platform',
  neverSends: 'plugin data downloads, debugger plugins',
  defaultPorts: [6006],
  requests: [
    { id: 'environment', method: 'GET', path: '/data/environment' },
    { id: 'runs', method: 'GET', path: '/data/runs' },
  ],
  positive: [
    {
      on: 'environment',
      status: [200],
      contentType: /json/i,
      json: ['data_location', { path: 'version', match: /^\d+\.\d+/ }, 'window_title'],
      shows: 'the environment (log directory and version) without credentials: every run, scalar, hyper-parameter and sample is readable',
    },
  ],
  auth: [
    {
      on: 'environment',
      status: [401],
      headers: { 'www-authenticate': true },
      shows: '401 with WWW-Authenticate from a proxy in front of TensorBoard',
    },
    { on: 'environment', status: [302, 303], redirect: /login|oauth|auth/i, shows: 'redirect to a login page (an auth proxy)' },
  ],
  measure: [{ id: 'runs', kind: 'run', request: { method: 'GET', path: '/data/runs' }, list: '' }],
  assess(r) {
    return {
      severity: 'medium',
      reason:
        `training logs readable by anyone: metrics, hyper-parameters, text/image samples and the internal log path ${str(r.environment?.json(), 'data_location', 120) ?? ''}`.trim(),
    };
  },
  severity: 'medium',
  exposure: 'anyone can read training runs: metrics, hyper-parameters, graphs, text and image samples, and internal paths',
  remediation:
    'Run TensorBoard without --bind_all (it listens on localhost by default) and reach it through an SSH tunnel or an authenticating proxy.',
  references: [
    'https://github.com/tensorflow/tensorboard/blob/master/tensorboard/plugins/core/core_plugin.py',
    'https://github.com/tensorflow/tensorboard/blob/master/README.md',
  ],
  extract(r) {
    const e = r.environment?.json();
    const runs = r.runs?.status === 200 ? r.runs.json() : undefined;
    return compact({
      version: str(e, 'version'),
      logdir: str(e, 'data_location', 200),
      runs: Array.isArray(runs) ? runs.length : undefined,
    });
  },
});
