import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json; charset=utf-8' };
const flow = (id: string, name: string) => ({
  id,
  name,
  flowData:
    '{"nodes":[{"id":"chatOpenAI_0","data":{"name":"chatOpenAI","credential":"3b1c9f2e-7d4a-4e0b-9a61-2f5c8d7e6b10"}},{"id":"customFunction_0","data":{"name":"customFunction","inputs":{"javascriptFunction":"return $input"}}}],"edges":[]}',
  deployed: false,
  isPublic: false,
  apikeyid: null,
  chatbotConfig: null,
  apiConfig: null,
  analytic: null,
  speechToText: null,
  category: null,
  type: 'CHATFLOW',
  createdDate: '2026-10-01T08:00:00.000Z',
  updatedDate: '2026-11-20T16:30:00.000Z',
});

export default defineReplies({
  signature: 'flowise',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.2.8',
      data: { items: 2 },
      replies: [
        {
          method: 'GET',
          path: '/api/v1/version',
          status: 200,
          headers: json,
          body: { version: '2.2.8' },
          source: 'packages/server/src/controllers/versions (Flowise 2.2)',
        },
        {
          method: 'GET',
          path: '/api/v1/chatflows',
          status: 200,
          headers: json,
          body: [
            flow('6f0e7a1c-2b3d-4c5e-8f90-a1b2c3d4e5f6', 'Support RAG'),
            flow('9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', 'Invoice agent'),
          ],
          source: 'https://docs.flowiseai.com/api-reference/chatflows#list-all-chatflows (Flowise 2.2 without FLOWISE_USERNAME)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        {
          method: 'GET',
          path: '/api/v1/version',
          status: 200,
          headers: json,
          body: { version: '3.0.12' },
          source: 'packages/server/src/utils/constants.ts WHITELIST_URLS includes /api/v1/version (Flowise 3.0)',
        },
        {
          method: 'GET',
          path: '/api/v1/chatflows',
          status: 401,
          headers: json,
          body: { error: 'Unauthorized Access' },
          source: "packages/server/src/index.ts /api/v1 guard (Flowise 3.0): res.status(401).json({ error: 'Unauthorized Access' })",
        },
      ],
    },
  },
});
