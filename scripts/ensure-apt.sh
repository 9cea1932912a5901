#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when missing (idempotent; ~1 s when all are present):
# librdkafka-dev + gcc + pkg-config for the Kafka-protocol test peer, postgresql for a real PostgreSQL 15,
# chromium for the browser tests of the web console, prometheus for promtool (alert rules checked and unit-tested;
# ~7 s, 19 MB; its postinst does not start a server where no init system runs).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
pkgs=(librdkafka-dev gcc libc6-dev pkg-config postgresql chromium prometheus "$@")
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
(( ${#missing[@]} == 0 )) && exit 0
SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
echo "installing Debian packages: ${missing[*]}" >&2
[[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]] || $SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
