#!/usr/bin/env bash
# Fuzzes the served API from its own OpenAPI document with schemathesis, and fails on any 5xx answer.
#
#   scripts/api-schema-fuzz.sh [--recoup PATH] [--seconds N] [--artifacts DIR]
#
# Starts `recoup serve --demo` on a free loopback port in a temporary directory, makes an API token for the demo
# admin and one proposed arrangement (so the arrangement routes reach their logic, not only 404), then runs
# schemathesis (examples, coverage, fuzzing and stateful phases) for at most N seconds (default 120) with the
# not_a_server_error check. Only 127.0.0.1 is contacted. Needs schemathesis (pip install schemathesis).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

recoup=""
seconds=120
artifacts=".ci-artifacts/schemathesis"
# Every answer must be one the document describes: no 5xx, a documented status, a documented content type and
# headers, a body that matches the documented schema.
checks="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
while [[ $# -gt 0 ]]; do
  case $1 in
    --recoup) recoup=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --artifacts) artifacts=$2; shift 2 ;;
    --checks) checks=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z $recoup ]]; then recoup="$(swift build --show-bin-path)/recoup"; fi
recoup=$(readlink -f "$recoup")
command -v schemathesis >/dev/null || { echo "schemathesis is missing: pip install schemathesis" >&2; exit 1; }
mkdir -p "$artifacts"
artifacts=$(readlink -f "$artifacts")

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  cp "$work/serve.log" "$artifacts/serve.log" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# A secret for the signed inbound endpoints, so that they are fuzzed as deployed (unsigned requests answer 401).
inbound_secret=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
(cd "$work" && RECOUP_INBOUND_SECRET="$inbound_secret" exec "$recoup" serve --demo --port "$port") \
  >"$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "recoup serve stopped:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done
token=$(cd "$work" && "$recoup" token create admin@demo.recoup | grep -o 'rcp_[0-9a-f]*' | head -n 1)
[[ -n $token ]] || { echo "could not create an API token" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$base/api/v1/arrangements" \
  -d '{"client": "harbor-dental", "debts": ["HD-100001"], "today": "2026-11-29",
       "offer": {"amount": "25.00", "frequency": "monthly", "firstDue": "2026-12-31"}}' >/dev/null
debt_id=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v1/debts?client=harbor-dental&limit=1" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')

cat >"$work/schemathesis.toml" <<TOML
headers = { Authorization = "Bearer $token" }
[parameters]
"path.ref" = "ARR-000001"
"path.id" = "$debt_id"
"path.client" = "harbor-dental"
TOML

# Hooks: a serializer for the one media type schemathesis does not know (scripts/schemathesis_hooks.py).
hooks="$PWD/scripts"
echo "schemathesis over $base/api/v1/openapi.json for at most ${seconds}s"
st_status=0
(cd "$work" && PYTHONPATH="$hooks${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=schemathesis_hooks \
  schemathesis --config-file "$work/schemathesis.toml" run "$base/api/v1/openapi.json" \
  --checks "$checks" --max-time "$seconds" --workers 1 --seed 2026 --no-color) \
  >"$artifacts/schemathesis.log" 2>&1 || st_status=$?
# The summary, without the generator's own long tracebacks (the whole log stays in the artifacts).
sed -n '/= SUMMARY =/,$p' "$artifacts/schemathesis.log" | cut -c1-200
status=0
# A failed check fails the run, and so does any other error: with the hooks schemathesis can send every body the
# document describes, so an error of its own means an operation went untested.
if grep -q '= FAILURES =' "$artifacts/schemathesis.log"; then status=1; fi
if [[ $st_status -ne 0 ]]; then
  echo "schemathesis exited with $st_status (see $artifacts/schemathesis.log)" >&2
  status=1
fi
if grep -q 'Server error' "$artifacts/schemathesis.log"; then
  echo "schemathesis found server errors; see $artifacts/schemathesis.log" >&2
  status=1
fi
if grep -q '"level":"error"\|\[ ERROR \]' "$work/serve.log"; then
  echo "the server logged errors:" >&2
  grep -m 20 '\[ ERROR \]' "$work/serve.log" >&2 || true
  status=1
fi
kill -0 "$server_pid" 2>/dev/null || { echo "recoup serve is no longer running" >&2; status=1; }
exit "$status"
