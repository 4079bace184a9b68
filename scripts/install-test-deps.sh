#!/usr/bin/env bash
# Installs what the test suite needs on Debian, once: only missing packages are installed.
#   PostgreSQL (store tests), espeak-ng and pocketsphinx (offline voice stack; the espeak-ng command also speaks the audio fixtures), Node.js + s3rver (object storage tests),
#   Chromium (the dashboard tests drive it through Playwright, the widget test over the DevTools protocol; nothing downloads a browser),
#   sipp (sip-tester) and baresip (SIP tests).
set -euo pipefail
cd "$(dirname "$0")/.."
# The offline voice list lives in one place (the README's first command installs it too).
read -r -a voice <<< "$(scripts/install-voice.sh --list)"
# espeak-ng (the command) makes the audio fixtures.
packages=(postgresql "${voice[@]}" espeak-ng chromium sip-tester baresip)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >/dev/null
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts a cluster of its own; the tests run their own server, so stop it.
  $sudo service postgresql stop >/dev/null 2>&1 || true
fi
if [ -f tests/tools/package-lock.json ] && [ ! -d tests/tools/node_modules/s3rver ]; then
  echo "==> Installing test tools (npm ci)"
  npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error >/dev/null
fi
