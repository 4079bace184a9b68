#!/usr/bin/env bash
# Runs the benchmarks on demand against a throwaway PostgreSQL on 127.0.0.1.
#   scripts/bench.sh capacity [--silos 1,2,3] [--clients 32] [--seconds 10]
#   scripts/bench.sh dashboard [--repeats 20]
#   scripts/bench.sh ingress [--calls 10,25,50,100] [--seconds 10] [--frames 1000]   (no PostgreSQL needed)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
work=$(mktemp -d /tmp/vox-bench.XXXXXX); chmod 755 "$work"
trap 'scripts/pg-test-server.sh stop "$work/pg"; rm -rf "$work"' EXIT
VOX_BENCH_POSTGRES=$(scripts/pg-test-server.sh start "$work/pg" $(( 20000 + RANDOM % 20000 )))
export VOX_BENCH_POSTGRES
dotnet build Vox.sln -c Release -nologo -v q
dotnet run -c Release --no-build --project tests/Vox.Benchmarks -- "${@:-capacity}"
