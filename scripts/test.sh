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

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done

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
