#!/usr/bin/env bash
# Installs what the test suite needs on Debian, once: only missing packages are installed.
set -euo pipefail
packages=(postgresql)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing ${missing[*]} (apt)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >/dev/null
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts a cluster of its own; the tests run their own server, so stop it.
  $sudo service postgresql stop >/dev/null 2>&1 || true
fi
