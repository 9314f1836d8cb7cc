#!/usr/bin/env bash
# An outside fuzzer against a running BehaviorPoints: Portman builds contract tests and fuzzed variations (required
# fields removed, numbers and lengths past their documented bounds) from the app's own /openapi/v1.json, newman sends
# them, and the script fails if any answer is a 5xx. Contract failures of the unfuzzed requests are expected: Portman
# fills them with example values (ids that name no lead, text that is no email).
#
#   tools/outside-fuzz/run.sh http://localhost:5080 "$ADMIN_KEY"
set -euo pipefail
base=${1:?usage: $0 BASE_URL ADMIN_KEY}
key=${2:?usage: $0 BASE_URL ADMIN_KEY}
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -sf "$base/openapi/v1.json" -o "$work/openapi.json"
node_modules/.bin/portman -l "$work/openapi.json" -b "$base" -c portman-config.json -o "$work/collection.json" >/dev/null
node_modules/.bin/newman run "$work/collection.json" --env-var "apiKey=$key" --reporters json \
  --reporter-json-export "$work/run.json" >/dev/null || true
python3 - "$work/run.json" <<'PY'
import collections, json, sys
run = json.load(open(sys.argv[1]))["run"]
codes = collections.Counter()
server_errors = []
for execution in run["executions"]:
    code = (execution.get("response") or {}).get("code")
    codes[code] += 1
    if code is None or code >= 500:
        server_errors.append(f'{code} {execution["item"]["name"]}')
print(f'{len(run["executions"])} requests; answers: ' + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items(), key=lambda i: i[0] or 0)))
for line in server_errors:
    print("server error or no answer:", line)
sys.exit(1 if server_errors else 0)
PY
