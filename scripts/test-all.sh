#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine (apt servers, npm packages), then runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npm ci --no-audit --no-fund
# After npm ci: it makes the SARIF validator shipped in node_modules executable and installs Chromium.
bash scripts/install-report-tools.sh
npm run typecheck
# The shipped build (dist/): the process-level CLI tests run it; npm ci no longer builds (no install-time scripts).
npm run build
npm run lint
mkdir -p test-output
status=0
npx vitest run --reporter=default --reporter=json --outputFile=test-output/vitest.json || status=$?
# One plain closing line for CI readers: "tests: N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-output/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit $status
