#!/usr/bin/env bash
# Installs the real servers the test suite and the demo start on loopback (Debian 12 packages), without starting them.
set -euo pipefail
. "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing "test servers" clickhouse-server clickhouse-client redis-server redis-tools memcached \
  etcd-server etcd-client prometheus nginx apache2 apache2-utils \
  influxdb influxdb-client zookeeper \
  postgresql-15 mariadb-server
