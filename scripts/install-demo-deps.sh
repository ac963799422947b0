#!/usr/bin/env bash
# Installs only the servers `npm run demo` starts on loopback (scripts/demo.ts: ClickHouse and Redis), without
# starting them. The test suite's wider list is scripts/install-test-deps.sh.
set -euo pipefail
. "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing "demo servers" clickhouse-server redis-server
