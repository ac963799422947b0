#!/usr/bin/env bash
# Installs what `npm run bench` compares against: Debian `nmap` (the peer), plus the Redis and ClickHouse servers
# the bench starts on loopback, and `nftables` (the real-network part drops SYNs inside its own `unshare -n` namespace).
set -euo pipefail
. "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing "bench deps" nmap nftables redis-server clickhouse-server
