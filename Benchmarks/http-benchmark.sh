#!/usr/bin/env bash
# HTTP benchmark of the real server: `POST /api/v1/compliance/check` (with a bearer token, the contract's request
# and a 20-event history) under wrk, against the anchor measured in the same run: a bare Vapor route
# (Benchmarks/Benchmarks/BareVapor: POST, collects the body, answers a fixed JSON) with the same body and token
# header. Then page timings with SIZE debts in the database (default 1,000,000; 0 skips them).
#
#   Benchmarks/http-benchmark.sh [SIZE]        (needs wrk and curl; builds release binaries)
#
# Prints Markdown for docs/performance.md. A benchmark, not a test: nothing here fails on time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
size=${1:-1000000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-http-bench.XXXXXX)}
mkdir -p "$dir"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
unset DATABASE_URL

echo "building release binaries…" >&2
swift build -c release --product recoup >&2
recoup=$(swift build -c release --show-bin-path)/recoup
(cd Benchmarks && swift build -c release --product BareVapor >&2)
bare=$(cd Benchmarks && swift build -c release --show-bin-path)/BareVapor

db="$dir/recoup.sqlite"
rm -f "$db"*
printf 'benchmark-password\n' | "$recoup" user add bench@example.com --role admin --password-stdin --database "$db" >/dev/null
token=$("$recoup" token create bench@example.com --database "$db")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

recoup_port=$(free_port)
"$recoup" serve --port "$recoup_port" --database "$db" > "$dir/serve.log" 2>&1 &
pids+=($!)
bare_port=$(free_port)
"$bare" "$bare_port" > "$dir/bare.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$recoup_port/health"
sleep 1

# The contract's request with 20 earlier calls and messages over two weeks.
python3 - "$dir/request.json" <<'PY'
import json, sys
events = []
for day in range(1, 21):
    events.append({"type": "call", "at": f"2026-03-{day:02d}T15:00:00Z", "debtIds": ["D1"], "direction": "outbound",
                   "to": "+16175550100", "outcome": "no_answer" if day % 3 else "voicemail", "messageLeft": day % 3 == 0})
request = {"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "to": "+16175550100", "purpose": "collection",
           "debtor": {"kind": "consumer", "timeZones": ["America/New_York"],
                      "phones": [{"number": "+16175550100", "type": "mobile"}], "emails": [{"address": "pat@example.com"}],
                      "addresses": [{"type": "home", "state": "MA", "postalCode": "02118", "country": "US"}]},
           "events": events}
json.dump(request, open(sys.argv[1], "w"))
PY
curl -s -f -H "Authorization: Bearer $token" --data-binary @"$dir/request.json" "http://127.0.0.1:$recoup_port/api/v1/compliance/check" > "$dir/decision.json"
cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$dir/request.json", "r")
wrk.body = f:read("*a")
f:close()
LUA

run_wrk() {  # LABEL URL
  wrk -t2 -c32 -d15s --latency -s "$dir/post.lua" "$2" > "$dir/$1.wrk"
  rps[$1]=$(awk '/Requests\/sec/ {print $2}' "$dir/$1.wrk")
  p99[$1]=$(awk '$1 == "99%" {print $2}' "$dir/$1.wrk")
  p50[$1]=$(awk '$1 == "50%" {print $2}' "$dir/$1.wrk")
}
declare -A rps p99 p50
run_wrk bare "http://127.0.0.1:$bare_port/bare"
run_wrk check "http://127.0.0.1:$recoup_port/api/v1/compliance/check"
run_wrk bare2 "http://127.0.0.1:$bare_port/bare"
run_wrk check2 "http://127.0.0.1:$recoup_port/api/v1/compliance/check"

echo "| wrk -t2 -c32 -d15s, $(nproc) cores | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
for label in bare check bare2 check2; do echo "| $label | ${rps[$label]} | ${p50[$label]} | ${p99[$label]} |"; done
awk -v a="${rps[check]}" -v b="${rps[bare]}" -v c="${rps[check2]}" -v d="${rps[bare2]}" \
  'BEGIN { printf "compliance check / bare route: %.0f%% and %.0f%%\n", 100 * a / b, 100 * c / d }'
echo "decision: $(cat "$dir/decision.json")"

[ "$size" -gt 0 ] || exit 0
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
echo "loading $size debts…" >&2
file="$dir/ibm-$size.csv"
"$recoup" demo --format ibm-ar --accounts "$size" --seed 42 --today 2026-11-29 --output "$file"
start=$(date +%s.%N)
"$recoup" import --format ibm-ar "$file" --client bench --database "$db" > /dev/null
echo "import of $size rows: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s" >&2
"$recoup" serve --port "$recoup_port" --database "$db" > "$dir/serve2.log" 2>&1 &
pids[0]=$!
wait_for "http://127.0.0.1:$recoup_port/health"
# Sign in through the form, as a browser does.
jar="$dir/cookies"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$recoup_port/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -o /dev/null -c "$jar" -b "$jar" --data "email=bench@example.com&password=benchmark-password&csrf=$csrf" "http://127.0.0.1:$recoup_port/login"
middle=$(( size / 2 ))
echo "| page ($size debts) | first (ms) | median of 10 (ms) |"
echo "|---|---|---|"
customer=$(sed -n 2p "$file" | cut -d, -f2)
invoice=$(sed -n "$((middle + 1))p" "$file" | cut -d, -f4)
for page in "/" "/debts" "/debts?cursor=$middle" "/debts?status=open" "/debts/$middle" "/debts?q=$invoice" \
  "/debts?q=$customer" "/debts?q=${invoice:0:4}" "/debts?q=zz-nobody" "/debts?sort=balance&dir=desc" \
  "/debts?sort=balance&dir=desc&cursor=$middle" "/debts?sort=balance&before=$middle" "/debts?sort=days&dir=desc" \
  "/debts?sort=contact" "/debts?sort=days&status=open&bucket=1-30" "/debts?client=bench&status=open"; do
  times=()
  for _ in $(seq 1 11); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "http://127.0.0.1:$recoup_port$page")")
  done
  first=$(awk -v t="${times[0]}" 'BEGIN { printf "%.1f", t * 1000 }')
  median=$(printf '%s\n' "${times[@]:1}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", (a[5] + a[6]) / 2 * 1000 }')
  echo "| \`$page\` | $first | $median |"
done
echo "files in $dir"
