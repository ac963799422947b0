import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };

export default defineReplies({
  signature: 'tensorboard',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.20.0',
      data: { items: 3 },
      replies: [
        {
          method: 'GET',
          path: '/data/environment',
          status: 200,
          headers: json,
          body: {
            version: '2.20.0',
            data_location: '/srv/train/logs',
            window_title: '',
            experiment_name: '',
            experiment_description: '',
            creation_time: 0.0,
            debug: { data_provider: "MultiplexerDataProvider(logdir='/srv/train/logs')", flags: { bind_all: true, port: 6006 } },
          },
          source: 'tensorboard/plugins/core/core_plugin.py _serve_environment (TensorBoard 2.20)',
        },
        {
          method: 'GET',
          path: '/data/runs',
          status: 200,
          headers: json,
          body: ['llama-ft/train', 'llama-ft/validation', 'baseline'],
          source: 'tensorboard/plugins/core/core_plugin.py _serve_runs (TensorBoard 2.20)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/data/environment',
          status: 401,
          headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="tensorboard"' },
          body: '<html><head><title>401 Authorization Required</title></head><body>401 Authorization Required</body></html>',
          source: 'nginx auth_basic in front of TensorBoard 2.20 (TensorBoard has no auth of its own)',
        },
      ],
    },
  },
});
