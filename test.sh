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

# Runs one test project (or a filtered part of one) into $results/<label>.trx and <label>.log, then prints its line.
# Arguments: label, project, then any dotnet test arguments. The CPU time is that of dotnet test and what it started
# (test hosts, silos, workers, browsers), as the shell's 'times' counts children.
run_tests() {
  local label=$1 project=$2; shift 2
  local started elapsed code p f s cpu
  started=$(date +%s)
  cpu=$( { dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$label.trx" \
             --results-directory "$results" "$@" > "$results/$label.log" 2>&1
           echo "code $?"; times; } | awk '/^code/ { code = $2 } NR == 3 { print code, seconds($1) + seconds($2) }
             function seconds(t,  m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t); return m * 60 + t }')
  read -r code cpu <<< "$cpu"
  cpu=${cpu%.*}
  elapsed=$(( $(date +%s) - started ))
  read -r p f s <<< "$(counts "$results/$label.trx")"
  printf '%-34s %4s passed %3s failed %3s skipped %4dm %02ds  (cpu %dm %02ds)\n' "$label" "$p" "$f" "$s" \
    $((elapsed / 60)) $((elapsed % 60)) $((cpu / 60)) $((cpu % 60)) >> "$results/times.txt"
  echo "==> $label: $p passed, $f failed, $s skipped in $((elapsed / 60))m $((elapsed % 60))s"
  if [ "$code" -ne 0 ]; then
    # The failing tests' messages, not the whole log (it stays in artifacts/test-results/).
    grep -E '^\s+Failed |Error Message:|^\s{3,}[A-Za-z].*(Exception|Assert)' -A8 "$results/$label.log" | head -n 200
    echo "==> $label failed (exit $code); full log: artifacts/test-results/$label.log"
    echo "$label" >> "$results/failed-projects.txt"
  fi
  return "$code"
}

integration=tests/Vox.Integration.Tests/Vox.Integration.Tests.csproj
# The integration tests whose length is the scenario itself (a receiver down for two minutes, fifty campaign calls at
# thirty a minute): mostly waiting, so they run beside the rest.
long_running='FullyQualifiedName~Vox.Integration.Tests.WebhookDeliveryTests|FullyQualifiedName~Vox.Integration.Tests.Sip.CampaignSipTests'
# Every test project but the integration tests, the longest first (times in docs/testing.md); a project not named here
# comes after them.
in_process=$(ls tests/*/*.Tests.csproj | grep -v Integration | awk '
  { rank = 9; for (i = 1; i <= 4; i++) if (index($0, order[i])) rank = i; print rank, $0 }
  BEGIN { split("MediaWorker Dashboard Gateway Grains", order) }' | sort -k1,1n -k2 | cut -d' ' -f2)

suite_started=$(date +%s)
: > "$results/times.txt"
# One project at a time by default until two lanes are measured clean on an idle host (docs/testing.md); VOX_TEST_LANES=2 runs them.
lanes=${VOX_TEST_LANES:-1}
if [ "$lanes" -le 1 ] || [ $# -gt 0 ]; then
  # One project at a time (the default, and always with dotnet test arguments such as a --filter).
  for project in $in_process $integration; do
    run_tests "$(basename "$project" .csproj)" "$project" "$@"
  done
else
  # Lanes (two by default, one per core): each takes the next job from a shared queue, longest first, so a lane that
  # finishes early takes more. The long integration scenarios are mostly waiting and overlap the CPU-heavy suites.
  queue="$work/jobs"
  {
    echo "Vox.Integration.Tests|$integration|$(echo "$long_running" | sed 's/~/!~/g; s/|/\&/g')"
    echo "Vox.Integration.Tests.LongRunning|$integration|$long_running"
    for project in $in_process; do echo "$(basename "$project" .csproj)|$project|"; done
  } > "$queue"
  next_job() { flock "$queue.lock" sh -c 'head -n 1 "$1"; sed -i 1d "$1"' sh "$queue"; }
  echo "==> Testing in $lanes lanes (each project prints a line when it ends; logs in artifacts/test-results/)"
  for _ in $(seq "$lanes"); do
    ( while job=$(next_job) && [ -n "$job" ]; do
        IFS='|' read -r label project filter <<< "$job"
        if [ -n "$filter" ]; then run_tests "$label" "$project" --filter "$filter"; else run_tests "$label" "$project"; fi
      done ) &
  done
  wait
fi

total=$(( $(date +%s) - suite_started ))
echo "==> Time per project (tests only; $((total / 60))m $((total % 60))s in all)"
sed 's/^/    /' "$results/times.txt"

status=0
[ -s "$results/failed-projects.txt" ] && status=1
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
