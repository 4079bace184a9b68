#!/usr/bin/env bash
# Installs the offline voice the embedded Vox uses when a bot has no cloud provider keys: espeak-ng (the bot's voice)
# and pocketsphinx with its US English model (its ears). Only missing packages are installed; asks for sudo when not root.
#   scripts/install-voice.sh          install what is missing
#   scripts/install-voice.sh --list   print the Debian package names
set -euo pipefail
packages=(libespeak-ng1 espeak-ng-data libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us)
if [ "${1:-}" = "--list" ]; then
  echo "${packages[@]}"
  exit 0
fi
if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "==> Not a Debian-like system: install espeak-ng and pocketsphinx (with its en-us model) yourself; until then the" >&2
  echo "    media workers report 'not ready' and take no calls." >&2
  exit 0
fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
  echo "==> The offline voice needs ${missing[*]}; installing with sudo (you may be asked for your password)."
else
  echo "==> Installing the offline voice: ${missing[*]} (apt)"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
