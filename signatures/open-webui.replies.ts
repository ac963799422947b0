import { defineReplies } from '../src/http-catalog/replies.js';

const json = { 'content-type': 'application/json' };
const src = 'backend/open_webui/main.py get_app_config (Open WebUI 0.6.36), unauthenticated caller';
const config = (auth: boolean, signup: boolean, onboarding?: boolean) => ({
  ...(onboarding ? { onboarding: true } : {}),
  status: true,
  name: 'Open WebUI',
  version: '0.6.36',
  default_locale: '',
  oauth: { providers: {} },
  features: {
    auth,
    auth_trusted_header: false,
    enable_signup_password_confirmation: false,
    enable_ldap: false,
    enable_api_key: true,
    enable_signup: signup,
    enable_login_form: true,
    enable_websocket: true,
    enable_version_update_check: true,
  },
});

export default defineReplies({
  signature: 'open-webui',
  landing: {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n<title>Open WebUI</title>\n</head>\n<body><div id="app"></div></body>\n</html>',
    source: 'open-webui src/app.html (the SvelteKit index served for / by the FastAPI backend, v0.6)',
  },
  cases: {
    exposed: {
      expect: 'exposed',
      version: '0.6.36',
      replies: [
        { method: 'GET', path: '/api/config', status: 200, headers: json, body: config(false, false), source: `${src}, WEBUI_AUTH=False` },
      ],
    },
    unclaimed: {
      expect: 'exposed',
      unclaimed: true,
      replies: [
        {
          method: 'GET',
          path: '/api/config',
          status: 200,
          headers: json,
          body: config(true, true, true),
          source: `${src}, empty user table`,
        },
      ],
    },
    secured: {
      expect: 'auth-required',
      replies: [
        {
          method: 'GET',
          path: '/api/config',
          status: 200,
          headers: json,
          body: config(true, false),
          source: `${src}, admin exists, ENABLE_SIGNUP=false`,
        },
      ],
    },
    leaking: {
      expect: 'auth-required',
      leaks: 1,
      replies: [
        {
          method: 'GET',
          path: '/api/config',
          status: 200,
          headers: json,
          body: config(true, true),
          source: `${src}, admin exists, ENABLE_SIGNUP=true`,
        },
      ],
    },
  },
});
