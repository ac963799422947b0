import { defineConfig } from 'vitest/config';

// Tests by level, as vitest projects (`npx vitest run --project unit`):
// unit: no sockets; integration: real or replayed servers on 127.0.0.x; e2e: the CLI end to end.
const unit = [
  'test/classify/**/*.test.ts',
  'test/inventory/**/*.test.ts',
  'test/protocols/**/*.test.ts',
  'test/risk/secret-patterns.test.ts',
  'test/risk/sensitive-names.test.ts',
  'test/risk/data-classes.test.ts',
  'test/risk/data-age.test.ts',
  'test/registry.test.ts',
  'test/report/markdown.test.ts',
  'test/report/junit.test.ts',
  'test/report/sarif.test.ts',
  'test/report/continuous.test.ts',
  'test/report/progress.test.ts',
  'test/report/fleet.test.ts',
  'test/report/fleet-table.test.ts',
  'test/http-catalog/doc.test.ts',
  'test/domain/**/*.test.ts',
  'test/report/status-agreement.test.ts',
];
const e2e = [
  'test/cli/**/*.test.ts',
  'test/continuous/**/*.test.ts',
  'test/report/cli-output.test.ts',
  'test/report/streaming.test.ts',
  'test/scripts/**/*.test.ts',
];

// Timeouts guard against hangs; they are not speed assertions (speed is `npm run bench`). A loaded runner (load
// average 20 on 2 cores, as measured beside stress-ng and parallel installs) made a 9 s first import of the
// registry take 38 s: the bound is generous on purpose.
const shared = { testTimeout: 120_000, hookTimeout: 300_000 };

export default defineConfig({
  test: {
    // Real servers: two cores, so keep the worker count modest.
    maxWorkers: 3,
    projects: [
      { test: { ...shared, name: 'unit', include: unit } },
      // Everything else under test/ (probes, catalog, net, engine, hostile, fuzz, readonly, breach replay, HTML in a browser).
      { test: { ...shared, name: 'integration', include: ['test/**/*.test.ts'], exclude: [...unit, ...e2e, '**/node_modules/**'] } },
      { test: { ...shared, name: 'e2e', include: e2e } },
    ],
  },
});
