import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json; charset=utf-8' };

export default defineReplies({
  signature: 'milvus',
  cases: {
    exposed: {
      expect: 'exposed',
      data: { items: 3 },
      replies: [
        {
          path: '/v1/vector/collections',
          status: 200,
          headers: json,
          body: { code: 200, data: ['product_docs', 'chat_memory', 'faces'] },
          source: 'https://milvus.io/api-reference/restful/v2.4.x/v1/Collection%20(v1)/List.md (Milvus 2.4: RESTful v1 beside v2 on 19530)',
        },
        {
          method: 'POST',
          path: '/v2/vectordb/collections/list',
          status: 200,
          headers: json,
          body: { code: 0, data: ['product_docs', 'chat_memory', 'faces'] },
          source: 'https://milvus.io/api-reference/restful/v2.5.x/v2/Collection%20(v2)/List.md (Milvus 2.5)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/v1/vector/collections',
          status: 200,
          headers: json,
          body: { code: 1800, message: "user hasn't authenticated" },
          source: 'internal/distributed/proxy/httpserver v1 handler (Milvus 2.4, authorizationEnabled: true; HTTP 200 with merr code 1800)',
        },
        {
          method: 'POST',
          path: '/v2/vectordb/collections/list',
          status: 401,
          headers: json,
          body: { code: 1800, message: "user hasn't authenticated" },
          source: 'internal/distributed/proxy/httpserver (Milvus 2.5, authorizationEnabled: true; merr ErrNeedAuthenticate = 1800)',
        },
      ],
    },
  },
});
