import { defineReplies } from '../src/http-catalog/replies.js';

const source =
  'Portainer source (api/http/handler/users/admin_check.go: 404 "No administrator account found inside the database") and API docs (401 without a JWT)';

export default defineReplies({
  signature: 'portainer',
  cases: {
    exposed: {
      expect: 'exposed',
      version: '2.19.4',
      replies: [
        {
          path: '/api/status',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { Version: '2.19.4', InstanceID: '6a1f7c2e-1b2d-4c3e-9f00-0a1b2c3d4e5f' },
          source,
        },
        {
          path: '/api/users/admin/check',
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: {
            message: 'No administrator account found inside the database',
            details: 'Object not found inside the database',
          },
          source,
        },
        {
          path: '/api/endpoints',
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: { message: 'Unauthorized', details: 'A valid authorisation token is missing' },
          source,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          path: '/api/status',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { Version: '2.19.4', InstanceID: '6a1f7c2e-1b2d-4c3e-9f00-0a1b2c3d4e5f' },
          source,
        },
        {
          path: '/api/users/admin/check',
          status: 204,
          source,
        },
        {
          path: '/api/endpoints',
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: { message: 'Unauthorized', details: 'A valid authorisation token is missing' },
          source,
        },
      ],
    },
  },
});
