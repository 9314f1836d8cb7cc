#!/usr/bin/env bash
# Runs the whole test suite. Installs what the browser tests need when it is missing (Debian's Chromium; Playwright's
# own browser download cannot work here, so the tests point Playwright at /usr/bin/chromium, and a Chinese font for the
# zh-CN screenshots), runs dotnet test, then
# runs the Core and API suites (crash and concurrency included) again, with the tests of two app instances on one
# database, against a throwaway PostgreSQL server that it starts (installing Debian's postgresql when missing) and
# removes at the end. Installs the OpenAPI linter (npm) when missing.
# Keeps the exit code (failing if either pass fails) and ends with the plain line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1 \
    || echo "warning: could not install chromium; the browser tests will fail" >&2
fi

# A font with Chinese characters, so the zh-CN screenshots show text rather than empty boxes (the tests pass without).
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "Installing a Chinese font for the browser screenshots..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-wqy-zenhei >/dev/null 2>&1 \
    || echo "warning: could not install a Chinese font; zh-CN screenshots will show boxes" >&2
fi

# Spectral lints the served OpenAPI document in the tests (the version pinned in tools/openapi-lint).
if [ ! -d tools/openapi-lint/node_modules ]; then
  echo "Installing the OpenAPI linter (npm ci in tools/openapi-lint)..."
  (cd tools/openapi-lint && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || echo "warning: could not install the OpenAPI linter; its test will fail" >&2
fi

log=$(mktemp)
pg_dir=$(mktemp -d)
trap 'scripts/throwaway-postgres.sh stop "$pg_dir"; rm -f "$log"' EXIT

# Every test runs in one of the two passes: the tests of several app instances on one database need PostgreSQL.
dotnet test BehaviorPoints.sln --nologo --filter "Category!=PostgreSqlOnly" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

echo
echo "The Core and API suites again, and the tests of two app instances, on PostgreSQL..."
if postgres=$(scripts/throwaway-postgres.sh start "$pg_dir"); then
  BP_TEST_POSTGRES="$postgres" dotnet test BehaviorPoints.sln --nologo --no-build "$@" \
    --filter "((FullyQualifiedName~BehaviorPoints.Tests.Core.|FullyQualifiedName~BehaviorPoints.Tests.Web.Api.)&Category!=SqliteOnly)|Category=PostgreSqlOnly" 2>&1 | tee -a "$log"
  postgres_status=${PIPESTATUS[0]}
else
  echo "error: PostgreSQL could not be started, so the PostgreSQL pass did not run" >&2
  postgres_status=1
fi
[ "$status" -eq 0 ] && status=$postgres_status

# VSTest prints one summary per test project and pass: "Passed!  - Failed: 0, Passed: 5, Skipped: 0, Total: 5, ...".
awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i + 1) + 0 }
      if ($i == "Passed:")  { p += $(i + 1) + 0 }
      if ($i == "Skipped:") { s += $(i + 1) + 0 }
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit "$status"
