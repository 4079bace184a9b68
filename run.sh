#!/usr/bin/env bash
# The README's first command: installs the offline voice if it is missing (Debian packages; sudo when not root), then
# runs one Vox silo on the embedded store (./data) with its gateway, dashboard and local media workers.
# Arguments go to the silo, e.g. ./run.sh --Fleet:LocalWorkers=2
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-voice.sh
exec dotnet run --project Vox.Silo -c Release -- "$@"
