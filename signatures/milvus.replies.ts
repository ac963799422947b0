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
