#!/usr/bin/env bash
# Runs RunStrength locally from a fresh clone: installs what is missing, builds, and starts the
# function app under RunStrength.LocalHost on http://127.0.0.1:7071: the web page at /, the API
# at /api (Azurite is started by the host because local.settings.json uses development storage).
# Ctrl+C stops everything, and Azurite saves its data in .azurite/ for the next run.
#   PORT=7071             the port of the page and the API
#   AZURITE_LOCATION=...  Azurite's data folder (default .azurite under the repository)
#   VERBOSE=1             every log line (Azure SDK requests, ASP.NET Core); same as passing --verbose
# Other arguments are passed to RunStrength.LocalHost.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
port="${PORT:-7071}"
location="${AZURITE_LOCATION:-.azurite}"
extra=("$@")
if [ "${VERBOSE:-0}" != "0" ]; then
  extra+=(--verbose)
fi

# Node packages pinned in package-lock.json (Azurite; MSAL.js, which the build embeds in the web
# page): installed when missing, when the lock file is newer than the installed tree, or when the
# tree lacks one of them (a clone installed before it was added).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
  [ ! -f node_modules/azurite/package.json ] || [ ! -f node_modules/@azure/msal-browser/package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Quiet builds: their output is shown only when one fails.
build() {
  local output
  if ! output=$(dotnet build "$1" -c Release -nologo -clp:ErrorsOnly 2>&1); then
    echo "$output"
    exit 1
  fi
}
echo "Building..."
build src/RunStrength.Functions
build src/RunStrength.LocalHost
build tools/RunStrength.DevToken

token=$(dotnet tools/RunStrength.DevToken/bin/Release/net10.0/RunStrength.DevToken.dll demo-user 12 src/RunStrength.Functions/local.settings.json)
cat <<INFO

RunStrength is starting. Open the web page at

  http://127.0.0.1:${port}/

and sign in with any user id (development sign-in). The API is at http://127.0.0.1:${port}/api.
A development token for user "demo-user" (valid 12 hours):

  export TOKEN=${token}

Try:
  curl -s http://127.0.0.1:${port}/api/health
  curl -s -X PUT http://127.0.0.1:${port}/api/me/profile -H "Authorization: Bearer \$TOKEN" -H "Content-Type: application/json" \\
    -d '{"goal":"balanced","runningExperience":"beginner","strengthExperience":"none","availableDays":["mon","wed","fri","sat"],"longRunDay":"sat","maxSessionMinutes":60,"weeklyRunMinutes":60,"birthYear":1988,"timeZone":"Europe/Amsterdam"}'
  curl -s http://127.0.0.1:${port}/api/me/plans/current -H "Authorization: Bearer \$TOKEN"

INFO

exec dotnet src/RunStrength.LocalHost/bin/Release/net10.0/RunStrength.LocalHost.dll \
  --app src/RunStrength.Functions/bin/Release/net10.0 --port "$port" --azurite-location "$location" "${extra[@]}"
