import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const src = 'https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_statistics.md (Triton 25.10 / core 2.62)';
const restricted = (h: string) => ({
  status: 403,
  headers: json,
  body: { error: `This API is restricted, expecting header '${h}'` },
  source: 'src/http_server.cc RespondIfRestricted (Triton 25.10, --http-restricted-api=metadata,statistics:admin-key=…)',
});

export default defineReplies({
  signature: 'triton',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.62.0',
      data: { items: 2 },
      replies: [
        {
          method: 'GET',
          path: '/v2',
          status: 200,
          headers: json,
          body: {
            name: 'triton',
            version: '2.62.0',
            extensions: [
              'classification',
              'sequence',
              'model_repository',
              'model_repository(unload_dependents)',
              'schedule_policy',
              'model_configuration',
              'system_shared_memory',
              'cuda_shared_memory',
              'binary_tensor_data',
              'parameters',
              'statistics',
              'trace',
              'logging',
            ],
          },
          source: 'https://github.com/kserve/kserve/blob/master/docs/predict-api/v2/required_api.md server metadata (Triton 25.10)',
        },
        {
          method: 'GET',
          path: '/v2/models/stats',
          status: 200,
          headers: json,
          body: {
            model_stats: [
              {
                name: 'densenet_onnx',
                version: '1',
                last_inference: 1764590000123,
                inference_count: 42,
                execution_count: 42,
                inference_stats: {
                  success: { count: 42, ns: 1903000000 },
                  fail: { count: 0, ns: 0 },
                  queue: { count: 42, ns: 2100000 },
                  compute_input: { count: 42, ns: 900000 },
                  compute_infer: { count: 42, ns: 1800000000 },
                  compute_output: { count: 42, ns: 700000 },
                  cache_hit: { count: 0, ns: 0 },
                  cache_miss: { count: 0, ns: 0 },
                },
                batch_stats: [],
              },
              {
                name: 'text_recognition',
                version: '1',
                last_inference: 0,
                inference_count: 0,
                execution_count: 0,
                inference_stats: {
                  success: { count: 0, ns: 0 },
                  fail: { count: 0, ns: 0 },
                  queue: { count: 0, ns: 0 },
                  compute_input: { count: 0, ns: 0 },
                  compute_infer: { count: 0, ns: 0 },
                  compute_output: { count: 0, ns: 0 },
                  cache_hit: { count: 0, ns: 0 },
                  cache_miss: { count: 0, ns: 0 },
                },
                batch_stats: [],
              },
            ],
          },
          source: src,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: '/v2', ...restricted('admin-key') },
        { method: 'GET', path: '/v2/models/stats', ...restricted('admin-key') },
      ],
    },
  },
});
