#!/usr/bin/env bash
# Makes the audio fixtures in artifacts/fixtures/audio/ from tests/fixtures/audio.json (see docs/testing.md), only when they are
# missing or stale. Stale means the stamp differs: a hash of audio.json, the generator's sources and `espeak-ng --version`.
#   scripts/make-fixtures.sh             build the generator, then make the fixtures if needed
#   scripts/make-fixtures.sh --no-build  use the generator test.sh has just built (Release)
#   scripts/make-fixtures.sh --force     make them even if the stamp matches
set -euo pipefail
cd "$(dirname "$0")/.."
build=1; force=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --force) force=1 ;;
    *) echo "usage: $0 [--no-build] [--force]" >&2; exit 2 ;;
  esac
done

spec=tests/fixtures/audio.json
generator=tests/Vox.FixtureGenerator
out=artifacts/fixtures/audio
command -v espeak-ng >/dev/null || { echo "espeak-ng is not installed (scripts/install-test-deps.sh installs it)." >&2; exit 1; }
stamp=$( {
  sha256sum "$spec"
  find "$generator" \( -name bin -o -name obj \) -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum
  espeak-ng --version
} | sha256sum | cut -d' ' -f1)

if [ $force -eq 0 ] && [ -f "$out/manifest.json" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "==> Audio fixtures up to date ($out)"
  exit 0
fi

echo "==> Making audio fixtures ($out)"
if [ $build -eq 1 ]; then
  dotnet build "$generator" -c Release -nologo -v q >/dev/null || { dotnet build "$generator" -c Release -nologo -v q; exit 1; }
fi
dll="$generator/bin/Release/net10.0/Vox.FixtureGenerator.dll"
[ -f "$dll" ] || { echo "$dll is not built: run dotnet build Vox.sln -c Release, or this script without --no-build." >&2; exit 1; }

# Made beside the output and moved into place, so an interrupted run never leaves a half set behind a fresh stamp.
tmp=$(mktemp -d "$(dirname "$out")/.audio.XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$out")"; mktemp -d "$(dirname "$out")/.audio.XXXXXX"; })
trap 'rm -rf "$tmp"' EXIT
dotnet "$dll" "$spec" "$tmp"
echo "$stamp" > "$tmp/.stamp"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
