import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const features = {
  status: 200,
  headers: json,
  body: {
    sso_enforced_for_signin: false,
    sso_enforced_for_signin_protocol: '',
    enable_marketplace: true,
    max_plugin_package_size: 52428800,
    enable_email_code_login: false,
    enable_email_password_login: true,
    enable_social_oauth_login: false,
    is_allow_register: false,
    is_allow_create_workspace: false,
    is_email_setup: false,
    license: { status: 'none', expired_at: '' },
    branding: { enabled: false },
    webapp_auth: { enabled: false },
  },
  source: 'api/services/feature_service.py SystemFeatureModel via GET /console/api/system-features (Dify 1.9)',
};

export default defineReplies({
  signature: 'dify',
  cases: {
    // Dify has no open state of its own: its exposure is the unclaimed setup.
    exposed: {
      expect: 'exposed',
      unclaimed: true,
      replies: [
        {
          method: 'GET',
          path: '/console/api/setup',
          status: 200,
          headers: json,
          body: { step: 'not_started' },
          source: 'api/controllers/console/setup.py SetupApi.get (Dify 1.9, no admin yet)',
        },
        { method: 'GET', path: '/console/api/system-features', ...features },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/console/api/setup',
          status: 200,
          headers: json,
          body: { step: 'finished', setup_at: '2026-09-14T08:21:37' },
          source: 'api/controllers/console/setup.py SetupApi.get (Dify 1.9, admin created)',
        },
        { method: 'GET', path: '/console/api/system-features', ...features },
      ],
    },
  },
});
