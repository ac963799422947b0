# Sourced by the install scripts. apt_install_missing LABEL PKG...: installs the Debian packages that are not
# installed yet, and nothing when all are. Package maintainer scripts must not start services (nginx, apache2,
# prometheus and others default to 0.0.0.0): a policy-rc.d guard is in place during the install.
apt_install_missing() {
  local label=$1; shift
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "$label: all $# packages present"; return 0; fi
  if [ "$(id -u)" -ne 0 ]; then echo "$label: need root to apt-get install ${missing[*]}" >&2; return 1; fi
  # One apt at a time on this machine (parallel install scripts would fight over dpkg's lock and policy-rc.d).
  exec 9>/tmp/exposure-audit-apt.lock
  flock -w 600 9 || { echo "$label: another install holds /tmp/exposure-audit-apt.lock" >&2; return 1; }
  local created_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created_policy=1
  fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } || rc=$?
  [ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] && echo "$label: installed ${missing[*]}"
  return $rc
}
