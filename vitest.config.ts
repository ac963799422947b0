import { defineConfig } from 'vitest/config';

// Tests by level, one folder each, as vitest projects (`npx vitest run --project unit`); the folders below a level
// keep the names of the code they test (test/unit/report, test/integration/probes, …). Shared helpers: test/support.
// unit: in-process, no sockets and no other programs (parsers, rules, renderers, generators, fuzzed with fast-check).
// integration: sockets on loopback to real servers (test/support/servers) or replayed ones, and real programs
//   (validators, a browser, a child process running the engine).
// e2e: the CLI end to end (argv in, report out: in-process through test/support/cli.ts or the built bin as a
//   process), the packed tarball, the GitHub action.
const levels = ['unit', 'integration', 'e2e'] as const;

// Timeouts guard against hangs; they are not speed assertions (speed is `npm run bench`). A loaded runner (load
// average 20 on 2 cores, as measured beside stress-ng and parallel installs) made a 9 s first import of the
// registry take 38 s: the bound is generous on purpose.
const shared = { testTimeout: 120_000, hookTimeout: 300_000 };

export default defineConfig({
  test: {
    // Real servers: two cores, so keep the worker count modest.
    maxWorkers: 3,
    projects: levels.map((name) => ({ test: { ...shared, name, include: [`test/${name}/**/*.test.ts`] } })),
  },
});
