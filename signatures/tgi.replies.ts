import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const info = {
  model_id: 'mistralai/Mistral-7B-Instruct-v0.3',
  model_sha: 'e0bc86c23ce5aae1db576c8cca6f06f1f73af2db',
  model_pipeline_tag: 'text-generation',
  max_concurrent_requests: 128,
  max_best_of: 2,
  max_stop_sequences: 4,
  max_input_tokens: 8191,
  max_total_tokens: 8192,
  validation_workers: 2,
  max_client_batch_size: 4,
  router: 'text-generation-router',
  version: '3.3.6',
  sha: '9f38d9305154fd3f6e1c4c7b2b9bb5c1e5f0b2a1',
  docker_label: 'sha-9f38d93',
};
const infoSrc = 'https://github.com/huggingface/text-generation-inference/blob/main/router/src/lib.rs struct Info (TGI 3.3)';

export default defineReplies({
  signature: 'tgi',
  landing: {
    status: 405,
    headers: { allow: 'POST' },
    body: '',
    source: 'router/src/server.rs (TGI 3.3): `/` is routed as POST compat_generate only; axum answers GET with 405 and an empty body',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '3.3.6',
      data: { items: 1 },
      replies: [
        { method: 'GET', path: '/info', status: 200, headers: json, body: info, source: infoSrc },
        {
          method: 'POST',
          path: '/tokenize',
          status: 422,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'Failed to deserialize the JSON body into the target type: missing field `inputs` at line 1 column 2',
          source: 'axum JsonRejection for GenerateRequest without `inputs` (TGI 3.3, router/src/server.rs tokenize)',
        },
        {
          method: 'GET',
          path: '/v1/models',
          status: 200,
          headers: json,
          body: {
            object: 'list',
            data: [
              {
                id: 'mistralai/Mistral-7B-Instruct-v0.3',
                object: 'model',
                created: 1764585600,
                owned_by: 'mistralai/Mistral-7B-Instruct-v0.3',
              },
            ],
          },
          source: 'router/src/server.rs openai_get_model_info (TGI 3.3)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        { method: 'GET', path: '/info', status: 200, headers: json, body: info, source: `${infoSrc}: public with --api-key` },
        {
          method: 'POST',
          path: '/tokenize',
          status: 401,
          headers: { 'content-length': '0' },
          body: '',
          source:
            'router/src/server.rs: base routes wrapped by the api_key middleware answer StatusCode::UNAUTHORIZED, empty body (TGI 3.3)',
        },
      ],
    },
  },
});
