#!/usr/bin/env bash
# Runs the end-to-end suite seven times, with the app's test clock (Clock__Now) pinned to each day
# of one week in turn, to show that no end-to-end test depends on the day it runs.
# Expects a Release build (bash scripts/test.sh, or dotnet build RunStrength.sln -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for day in 2026-12-07T07:30:00Z 2026-12-08T21:30:00Z 2026-12-09T10:00:00Z 2026-12-10T23:30:00Z \
           2026-12-11T12:00:00Z 2026-12-12T06:00:00Z 2026-12-13T21:30:00Z; do
  log=$(E2E_CLOCK_NOW=$day dotnet test tests/RunStrength.EndToEnd.Tests -c Release --no-build --nologo 2>&1 || true)
  summary=$(grep -E '^(Passed|Failed)!' <<<"$log" || true)
  echo "$(date -u -d "$day" '+%a %Y-%m-%d %H:%M UTC'): ${summary:-no result}"
  grep -E '^  Failed |Error Message' -A 3 <<<"$log" || true
  case "$summary" in Passed!*) ;; *) status=1 ;; esac
done
exit $status
