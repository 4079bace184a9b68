#!/usr/bin/env bash
# Runs every Vox test project against real dependencies and ends with "N passed, N failed, N skipped".
# Installs what is missing (apt), starts a throwaway PostgreSQL on 127.0.0.1, and stops it afterwards.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
work=$(mktemp -d /tmp/vox-test.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$work"
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

cleanup() { scripts/pg-test-server.sh stop "$work/pg"; rm -rf "$work"; }
trap cleanup EXIT

scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

port=$(( 20000 + RANDOM % 20000 ))
echo "==> Starting PostgreSQL on 127.0.0.1:$port"
VOX_TEST_POSTGRES=$(scripts/pg-test-server.sh start "$work/pg" "$port") || { echo "0 passed, 1 failed"; exit 1; }
export VOX_TEST_POSTGRES

echo "==> Building"
if ! dotnet build Vox.sln -c Release -nologo -v q; then
  echo "Build failed."; echo "0 passed, 1 failed"; exit 1
fi

# The audio fixtures are generated into artifacts/fixtures/audio, only when missing or stale (docs/testing.md).
if ! scripts/make-fixtures.sh --no-build; then
  echo "Making the audio fixtures failed."; echo "0 passed, 1 failed"; exit 1
fi

# Counts of one TRX file: "passed failed skipped" (errors, timeouts and aborts count as failed).
counts() {
  local counters; counters=$(grep -o '<Counters [^>]*>' "$1" 2>/dev/null | head -n 1)
  get() { local v; v=$(echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"); echo "${v:-0}"; }
  echo "$(get passed) $(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) )) $(get notExecuted)"
}

# One project at a time: the multi-process tests start real silos and workers, and should not share the 2 cores with
# other suites.
status=0
suite_started=$(date +%s)
times=()
for project in $(ls tests/*/*.Tests.csproj | sort -t/ -k2,2 | grep -v Integration) tests/Vox.Integration.Tests/Vox.Integration.Tests.csproj; do
  [ -f "$project" ] || continue
  name=$(basename "$project" .csproj)
  echo "==> Testing $name"
  started=$(date +%s)
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" "$@" || status=1
  elapsed=$(( $(date +%s) - started ))
  read -r p f s <<< "$(counts "$results/$name.trx")"
  times+=("$(printf '%-26s %4s passed %3s failed %3s skipped %4dm %02ds' "$name" "$p" "$f" "$s" $((elapsed / 60)) $((elapsed % 60)))")
  echo "==> $name: $p passed, $f failed, $s skipped in $((elapsed / 60))m $((elapsed % 60))s"
done

total=$(( $(date +%s) - suite_started ))
echo "==> Time per project (tests only; $((total / 60))m $((total % 60))s in all)"
printf '    %s\n' "${times[@]}"

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  read -r p f s <<< "$(counts "$trx")"
  passed=$(( passed + p )); failed=$(( failed + f )); skipped=$(( skipped + s ))
done
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then
  echo "dotnet test exited $status without a failed test (a test host crashed or a project did not run)."
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $status -eq 0 ] && [ $failed -eq 0 ]
