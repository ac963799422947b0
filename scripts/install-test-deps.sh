#!/usr/bin/env bash
# Installs the real servers the test suite and the demo start on loopback (Debian 12 packages), without starting them.
set -euo pipefail
. "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing "test servers" clickhouse-server clickhouse-client redis-server redis-tools memcached \
  etcd-server etcd-client prometheus nginx apache2 apache2-utils \
  influxdb influxdb-client zookeeper \
  postgresql-15 mariadb-server \
  mosquitto docker-registry

# npm-only test servers (Node 20), each in its own prefix under the repository's gitignored .test-tools/ folder, at
# versions that still run on Node 20 (node-red 5 and verdaccio 6 need Node 22). Skipped when already installed.
REPO=$(cd "$(dirname "$0")/.." && pwd)
npm_tool() {
  local name=$1 spec=$2 bin=$3
  if [ -x "$REPO/.test-tools/$name/node_modules/.bin/$bin" ]; then echo "test tools: $name present"; return 0; fi
  npm install --prefix "$REPO/.test-tools/$name" --no-audit --no-fund --loglevel=error "$spec" >/dev/null
  echo "test tools: installed $spec"
}
npm_tool node-red node-red@4.1 node-red
npm_tool verdaccio verdaccio@5.33 verdaccio
npm_tool pouchdb-server pouchdb-server@4.2 pouchdb-server
