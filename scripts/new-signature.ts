// npm run new:signature <id> : writes signatures/<id>.ts and signatures/<id>.replies.ts (a valid skeleton with TODOs:
// the replies test fails until they hold the product's real markers and sourced replies), then runs `npm run gen`.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGen } from './gen.js';

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function signatureSkeleton(id: string): string {
  return `import { compact, defineSignature, str } from '../src/http-catalog/signature.js';

// TODO: what the product is, which request proves access without credentials, and where each fact comes from.
export default defineSignature({
  id: '${id}',
  product: 'TODO product name',
  category: 'admin / monitoring',
  neverSends: 'TODO: the product routes that write, run code or read user data',
  defaultPorts: [65535],
  requests: [{ id: 'status', method: 'GET', path: '/TODO' }],
  positive: [{ on: 'status', status: [200], json: ['TODO'], shows: 'TODO: what an anonymous reader sees' }],
  auth: [{ on: 'status', status: [401], shows: 'TODO: 401 from the product' }],
  severity: 'high',
  exposure: 'TODO: what anyone can do with the exposed endpoint',
  remediation: 'TODO: enable authentication and bind to a private interface.',
  references: ['https://TODO.example/docs'],
  extract(r) {
    return compact({ version: str(r.status?.json(), 'version') });
  },
});
`;
}

export function repliesSkeleton(id: string): string {
  return `import { defineReplies } from '../src/http-catalog/replies.js';

// TODO: replies from the product's documentation, source or a recording of a real server; each cites its source.
const source = 'TODO: https://… (product version)';

export default defineReplies({
  signature: '${id}',
  cases: {
    exposed: { expect: 'exposed', replies: [{ path: '/TODO', status: 200, body: { TODO: true }, source }] },
    secured: { expect: 'auth-required', replies: [{ path: '/TODO', status: 401, body: { error: 'unauthorized' }, source }] },
  },
});
`;
}

async function main(): Promise<void> {
  const id = process.argv[2] ?? '';
  if (!idPattern.test(id)) throw new Error('usage: npm run new:signature <id>   (kebab-case, e.g. my-product)');
  const root = process.cwd();
  const files: Array<[string, string]> = [
    [path.join(root, 'signatures', `${id}.ts`), signatureSkeleton(id)],
    [path.join(root, 'signatures', `${id}.replies.ts`), repliesSkeleton(id)],
  ];
  for (const [file] of files) if (existsSync(file)) throw new Error(`${path.relative(root, file)} exists already`);
  for (const [file, text] of files) writeFileSync(file, text);
  const changed = await runGen(root, false);
  console.log(`wrote signatures/${id}.ts and signatures/${id}.replies.ts; regenerated ${changed.join(', ') || 'nothing'}`);
  console.log(`next: fill in the TODOs, then npx vitest run test/unit/http-catalog test/integration/http-catalog`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
