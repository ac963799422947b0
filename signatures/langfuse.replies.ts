import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };

export default defineReplies({
  signature: 'langfuse',
  cases: {
    // Langfuse has no open state of its own: the health route identifies it and is never a finding alone.
    exposed: {
      expect: 'not-detected',
      replies: [
        {
          method: 'GET',
          path: '/api/public/health',
          status: 200,
          headers: json,
          body: { status: 'OK', version: '3.124.1' },
          source:
            'https://api.reference.langfuse.com/#get-/api/public/health (Langfuse 3.124, behind a proxy that forwards only the health route)',
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/api/public/health',
          status: 200,
          headers: json,
          body: { status: 'OK', version: '3.124.1' },
          source: 'https://api.reference.langfuse.com/#get-/api/public/health (Langfuse 3.124)',
        },
        {
          method: 'GET',
          path: '/api/public/projects',
          status: 401,
          headers: json,
          body: { message: 'No authorization header' },
          source: 'web/src/features/public-api/server/apiAuth.ts (Langfuse 3.124, no Basic key pair; message text n/v)',
        },
      ],
    },
  },
});
