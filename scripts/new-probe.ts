/**
 * `npm run new:probe <id>`: scaffolds a TCP probe as its two files — probes/<id>.ts (meta, sends, the conversation)
 * and probes/<id>.replies.ts (recorded exchanges per server state) — and regenerates probes/index.ts. The replies
 * start empty on purpose: test/integration/probes/probe-tester.test.ts fails, naming each case, until real bytes with their
 * source are written. Refuses to overwrite an existing file.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeFiles, registrySource } from './gen-registry.js';

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function probeSource(id: string): string {
  return `import { always, defineProbe, type ProbeResult } from '../src/probe.js';

/**
 * ${id}: what the product is, how an unauthenticated session is told from one that asks for credentials, and the
 * source of every protocol fact (the product's docs or source file, with its version).
 */
export default defineProbe({
  meta: {
    id: '${id}',
    service: '${id}',
    title: '${id} without authentication',
    description: 'TODO: the request, and which replies mean exposed, auth-required and denied.',
    defaultPorts: [/* TODO: the product's default port */ 1],
    transport: 'tcp',
    tls: 'never',
    // Every request, as the engine records it (src/probe.ts Send): read-only by construction.
    sends: always('TODO'),
    exposure: 'TODO: what anyone who reaches the port can do',
    remediation: 'TODO: the setting that turns authentication on, and firewall the port.',
    references: [],
  },
  async run(_target, ctx): Promise<ProbeResult> {
    // The engine closes the session and reads a first reply that is not this protocol as not-detected.
    const session = await ctx.tcp();
    await session.write('TODO\\r\\n');
    const reply = (await session.read((b) => (b.includes('\\n') ? b.indexOf('\\n') + 1 : undefined))).toString('utf8').trim();
    // TODO: decide from the reply; busy/overloaded/starting replies are busyResult(...) (EA_BUSY), never not-detected.
    return { status: 'not-detected', evidence: { proof: 'TODO', reply }, facts: {} };
  },
});
`;
}

export function repliesSource(id: string): string {
  return `import { lineRequests, type ProbeReplies } from '../src/probe-replies.js';

/** ${id} server states as bytes. Each case cites its source: the product's docs or source, or "recorded from … here". */
export default {
  probe: '${id}',
  frameRequest: lineRequests,
  // TODO: the start of a reply that keeps the parser waiting (a huge announced length), for the hostile suite:
  // endless: { prefix: '…', source: '…' },
  cases: {
    // TODO: write the bytes of each state; test/integration/probes/probe-tester.test.ts fails until every case has exchanges.
    // expect may also name what the observation shows: evidence, facts, data (subsets) and the requests received.
    open: { state: 'exposed', source: '', exchanges: [], expect: { status: 'exposed' } },
    'password-required': { state: 'secured', source: '', exchanges: [], expect: { status: 'auth-required' } },
  },
} satisfies ProbeReplies;
`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const id = process.argv[2] ?? '';
  if (!idPattern.test(id)) {
    console.error('usage: npm run new:probe <id>   (kebab-case, e.g. npm run new:probe couchdb)');
    process.exit(2);
  }
  const dir = path.resolve('probes');
  const files = { [`${id}.ts`]: probeSource(id), [`${id}.replies.ts`]: repliesSource(id) };
  for (const f of Object.keys(files))
    if (existsSync(path.join(dir, f))) {
      console.error(`probes/${f} exists already: nothing written`);
      process.exit(1);
    }
  for (const [f, text] of Object.entries(files)) {
    writeFileSync(path.join(dir, f), text);
    console.log(`wrote probes/${f}`);
  }
  writeFileSync(path.join(dir, 'index.ts'), registrySource(probeFiles(dir)));
  console.log('wrote probes/index.ts');
  console.log(`next: fill both files, then npx vitest run test/integration/probes/probe-tester.test.ts -t ${id}`);
}
