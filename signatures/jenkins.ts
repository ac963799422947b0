import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'jenkins',
  product: 'Jenkins',
  defaultPorts: [8080],
  requests: [
    { id: 'api', method: 'GET', path: '/api/json?tree=mode,useSecurity,jobs[name]' },
    // The script console PAGE only (a form): detection by GET; the console is never POSTed to.
    { id: 'script-page', method: 'GET', path: '/script' },
  ],
  positive: [
    {
      on: 'script-page',
      status: [200],
      headers: { 'x-jenkins': true },
      body: [/Script Console/i, /<textarea[^>]*name=["']?script/i],
      shows:
        'the Groovy script console page answers without login: arbitrary code execution on the controller (page detected, never submitted)',
      severity: 'critical',
    },
    {
      on: 'api',
      status: [200],
      contentType: /json/i,
      headers: { 'x-jenkins': true },
      json: [{ path: '_class', match: /^hudson\.model\.Hudson$|jenkins\.model\.Jenkins/ }],
      shows: 'the remote API as anonymous: job names, builds, nodes and configuration readable',
      severity: 'high',
    },
  ],
  auth: [
    {
      status: [401, 403],
      headers: { 'x-jenkins': true },
      shows: '401/403 with X-Jenkins (X-You-Are-Authenticated-As: anonymous)',
      identifies: true,
    },
    {
      status: [302, 303],
      redirect: /\/(login|securityRealm\/commenceLogin)/,
      headers: { 'x-jenkins': true },
      shows: 'redirect to /login',
      identifies: true,
    },
  ],
  // Jenkins answers every page, its 403 and 404 included, with X-Jenkins / X-Hudson headers.
  identify: { landing: [{ headers: { 'x-jenkins': true } }, { headers: { 'x-hudson': true } }, { bodyAny: [/jenkins/i] }] },
  severity: 'high',
  exposure: 'anonymous read of jobs, builds and logs (often with secrets); an open script console is code execution on the controller',
  remediation:
    'Enable security: a security realm plus an authorization strategy that gives Anonymous no Overall/Read (Matrix or Role-based); never grant Overall/Administer to anonymous or "Anyone can do anything".',
  references: [
    'https://www.jenkins.io/doc/book/security/managing-security/',
    'https://www.jenkins.io/doc/book/using/remote-access-api/',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/exposed-panels/jenkins-api-panel.yaml',
  ],
  extract(r) {
    const any = r.api ?? r['script-page'];
    const body = r.api?.json();
    const jobs = body && typeof body === 'object' ? (body as { jobs?: unknown }).jobs : undefined;
    return compact({
      version: any?.headers['x-jenkins']?.slice(0, 40),
      mode: str(body, 'mode'),
      useSecurity: str(body, 'useSecurity'),
      jobs: Array.isArray(jobs) ? jobs.length : undefined,
      authenticatedAs: any?.headers['x-you-are-authenticated-as']?.slice(0, 60),
    });
  },
  summarize(reply) {
    if (reply.requestId === 'script-page')
      return `${reply.status} X-Jenkins: ${reply.headers['x-jenkins'] ?? '?'}; Script Console page with a script form`;
    const body = reply.json();
    return `${reply.status} X-Jenkins: ${reply.headers['x-jenkins'] ?? '?'}; _class=${str(body, '_class') ?? '?'} useSecurity=${str(body, 'useSecurity') ?? '?'}`;
  },
});
