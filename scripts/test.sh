#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, runs every test
# project and ends with one line "N passed, M failed" summed over all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Node packages (Azurite, Redocly's OpenAPI lint; MSAL.js, which the build embeds in the web page)
# pinned in package-lock.json: installed when missing, again when the lock file is newer than the
# installed tree, and when the tree lacks one of them (a clone installed before it was added).
if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
  [ ! -f node_modules/azurite/package.json ] || [ ! -f node_modules/@redocly/cli/package.json ] ||
  [ ! -f node_modules/@azure/msal-browser/package.json ]; }; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The browser tests (RunStrength.EndToEnd.Tests, WebPageBrowserTests) drive Debian's Chromium at
# /usr/bin/chromium through Playwright; Playwright's own browser download is never used.
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update && $sudo apt-get install -y chromium
fi

# .NET tools (Kiota, which generates the end-to-end tests' API client) pinned in .config/dotnet-tools.json.
dotnet tool restore >/dev/null

dotnet build RunStrength.sln -c Release -nologo -clp:ErrorsOnly

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# Two lanes at once: the end-to-end tests spend most of their time waiting on processes they
# start (LocalHost, workers, Azurite, Chromium), so the other projects run beside them. Each
# project's console output goes to its own log, shown whole when the project ends.
run_project() {
  local project=$1 name
  name=$(basename "$project" .csproj)
  echo "== $name started"
  if dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" >"$results/$name.log" 2>&1; then
    echo "== $name finished"
  else
    echo "== $name FAILED"
    touch "$results/failed"
  fi
  cat "$results/$name.log"
}

run_lane() {
  local project
  for project in "$@"; do
    run_project "$project"
  done
}

lane_a=()
lane_b=()
for project in tests/*/*.csproj; do
  case "$project" in
    */RunStrength.EndToEnd.Tests.csproj) lane_a+=("$project") ;;
    *) lane_b+=("$project") ;;
  esac
done

run_lane "${lane_a[@]}" &
lane_a_pid=$!
run_lane "${lane_b[@]}"
wait "$lane_a_pid"

status=0
if [ -f "$results/failed" ]; then
  status=1
fi

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$passed" -eq 0 ]; then
  status=1
fi
echo "$passed passed, $failed failed"
exit $status
