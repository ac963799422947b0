import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const path = '/api/v1/flows/?remove_example_flows=true&header_flows=true&get_all=true';
const header = (id: string, name: string) => ({
  id,
  name,
  folder_id: '0b7a1d2c-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  is_component: false,
  endpoint_name: null,
  description: 'RAG over the wiki',
  data: null,
  access_type: 'PRIVATE',
  tags: [],
  mcp_enabled: false,
  icon: null,
  icon_bg_color: null,
  gradient: null,
});

export default defineReplies({
  signature: 'langflow',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '1.4.2',
      data: { items: 2 },
      replies: [
        {
          method: 'GET',
          path: '/api/v1/version',
          status: 200,
          headers: json,
          body: { version: '1.4.2', main_version: '1.4.2', package: 'Langflow' },
          source: 'src/backend/base/langflow/api/v1/endpoints.py get_version (Langflow 1.4)',
        },
        {
          method: 'GET',
          path,
          status: 200,
          headers: json,
          body: [
            header('3c2b1a09-8f7e-4d6c-b5a4-938271605f4e', 'Wiki RAG'),
            header('7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910', 'Ticket triage'),
          ],
          source: 'https://docs.langflow.org/api-flows (Langflow 1.4 read flows, header_flows=true; AUTO_LOGIN default)',
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
          body: { version: '1.6.4', main_version: '1.6.4', package: 'Langflow' },
          source: 'get_version (Langflow 1.6): public route',
        },
        {
          method: 'GET',
          path,
          status: 403,
          headers: json,
          body: { detail: 'An API key must be passed as query or header' },
          source: 'src/backend/base/langflow/services/auth/utils.py api_key_security (Langflow 1.6, auto-login needs an API key since 1.5)',
        },
      ],
    },
  },
});
