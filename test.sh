#!/usr/bin/env bash
# Runs the whole test suite. Installs what the browser tests need when it is missing (Debian's Chromium; Playwright's
# own browser download cannot work here, so the tests point Playwright at /usr/bin/chromium, and a Chinese font for the
# zh-CN screenshots), builds once, runs every test on SQLite, then runs what behaves differently on PostgreSQL (the
# rule is below) with the tests of two app instances on one database, against a throwaway PostgreSQL server that it
# starts (installing Debian's postgresql when missing) and removes at the end. Installs the OpenAPI linter (npm) when
# missing. Prints the slowest 20 tests, keeps the exit code (failing if the build or either pass fails) and ends with
# the plain line "N passed, N failed, N skipped".
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
results=$(mktemp -d)
trap 'scripts/throwaway-postgres.sh stop "$pg_dir"; rm -rf "$log" "$results"' EXIT

# Build once; both passes run what it built.
dotnet build BehaviorPoints.sln --nologo -v quiet 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
build_failed=0
[ "$status" -ne 0 ] && build_failed=1

if [ "$build_failed" -eq 0 ]; then
  # Every test runs on SQLite: one pass over the whole suite.
  dotnet test BehaviorPoints.sln --nologo --no-build "$@" --filter "Category!=PostgreSqlOnly" \
    --logger "trx;LogFilePrefix=sqlite" --results-directory "$results" 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}

  # PostgreSQL runs what behaves differently there: the hand-written SQL and what several writers do at once. That is
  # the ledger, its jobs and leases (Core.Scoring), lead queries and search (Core.Leads), dashboard queries
  # (Core.Dashboard), routing's and the outbox's statements (Core.Routing, Core.Webhooks), the website collector's writes (Core.Tracking), the training data's reads
  # (Core.Predictive.TrainingData), ingest over HTTP and the crash and concurrency tests (Web.Api.EventsApiTests,
  # Web.Api.CrashAndConcurrencyTests), the migrations (every test database is migrated) and two app instances
  # (Category=PostgreSqlOnly). EF-only CRUD, validation, pages and the fuzz suite behave the same on both providers.
  echo
  echo "What behaves differently on PostgreSQL, and the tests of two app instances, on PostgreSQL..."
  if postgres=$(scripts/throwaway-postgres.sh start "$pg_dir"); then
    pg_filter="((FullyQualifiedName~BehaviorPoints.Tests.Core.Scoring.|FullyQualifiedName~BehaviorPoints.Tests.Core.Leads.|FullyQualifiedName~BehaviorPoints.Tests.Core.Dashboard.|FullyQualifiedName~BehaviorPoints.Tests.Core.Routing.|FullyQualifiedName~BehaviorPoints.Tests.Core.Webhooks.|FullyQualifiedName~BehaviorPoints.Tests.Core.Tracking.|FullyQualifiedName~BehaviorPoints.Tests.Core.Predictive.TrainingDataTests|FullyQualifiedName~BehaviorPoints.Tests.Web.Api.EventsApiTests|FullyQualifiedName~BehaviorPoints.Tests.Web.Api.CrashAndConcurrencyTests)&Category!=SqliteOnly)|Category=PostgreSqlOnly"
    BP_TEST_POSTGRES="$postgres" dotnet test BehaviorPoints.sln --nologo --no-build "$@" --filter "$pg_filter" \
      --logger "trx;LogFilePrefix=postgresql" --results-directory "$results" 2>&1 | tee -a "$log"
    postgres_status=${PIPESTATUS[0]}
  else
    echo "error: PostgreSQL could not be started, so the PostgreSQL pass did not run" >&2
    postgres_status=1
  fi
  [ "$status" -eq 0 ] && status=$postgres_status
fi

# Where the time goes: the slowest 20 test runs of both passes (from the TRX logs).
if ls "$results"/*.trx >/dev/null 2>&1; then
  echo
  echo "The slowest 20 test runs:"
  cat "$results"/*.trx | tr '<' '\n' | grep '^UnitTestResult ' \
    | sed -E 's/.*testName="([^"]*)".*duration="([0-9:.]*)".*/\2 \1/' \
    | awk '{ split($1, t, ":"); printf "%8.1f s  %s\n", t[1] * 3600 + t[2] * 60 + t[3], substr($0, index($0, " ") + 1) }' \
    | sort -rn | head -20 | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
fi

# VSTest prints one summary per test project and pass: "Passed!  - Failed: 0, Passed: 5, Skipped: 0, Total: 5, ...".
# A failed build or an aborted run counts as one failure, so the line never says "0 failed" for a red run.
echo
awk -v status="$status" -v build_failed="$build_failed" '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i + 1) + 0 }
      if ($i == "Passed:")  { p += $(i + 1) + 0 }
      if ($i == "Skipped:") { s += $(i + 1) + 0 }
    }
  }
  END {
    if (build_failed == 1) { print "The build failed: no test ran." }
    else if (status != 0 && f == 0) { print "A test run aborted or did not report: counted as a failure." }
    if (status != 0 && f == 0) { f = 1 }
    printf "%d passed, %d failed, %d skipped\n", p, f, s
  }
' "$log"
exit "$status"
