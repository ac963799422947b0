#!/usr/bin/env bash
# Installs the real servers the test suite and the demo start on loopback (Debian 12 packages; MCP servers from npm
# into .test-tools/), without starting them.
set -euo pipefail
. "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing "test servers" clickhouse-server clickhouse-client redis-server redis-tools memcached \
  etcd-server etcd-client prometheus nginx apache2 apache2-utils \
  influxdb influxdb-client zookeeper \
  postgresql-15 mariadb-server \
  mosquitto docker-registry

# npm-only test servers (Node 20): MCP servers for test/integration/probes/mcp.test.ts (test/support/servers/mcp.ts starts them on loopback),
# Node-RED, Verdaccio and PouchDB Server for test/integration/probes/longtail-real.test.ts (test/support/servers/longtail-recipes.ts):
# into .test-tools/ in the repository (gitignored), never into the project's own node_modules. Pinned versions;
# Inspector 0.14.0 is the last release before its proxy gained a session token (CVE-2025-49596), and ships beside it
# @modelcontextprotocol/inspector-server 0.14.x with the token. Later Inspector releases need Node >= 22.7.5.
npm_install_missing() {
  local label=$1 dir=$2; shift 2
  local missing=() spec name
  for spec in "$@"; do
    name=${spec%@*}
    [ -f "$dir/node_modules/$name/package.json" ] || missing+=("$spec")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "$label: all $# packages present"; return 0; fi
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$@" >/dev/null
  echo "$label: installed ${missing[*]}"
}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# Long-tail servers at versions that still run on Node 20 (node-red 5 and verdaccio 6 need Node 22).
npm_install_missing "Node-RED" "$ROOT/.test-tools/node-red" node-red@4.1
npm_install_missing "Verdaccio" "$ROOT/.test-tools/verdaccio" verdaccio@5.33
npm_install_missing "PouchDB Server" "$ROOT/.test-tools/pouchdb-server" pouchdb-server@4.2
npm_install_missing "MCP test servers" "$ROOT/.test-tools/mcp" \
  @modelcontextprotocol/server-everything@2026.8.31 @modelcontextprotocol/server-filesystem@2026.8.31 \
  supergateway@4.0.0 @modelcontextprotocol/sdk@1.32.2
npm_install_missing "MCP Inspector (pre-fix)" "$ROOT/.test-tools/mcp-inspector" @modelcontextprotocol/inspector@0.14.0
