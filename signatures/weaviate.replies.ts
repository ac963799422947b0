import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const anon = {
  status: 401,
  headers: json,
  body: '{"code":401,"message": "anonymous access not enabled. Please authenticate through one of the available methods: [API-keys, OIDC]" }\n',
  source: 'usecases/auth/authentication/anonymous/middleware.go (Weaviate 1.33, API keys + OIDC)',
};

export default defineReplies({
  signature: 'weaviate',
  landing: {
    status: 301,
    headers: { location: '/v1' },
    body: '{"links":{"href":"/v1","name":"api v1","documentationHref":"https://weaviate.io/developers/weaviate/current/"}}',
    source: 'weaviate/weaviate adapters/handlers/rest addHandleRoot: GET / answers 301 to /v1 with this links document (Weaviate 1.x)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.33.2',
      data: { items: 2 },
      replies: [
        {
          method: 'GET',
          path: '/v1/meta',
          status: 200,
          headers: json,
          body: {
            grpcMaxMessageSize: 104858000,
            hostname: 'http://[::]:8080',
            modules: {
              'text2vec-openai': {
                documentationHref: 'https://platform.openai.com/docs/guides/embeddings/what-are-embeddings',
                name: 'OpenAI Module',
              },
              'generative-openai': {
                documentationHref: 'https://platform.openai.com/docs/api-reference/completions',
                name: 'Generative Search - OpenAI',
              },
            },
            version: '1.33.2',
          },
          source: 'https://docs.weaviate.io/weaviate/api/rest#tag/meta/get/meta (Weaviate 1.33)',
        },
        {
          method: 'GET',
          path: '/v1/schema',
          status: 200,
          headers: json,
          body: {
            classes: [
              {
                class: 'Article',
                properties: [
                  { name: 'title', dataType: ['text'] },
                  { name: 'body', dataType: ['text'] },
                ],
                vectorizer: 'text2vec-openai',
                vectorIndexType: 'hnsw',
                multiTenancyConfig: { enabled: false },
              },
              {
                class: 'Ticket',
                properties: [
                  { name: 'customer', dataType: ['text'] },
                  { name: 'text', dataType: ['text'] },
                ],
                vectorizer: 'text2vec-openai',
                vectorIndexType: 'hnsw',
                multiTenancyConfig: { enabled: false },
              },
            ],
          },
          source: 'https://docs.weaviate.io/weaviate/api/rest#tag/schema/get/schema (Weaviate 1.33)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: '/v1/meta', ...anon },
        { method: 'GET', path: '/v1/schema', ...anon },
      ],
    },
  },
});
