#!/usr/bin/env bash
# The work queue's read (`WorkQueue.items`) on a generated portfolio of 1,000,000 open debts (500,000 consumer
# debtors with phones across the US zones, about 10 contact events per debt, 20,000 promises, the daily run's open
# work: call steps on 10% of the debts), on SQLite, at several instants of the day, in three shapes:
#
#   full      the portfolio as generated: today's promises and the month's broken ones fill the first places
#   steps     no promises: every item is a call step, 100,000 of them (the walk along the balance index)
#   fewsteps  no promises and 5,000 call steps (all read and sorted)
#
#   Benchmarks/work-queue-benchmark.sh [RECOUP_BINARY]     (default: builds the release binary)
#   BENCH_DIR=/tmp/wq Benchmarks/work-queue-benchmark.sh   keeps and reuses the databases there
#
# Each figure is the fastest and the median of RUNS (default 7) reads by `recoup queue --at INSTANT`, timed inside the process
# (RECOUP_LOG_LEVEL=info logs the read's milliseconds), so a process's start and the database's opening are left out.
# Then `GET /api/v1/queue` against `recoup serve` at the real time, with curl: the first request and the median of the
# next ten. Prints Markdown for docs/performance.md; a benchmark, not a test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-queue-bench.XXXXXX)}
mkdir -p "$dir"
runs=${RUNS:-7}
unset DATABASE_URL
if [ $# -ge 1 ]; then
  recoup=$(readlink -f "$1")
else
  echo "building release binary…" >&2
  swift build -c release --product recoup >&2
  recoup=$(swift build -c release --show-bin-path)/recoup
fi
today=$(date -u +%Y-%m-%d)
tomorrow=$(date -u -d "$today + 1 day" +%Y-%m-%d)

full="$dir/queue-full.sqlite"
if [ ! -f "$full" ]; then
  echo "generating and importing 1,000,000 debts…" >&2
  python3 Benchmarks/work-queue-data.py csv "$dir/queue.csv" 1000000 "$today"
  "$recoup" import --format recoup "$dir/queue.csv" --client bench --database "$full.tmp" > /dev/null
  echo "adding the history, promises and work items…" >&2
  python3 Benchmarks/work-queue-data.py history "$full.tmp" "$today" >&2
  mv "$full.tmp" "$full"
fi
if [ ! -f "$dir/queue-steps.sqlite" ]; then
  cp "$full" "$dir/queue-steps.sqlite.tmp"
  sqlite3 "$dir/queue-steps.sqlite.tmp" "DELETE FROM promises"
  mv "$dir/queue-steps.sqlite.tmp" "$dir/queue-steps.sqlite"
fi
if [ ! -f "$dir/queue-fewsteps.sqlite" ]; then
  cp "$dir/queue-steps.sqlite" "$dir/queue-fewsteps.sqlite.tmp"
  sqlite3 "$dir/queue-fewsteps.sqlite.tmp" \
    "DELETE FROM work_items WHERE kind IN ('call', 'voicemail') AND id NOT IN (SELECT id FROM work_items WHERE kind IN ('call', 'voicemail') ORDER BY id LIMIT 5000)"
  mv "$dir/queue-fewsteps.sqlite.tmp" "$dir/queue-fewsteps.sqlite"
fi

# median DATABASE INSTANT LIMIT: the median read time (ms) and the last read's items and debtors weighed.
median() {
  local times=() line=""
  for _ in $(seq 1 "$runs"); do
    line=$(RECOUP_LOG_LEVEL=info "$recoup" queue --database "$1" --at "$2" --limit "$3" --collector bench@example.com \
      2>&1 >/dev/null | grep "work queue read" | tail -n 1)
    times+=("$(sed -n 's/.*ms=\([0-9.]*\).*/\1/p' <<< "$line")")
  done
  local items examined
  items=$(sed -n 's/.*items=\([0-9]*\).*/\1/p' <<< "$line")
  examined=$(sed -n 's/.*examined=\([0-9]*\).*/\1/p' <<< "$line")
  printf '%s | %s | %s' "$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f · %.1f", a[1], a[int((NR + 1) / 2)] }')" \
    "$items" "$examined"
}

echo "| database | instant (UTC) | what the hour allows | limit | read (ms, fastest · median of $runs) | items | debtors weighed |"
echo "|---|---|---|---|---|---|---|"
for shape in full steps fewsteps; do
  for slot in "${today}T15:00:00Z|Eastern to Mountain (7 AM in Los Angeles)" \
              "${today}T20:00:00Z|every US zone" \
              "${tomorrow}T02:30:00Z|Mountain and west (9:30 PM in New York)" \
              "${today}T10:00:00Z|no US zone (5 AM in New York)"; do
    instant=${slot%%|*}
    hours=${slot#*|}
    for limit in 20 100; do
      echo "| $shape | $instant | $hours | $limit | $(median "$dir/queue-$shape.sqlite" "$instant" "$limit") |"
    done
  done
done

# The API at the real time.
printf 'benchmark-password\n' | "$recoup" user add bench@example.com --role collector --password-stdin \
  --database "$full" >/dev/null 2>&1 || true
token=$("$recoup" token create bench@example.com --database "$full")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$recoup" serve --port "$port" --database "$full" > "$dir/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
sleep "${SETTLE:-5}"
echo
echo "| request at $(date -u +%H:%M) UTC | first (ms) | median of 10 (ms) |"
echo "|---|---|---|"
for path in "/api/v1/queue" "/api/v1/queue?limit=100" "/api/v1/queue/tasks"; do
  times=()
  for _ in $(seq 1 11); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path")")
  done
  first=$(awk -v t="${times[0]}" 'BEGIN { printf "%.1f", t * 1000 }')
  median=$(printf '%s\n' "${times[@]:1}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", (a[5] + a[6]) / 2 * 1000 }')
  echo "| \`GET $path\` | $first | $median |"
done
