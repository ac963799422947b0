import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json; charset=utf-8' };
const settings = (setup: boolean) => ({
  status: 200,
  headers: json,
  body: {
    data: {
      settingsMode: 'public',
      defaultLocale: 'en',
      userManagement: { authenticationMethod: 'email', showSetupOnFirstLoad: setup, smtpSetup: false, passwordMinLength: 8 },
      sso: {
        saml: { loginEnabled: false },
        ldap: { loginEnabled: false, loginLabel: '' },
        oidc: {
          loginEnabled: false,
          loginUrl: 'http://localhost:5678/rest/sso/oidc/login',
          callbackUrl: 'http://localhost:5678/rest/sso/oidc/callback',
        },
      },
      mfa: { enabled: false },
      authCookie: { secure: true },
      previewMode: false,
    },
  },
  source: 'packages/cli/src/services/frontend.service.ts getPublicSettings (n8n 1.119, settingsMode "public" before login)',
});
const unauthorized = {
  status: 401,
  headers: json,
  body: { status: 'error', message: 'Unauthorized' },
  source: 'packages/cli/src/auth/auth.service.ts authMiddleware (n8n 1.119)',
};

export default defineReplies({
  signature: 'n8n',
  cases: {
    unclaimed: {
      expect: 'exposed',
      unclaimed: true,
      replies: [
        { method: 'GET', path: '/rest/settings', ...settings(true) },
        { method: 'GET', path: '/rest/workflows', ...unauthorized },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        { method: 'GET', path: '/rest/settings', ...settings(false) },
        { method: 'GET', path: '/rest/workflows', ...unauthorized },
      ],
    },
    exposed: {
      expect: 'exposed',
      data: { items: 1 },
      replies: [
        {
          method: 'GET',
          path: '/rest/workflows',
          status: 200,
          headers: json,
          body: {
            data: [
              {
                id: '1',
                name: 'Sync CRM to sheet',
                active: true,
                createdAt: '2023-05-02T10:00:00.000Z',
                updatedAt: '2023-06-01T09:00:00.000Z',
                tags: [],
              },
            ],
          },
          source:
            'n8n 0.236 without N8N_BASIC_AUTH_ACTIVE and without an owner (user management skipped): REST API open; https://docs.n8n.io/1-0-migration-checklist/',
        },
      ],
    },
  },
});
