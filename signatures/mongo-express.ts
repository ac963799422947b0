import { compact, defineSignature } from '../src/http-catalog/signature.js';

/** Database names linked from the home page (`/db/<name>/`), from a bounded slice of the page. */
function databaseLinks(html: string): Set<string> {
  return new Set(Array.from(html.slice(0, 64 * 1024).matchAll(/href="[^"]{0,80}\/db\/([^"/]{1,120})\/"/g), (m) => m[1]!));
}

/**
 * mongo-express (8081), MongoDB's web admin. `GET /` renders "Mongo Express" with links to every database
 * (`/db/<name>/`). Current releases ship HTTP basic auth (ME_CONFIG_BASICAUTH); its well-known default password is
 * never tried. Versions below 1.0.0 allow code execution (CVE-2019-10758, CVE-2020-24391).
 */
export default defineSignature({
  id: 'mongo-express',
  product: 'mongo-express',
  category: 'store admin UI',
  neverSends:
    'POST /checkValid (CVE-2019-10758), document, collection and database writes or deletes, exports, imports, the default basic-auth password',
  defaultPorts: [8081],
  requests: [{ id: 'home', method: 'GET', path: '/' }],
  positive: [
    {
      on: 'home',
      status: [200],
      contentType: /html/i,
      body: [/<title>[^<]{0,80}Mongo Express<\/title>/i, /href="[^"]{0,80}\/db\/[^"/]{1,120}\/"/],
      shows: 'the database list of the MongoDB server behind it, without credentials: every document is readable and writable',
    },
  ],
  auth: [
    { on: 'home', status: [401], headers: { 'www-authenticate': /Basic/i }, shows: '401 WWW-Authenticate: Basic (ME_CONFIG_BASICAUTH)' },
  ],
  advisories: [
    {
      id: 'CVE-2019-10758',
      summary: 'code execution through endpoints that evaluate documents with toBSON (POST /checkValid)',
      fixedIn: '0.54.0',
    },
    { id: 'CVE-2020-24391', summary: 'code execution by escaping the safer-eval sandbox', fixedIn: '1.0.0' },
  ],
  severity: 'critical',
  exposure:
    'anyone can read, change and delete every document of every database on the MongoDB server it connects to (code execution before 1.0.0)',
  remediation:
    'Enable basic auth with a non-default password (ME_CONFIG_BASICAUTH_USERNAME/PASSWORD), upgrade to 1.0 or later, and keep mongo-express off public interfaces (it is a development tool).',
  references: [
    'https://github.com/mongo-express/mongo-express#readme',
    'https://github.com/projectdiscovery/nuclei-templates/blob/main/http/exposed-panels/mongo-express-web-gui.yaml',
    'https://securitylab.github.com/advisories/GHSL-2020-131-mongo-express/',
  ],
  extract(r) {
    return compact({ databases: r.home?.status === 200 ? databaseLinks(r.home.text).size || undefined : undefined });
  },
  summarize(reply) {
    if (reply.requestId !== 'home' || reply.status !== 200) return undefined;
    return `${reply.status} Mongo Express home with ${databaseLinks(reply.text).size} database links`;
  },
});
